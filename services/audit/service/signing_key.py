"""The checkpoint signing key: from a file or a secret, never from the database.

In development (and tests) with neither set, a key is made once under ./var and reused, so
checkpoints signed across restarts verify with one public key. Production refuses to start without
a key (Settings), so it never signs with a key nobody provisioned.
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.audit.config import Settings
from services.audit.domain.checkpoints import Signer, load_private_key, private_pem
from shared.logging import get_logger

DEVELOPMENT_KEY = Path("var/audit-checkpoint-key.pem")
log = get_logger("audit.signing_key")


def load_signer(settings: Settings) -> Signer:
    if settings.audit_checkpoint_key is not None:
        return Signer(load_private_key(settings.audit_checkpoint_key.get_secret_value().encode()))
    if settings.audit_checkpoint_key_file:
        return Signer(load_private_key(Path(settings.audit_checkpoint_key_file).read_bytes()))
    return Signer(load_private_key(development_key(DEVELOPMENT_KEY)))


def write_new_key(path: Path) -> Signer:
    """Generate a key into a new file readable by its owner only (FileExistsError if there is one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(private_pem(key))
    return Signer(key)


def development_key(path: Path) -> bytes:
    """The development key's PEM, made on first use; two processes starting at once end up with the same one."""
    if not path.exists():
        scratch = path.with_name(f".{path.name}.{os.getpid()}")
        scratch.unlink(missing_ok=True)  # left by a crashed process of the same pid
        signer = write_new_key(scratch)
        try:
            os.link(scratch, path)  # atomic and refuses to replace: whoever links first wins
            log.warning("audit.development_signing_key_created", path=str(path), key_id=signer.key_id)
        except FileExistsError:
            pass
        finally:
            scratch.unlink()
    return path.read_bytes()
