"""The rules and state machines, pure: no FastAPI, no SQL, no Kafka, no HTTP clients."""
