"""The web console: server-rendered pages for applicants, officers and auditors over the three services'
public HTTP APIs, called with the signed-in user's token. It owns no business data and no tables: the session
is a signed cookie (no db/ room), long work runs as in-process background jobs (service/jobs.py)."""
