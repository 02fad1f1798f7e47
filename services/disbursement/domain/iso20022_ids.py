"""Finance calendar and references: days and years are China's; ids fit ISO 20022 Max35Text."""

import os
import time
import uuid
from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def business_day(moment: datetime) -> date:
    """The calendar day in China: an officer's daily limit resets at midnight Beijing time."""
    return moment.astimezone(CHINA).date()


def business_year(moment: datetime) -> int:
    """The budget year a payment issued at this moment counts against (the audit ledger uses the same)."""
    return moment.astimezone(CHINA).year


def new_batch_id() -> str:
    """"B" + 12 hex of milliseconds + 20 random hex (33 chars): sorts by creation, fits pain.001 MsgId."""
    return f"B{int(time.time() * 1000):012x}{os.urandom(10).hex()}"


def new_payment_id() -> str:
    """"P" + 32 hex (33 chars): the EndToEndId the bank quotes back in its returns."""
    return f"P{uuid.uuid4().hex}"
