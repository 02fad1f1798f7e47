"""Sizes of the fault suite: the defaults keep it to a couple of minutes; GRANTS_SOAK=1 (make soak) runs larger."""

import os

SOAK = os.environ.get("GRANTS_SOAK") == "1"


def sized(default: int, soak: int) -> int:
    return soak if SOAK else default
