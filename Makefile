# The two set-up commands: `make demo` and `make test`. Each installs what it needs first.
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PYTHON ?= 3.11

.PHONY: install demo test lint bench clean-demo

$(UV):
	python3 -m pip install --quiet --user "uv==$(UV_VERSION)" || python3 -m pip install --quiet "uv==$(UV_VERSION)"

.venv/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: .venv/.installed

demo: install
	$(UV) run --frozen kcn demo

test: install
	$(UV) run --frozen pytest -n 2 --dist loadgroup

# sqlfluff's dbt templater reads the profile, so it gets the warehouse's connection variables.
lint: install
	$(UV) run --frozen ruff check include dags expectations tests
	$(UV) run --frozen ruff format --check include dags expectations tests
	$(UV) run --frozen mypy
	eval "$$($(UV) run --frozen python -m kcn.transform.dbt_command --print-env)" && \
		$(UV) run --frozen sqlfluff lint dbt_project/models

bench: install
	$(UV) run --frozen kcn bench
