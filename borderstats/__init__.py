"""The `borderstats` command line: it stands above both halves of the project (the ETL in `etl`, the
dashboard in `dashboard`), which never import it."""
