"""Runs the real consumer and SIGKILLs itself right after the first database commit, before the offset commit."""

import os
import signal
import sys

from shared.consumer import IdempotentConsumer
from tests.shared.messaging_support import inbox, make_db, spec


class DiesAfterFirstApply(IdempotentConsumer):
    def after_apply(self, message) -> None:  # type: ignore[no-untyped-def]
        os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    db_url, bootstrap, prefix, group = sys.argv[1:5]
    DiesAfterFirstApply(make_db(db_url), inbox, spec(group), bootstrap, prefix).run()
