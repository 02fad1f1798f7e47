"""The console's web room: routes per area (one module each), the templates they render, static files."""
