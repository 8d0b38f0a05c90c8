# The KCN Warehouse image: Airflow 3 with the project's package, DAGs and dbt project,
# installed at build time from uv.lock. docker-compose.yml runs every Airflow component
# from it; see docs/deployment.md.
#
#   docker build -t kcn-warehouse:0.1.0 .
#
# Build arguments (all optional):
#   PYTHON_IMAGE   the base image; any Debian-based image with python3 (3.11 or 3.12) and venv
#   UV_VERSION     the uv release that installs the lock (the Makefile pins the same one)
#   PIP_INDEX_URL  a package index for pip, which installs uv (default: PyPI)
#   UV_INDEX_URL   a package index for uv (default: PIP_INDEX_URL, else PyPI); with the
#                  frozen lock uv still fetches the files at the addresses the lock records
#   EXTRA_CA_CERT  PEM text of a CA certificate to trust during the build only (a proxy
#                  that re-signs TLS); it is not kept in the image
# The classic builder is enough: no BuildKit-only syntax.

ARG PYTHON_IMAGE=python:3.12-slim-bookworm
FROM ${PYTHON_IMAGE}

ARG UV_VERSION=0.13.9
ARG PIP_INDEX_URL=
ARG UV_INDEX_URL=
ARG EXTRA_CA_CERT=
ARG AIRFLOW_UID=50000

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Airflow's convention: an "airflow" user whose primary group is root (0), so that the
# container can run as any host uid (AIRFLOW_UID) with gid 0 and still write what it needs.
ENV KCN_HOME=/opt/kcn \
    AIRFLOW_HOME=/opt/airflow \
    VIRTUAL_ENV=/opt/venv \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:${PATH}

RUN useradd --uid "${AIRFLOW_UID}" --gid 0 --home-dir /opt/airflow --create-home airflow \
    && mkdir -p /opt/kcn /opt/venv /opt/kcn-data/landing /opt/kcn-data/archive /opt/kcn-data/outbox \
    && chown -R airflow:0 /opt/airflow /opt/kcn-data \
    && chmod -R g+rwX /opt/airflow /opt/kcn-data

# Network steps trust the system bundle plus EXTRA_CA_CERT, joined in /tmp and removed in
# the same step, so the extra certificate stays out of every layer.
RUN ca=/etc/ssl/certs/ca-certificates.crt \
    && if [ -n "${EXTRA_CA_CERT}" ]; then \
         cat "${ca}" > /tmp/ca.pem && printf '%s\n' "${EXTRA_CA_CERT}" >> /tmp/ca.pem && ca=/tmp/ca.pem; fi \
    && python3 -m venv /opt/uv \
    && SSL_CERT_FILE="${ca}" PIP_CERT="${ca}" PIP_INDEX_URL="${PIP_INDEX_URL:-https://pypi.org/simple}" \
       /opt/uv/bin/pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}" \
    && ln -s /opt/uv/bin/uv /usr/local/bin/uv \
    && rm -f /tmp/ca.pem

WORKDIR /opt/kcn

# The dependencies first (a layer that changes only with the lock), then the project itself,
# built as a wheel (not editable). uv downloads the files the lock names.
COPY pyproject.toml uv.lock README.md ./
RUN ca=/etc/ssl/certs/ca-certificates.crt \
    && if [ -n "${EXTRA_CA_CERT}" ]; then \
         cat "${ca}" > /tmp/ca.pem && printf '%s\n' "${EXTRA_CA_CERT}" >> /tmp/ca.pem && ca=/tmp/ca.pem; fi \
    && if [ -n "${UV_INDEX_URL:-${PIP_INDEX_URL}}" ]; then export UV_DEFAULT_INDEX="${UV_INDEX_URL:-${PIP_INDEX_URL}}"; fi \
    && SSL_CERT_FILE="${ca}" uv sync --frozen --no-dev --no-install-project --no-cache \
    && rm -f /tmp/ca.pem

COPY include ./include
COPY expectations ./expectations
RUN ca=/etc/ssl/certs/ca-certificates.crt \
    && if [ -n "${EXTRA_CA_CERT}" ]; then \
         cat "${ca}" > /tmp/ca.pem && printf '%s\n' "${EXTRA_CA_CERT}" >> /tmp/ca.pem && ca=/tmp/ca.pem; fi \
    && if [ -n "${UV_INDEX_URL:-${PIP_INDEX_URL}}" ]; then export UV_DEFAULT_INDEX="${UV_INDEX_URL:-${PIP_INDEX_URL}}"; fi \
    && SSL_CERT_FILE="${ca}" uv sync --frozen --no-dev --no-editable --no-cache \
    && rm -f /tmp/ca.pem \
    && kcn --help > /dev/null

COPY dags ./dags
COPY dbt_project ./dbt_project
# dbt writes target/ and logs/ next to its project: group 0 may write there.
RUN chgrp -R 0 /opt/kcn/dbt_project && chmod -R g+rwX /opt/kcn/dbt_project

# LANG: the DAG files and submissions hold non-ASCII text; not every base image sets it.
ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/kcn/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    KCN_LANDING=/opt/kcn-data/landing \
    KCN_ARCHIVE=/opt/kcn-data/archive \
    KCN_OUTBOX=/opt/kcn-data/outbox \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    LANG=C.UTF-8

USER airflow
WORKDIR /opt/airflow
EXPOSE 8080
ENTRYPOINT ["airflow"]
CMD ["version"]
