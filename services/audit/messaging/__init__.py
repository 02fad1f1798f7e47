"""Consumer specs and handlers: each event's data read into its typed payload and handed to service/."""
