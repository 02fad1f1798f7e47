"""An export compared with the checkpoints the log signed (issue 12 point 9): a file cut short, or empty,
verifies as a hash chain (every prefix of a chain is one), so `grants audit verify` also needs the
signed checkpoint(s) of GET /v1/ledger/checkpoints and checks that each fund's first `size` entries of
the file rebuild the root the checkpoint signs (RFC 9162 Merkle tree hash over the entries' leaves).

Constant memory: each fund keeps its tree's frontier (one hash per level), as the log itself does.
"""

from dataclasses import dataclass, field

from services.audit.domain import merkle
from services.audit.domain.chain import ChainEntry
from services.audit.domain.checkpoints import Checkpoint
from services.audit.domain.entry_leaves import entry_leaf


@dataclass
class _FundTree:
    wanted: set[int]
    size: int = 0
    frontier: list = field(default_factory=list)
    roots: dict[int, str] = field(default_factory=dict)


class SignedHeads:
    """Feed the export's entries (each fund's in seq order); `problem()` says what the checkpoints refute."""

    def __init__(self, checkpoints: list[Checkpoint]):
        self.checkpoints = checkpoints
        self.trees: dict[str, _FundTree] = {}
        for checkpoint in checkpoints:
            self.trees.setdefault(checkpoint.fund, _FundTree(set())).wanted.add(checkpoint.size)

    def feed(self, entry: ChainEntry) -> None:
        tree = self.trees.get(entry.fund)
        if tree is None or tree.size >= max(tree.wanted):
            return  # a fund no checkpoint covers, or entries after the newest one signed: the chain covers them
        _, tree.frontier = merkle.append_leaves(tree.frontier, [entry_leaf(entry)])
        tree.size += 1
        if tree.size in tree.wanted:
            tree.roots[tree.size] = _root(tree.frontier).hex()

    def problem(self) -> tuple[str, str, str] | None:
        """(reason, fund, detail) of the first checkpoint the export does not match, or None."""
        for checkpoint in self.checkpoints:
            tree = self.trees[checkpoint.fund]
            if tree.size < checkpoint.size:
                return ("incomplete", checkpoint.fund,
                        f"the checkpoint signs {checkpoint.size} entries of fund {checkpoint.fund}; the export holds "
                        f"{tree.size}: it was cut short")
            if tree.roots[checkpoint.size] != checkpoint.root:
                return ("checkpoint_mismatch", checkpoint.fund,
                        f"the first {checkpoint.size} entries of fund {checkpoint.fund} do not rebuild the signed root")
        return None


def _root(frontier: list) -> bytes:
    """The tree hash of a frontier (its complete subtrees, largest first): RFC 9162 §2.1.1 folds them right to left."""
    root = frontier[-1][1]
    for _, node in reversed(frontier[:-1]):
        root = merkle.node_hash(node, root)
    return root
