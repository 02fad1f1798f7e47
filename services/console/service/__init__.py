"""The console's use cases: each calls the services' public HTTP APIs through backends.py, as the signed-in user."""
