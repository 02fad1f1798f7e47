"""The per-producer gapless sequence of every event (the CloudEvents `sequence` extension), per topic.

Assigned by the relay just before it publishes, in outbox order, in a short transaction of its own that
holds the service's sequence lock, rather than in the business transaction: there, a counter row locked
until commit would serialise every claim intake and every batch approval of a service on one row, and the
order in which concurrent transactions commit is not their ids' order anyway. Assigning at publish time
gives the order consumers actually see, costs writers nothing, and stays gapless with any number of relay
replicas (the lock, not a lease, makes it so: the relay lease only saves the wasted passes). The number is
kept in the row, so a re-send (a crash between publish and mark, a replay) carries the very same bytes,
which the audit's redelivery check relies on.

`sequence` is a string (the extension's type), zero-padded so its lexicographic order is the numeric one.
The queries are shared.stream_repo's.
"""

DIGITS = 20


def formatted(sequence: int) -> str:
    return str(sequence).zfill(DIGITS)


def stamp(payload: str, sequence: int | None) -> str:
    """The stored CloudEvent (compact JSON, shared.events) with its `sequence` attribute added."""
    if sequence is None:
        return payload
    return f'{payload[:-1]},"sequence":"{formatted(sequence)}"}}'
