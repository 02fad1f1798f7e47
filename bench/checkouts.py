"""Earlier commits of the project checked out beside it, for a benchmark to run their code on the same machine in
the same run (git worktrees under var/bench; the virtualenv is shared, so only the project's own code differs)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOUTS = ROOT / "var" / "bench" / "checkouts"


def checkout(ref: str) -> Path:
    """A worktree of `ref` (made once, kept for later runs)."""
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    path = CHECKOUTS / sha[:12]
    if not (path / "services").is_dir():
        CHECKOUTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        subprocess.run(["git", "worktree", "add", "--force", "--detach", str(path), sha], cwd=ROOT, check=True,
                       capture_output=True)
    return path
