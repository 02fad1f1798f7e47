"""What a second officer is shown of a batch item's payee before approving (pure): names compared as a
clerk would, and the account reduced to its last four digits."""

from shared.claims.names import same_name

PAYEE_NAME_DIFFERS = "payee_name_differs"
PAYEE_CHANGED_AFTER_FAILURE = "payee_changed_after_failure"


def masked_account(account_number: str | None) -> str | None:
    """The last four digits behind a mask: enough to recognise the account, too little to use it."""
    digits = "".join(ch for ch in account_number or "" if ch.isalnum())
    return f"****{digits[-4:]}" if digits else None


def payee_flags(claimant_name: str | None, payee_name: str | None, changed_after_failure: bool) -> list[str]:
    flags = []
    if not same_name(claimant_name, payee_name):
        flags.append(PAYEE_NAME_DIFFERS)
    if changed_after_failure:
        flags.append(PAYEE_CHANGED_AFTER_FAILURE)
    return flags
