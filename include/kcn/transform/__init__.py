"""Building the marts: dbt run from Python."""
