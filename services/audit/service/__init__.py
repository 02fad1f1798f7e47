"""Use cases, one module per use case or aggregate: the only callers of db/ and the outbox. They flush; the
request (shared.web.runtime) or the consumer batch (shared.consumer) commits once."""
