"""Tables, repositories (every query of the service lives here) and the Alembic history (migrations/)."""
