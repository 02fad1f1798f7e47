"""Batch and payment ids: they sort by creation and fit ISO 20022 Max35Text (pain.001 MsgId, EndToEndId)."""

import os
import time
import uuid

def new_batch_id() -> str:
    """"B" + 12 hex of milliseconds + 20 random hex (33 chars): sorts by creation, fits pain.001 MsgId."""
    return f"B{int(time.time() * 1000):012x}{os.urandom(10).hex()}"


def new_payment_id() -> str:
    """"P" + 32 hex (33 chars): the EndToEndId the bank quotes back in its returns."""
    return f"P{uuid.uuid4().hex}"
