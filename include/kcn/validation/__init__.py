"""Validation: the contract's rules, the context a submission is judged in, the suites, the
findings and outcomes, and the feedback the submitter gets."""
