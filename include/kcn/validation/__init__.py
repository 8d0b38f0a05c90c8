"""Validation: the contract's rules, the context a submission is judged in, the suites, the
findings and outcomes, and the feedback the submitter gets."""

import logging

# Great Expectations logs at INFO, when it is imported, each function its documentation
# decorators skip: hundreds of "Skipping registering function" lines at the top of a
# validation task's log. Its warnings and errors still show. Set here, before any module of
# this package imports it.
logging.getLogger("great_expectations").setLevel(logging.WARNING)
