"""The working database: engine, dialect specifics, migrations, the one-run-at-a-time lock."""
