"""The relay's lease: one publisher per service's outbox at a time, whatever the replica count.

On PostgreSQL the lease is a session advisory lock keyed by the service, taken on a connection the relay
keeps for itself; every relay pass (read the unpublished rows, send them, mark them) runs in a transaction
on that same connection, after checking in that transaction that the session still holds the lock. That is
the fencing: a relay whose session ended (a partition, a restarted or failed-over database, a terminated
backend) lost its lock with it, cannot mark anything (its transaction died with the session), and on
reconnecting finds the lock taken and waits. Rows it had sent but not marked are sent again, in id order, by
the new holder: consumers drop the second copy on event id, and since the new holder re-sends everything
unmarked from the lowest id, the first copy of every event still reaches its partition in commit order.

On SQLite (development, one process) there is nothing to lease: each pass gets a plain transaction."""

import os
import socket
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from shared.logging import get_logger

log = get_logger("shared.relay")

LOCK_CLASS = 0x6772  # "gr": the first key of the two-key advisory lock, so grants' locks are recognisable


def lock_key(service: str) -> int:
    """The second key: a stable signed 32-bit number of the service's name."""
    return zlib.crc32(service.encode()) - (1 << 31)


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class RelayLease:
    def __init__(self, engine: Engine, service: str):
        self.engine, self.service, self.key = engine, service, lock_key(service or "outbox")
        self.holder = holder_name()
        self.leased = engine.dialect.name == "postgresql"
        self._conn: Connection | None = None
        self.held = not self.leased  # what the last pass found: a standby relay tries again less often

    @contextmanager
    def publishing(self) -> Iterator[Connection | None]:
        """A transaction to publish in, or None while another replica holds the lease."""
        if not self.leased:
            with self.engine.begin() as conn:
                yield conn
            return
        conn = self._acquire()
        if conn is None:
            yield None
            return
        try:
            with conn.begin():
                held = self._still_held(conn)  # a session replaced under us (a reconnect) lost the lock
                yield conn if held else None
        except DBAPIError:  # the session may be gone, and the lock with it; a broker error keeps both
            self._lost("database error during a pass")
            raise
        if not held:
            self._lost("lock not held by this session")

    def _acquire(self) -> Connection | None:
        if self.held and self._conn is not None:
            return self._conn  # the pass's transaction checks it is still ours
        if self._conn is None:
            self._conn = self.engine.connect()
        try:
            got = self._conn.execute(text("SELECT pg_try_advisory_lock(:c, :k)"),
                                     {"c": LOCK_CLASS, "k": self.key}).scalar()
            self._conn.commit()  # the lock is the session's; the autobegun transaction ends here
        except DBAPIError:
            self._drop()
            raise
        if not got:
            return None
        log.info("relay.lease_acquired", service=self.service, holder=self.holder)
        self.held = True
        return self._conn

    def _still_held(self, conn: Connection) -> bool:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
            " AND classid::bigint = :c AND objid::bigint = ((:k)::bigint & 4294967295) AND objsubid = 2"),
            {"c": LOCK_CLASS, "k": self.key}).scalar())

    def _lost(self, why: str) -> None:
        if self.held:
            log.warning("relay.lease_lost", service=self.service, holder=self.holder, reason=why)
        self.held = False
        self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.invalidate()  # never back to the pool: a session that may hold the lock must end
                self._conn.close()
            except Exception:  # noqa: BLE001 - a dead session may fail to close; it is dropped anyway
                pass
            self._conn = None

    def release(self) -> None:
        """On stop: end the session, which gives the lock back at once (a standby takes over on its next try)."""
        if self.leased:
            if self.held:
                log.info("relay.lease_released", service=self.service, holder=self.holder)
            self.held = False
            self._drop()
