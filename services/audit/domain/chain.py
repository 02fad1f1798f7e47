"""Tamper evidence: a gapless sequence and a SHA-256 hash chain per fund, and a streaming verifier.

Canonical encoding of an entry (version 1; changing any of this breaks every stored hash):
    JSON of {"entry_id", "event_id", "fund", "payment_id" (string or null),
             "postings": [{"account", "credit_fen", "debit_fen"}, ...],
             "posted_at": UTC "YYYY-MM-DDTHH:MM:SS.ffffffZ", "seq"}
    with keys sorted, separators "," and ":" (no whitespace), ensure_ascii (non-ASCII as \\uXXXX),
    money as integer fen, postings sorted by (account, debit_fen, credit_fen) so the order the
    database returns them in cannot change the hash; encoded as ASCII bytes.
    hash = sha256(prev_hash as 64 lower-case hex ASCII bytes + canonical bytes), lower-case hex.
    The first entry of each fund has seq 1 and prev_hash GENESIS_HASH (64 zeros).

Head (the "head" of GET /v1/ledger/verify): sha256 over the lines "<fund>:<last hash>\\n" of every
fund, funds sorted by code, concatenated (an empty ledger: sha256 of nothing). Publishing the head
is what makes truncating a fund's tail detectable: the chain alone cannot see a missing last entry.
"""

import hashlib
import json
from json.encoder import encode_basestring_ascii as _quote  # json.dumps's own, with ensure_ascii
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from services.audit.domain.errors import UnpostableEvent
from services.audit.domain.postings import EntryDraft, Posting, check_entry, entry_id_for

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class ChainEntry:
    fund: str
    seq: int
    entry_id: str
    event_id: str
    payment_id: str | None
    postings: tuple[Posting, ...]
    posted_at: datetime
    prev_hash: str
    hash: str
    # the canonical bytes, kept by link() so the Merkle leaf is not encoded a second time; None when read back
    # (dataclasses.replace would carry them over: an entry with other contents is made by link(), or with None)
    canonical: bytes | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class FundHead:
    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class ChainBreak:
    fund: str | None
    seq: int | None
    entry_id: str | None
    reason: str  # seq_gap, seq_out_of_order, prev_hash_mismatch, hash_mismatch, entry_id_mismatch,
    #              unbalanced, cross_fund, malformed
    detail: str = ""


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    entries: int  # entries read (up to and including the broken one)
    head: str | None  # None when the chain is broken
    first_break: ChainBreak | None = None
    funds: Mapping[str, FundHead] = field(default_factory=dict)


def format_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("posted_at must carry a UTC offset")
    utc = moment.astimezone(UTC)
    if utc.year < 1000:  # strftime's %Y pads no year below 1000 on glibc; the chain keeps strftime's bytes
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"  # strftime's bytes, six times faster


def canonical_bytes(fund: str, seq: int, entry_id: str, event_id: str, payment_id: str | None,
                    postings: Sequence[Posting], posted_at: datetime) -> bytes:
    """The encoding of the module docstring. Written out field by field, each string through the very escaping
    json.dumps(ensure_ascii=True) applies (json.encoder's C function): the same bytes in a third of the time,
    on the consumer's path once an entry. Anything but plain str, int and None goes through json.dumps itself."""
    ordered = sorted(postings, key=lambda p: (p.account, p.debit_fen, p.credit_fen))
    if not (type(seq) is int and all(type(v) is str for v in (fund, entry_id, event_id))
            and (payment_id is None or type(payment_id) is str)
            and all(type(p.account) is str and type(p.debit_fen) is int and type(p.credit_fen) is int for p in ordered)):
        return _canonical_document(fund, seq, entry_id, event_id, payment_id, postings, posted_at)
    lines = ",".join('{"account":%s,"credit_fen":%d,"debit_fen":%d}' % (_quote(p.account), p.credit_fen, p.debit_fen)
                     for p in ordered)
    return ('{"entry_id":%s,"event_id":%s,"fund":%s,"payment_id":%s,"posted_at":%s,"postings":[%s],"seq":%d}' % (
        _quote(entry_id), _quote(event_id), _quote(fund), "null" if payment_id is None else _quote(payment_id),
        _quote(format_utc(posted_at)), lines, seq)).encode("ascii")


def _canonical_document(fund: str, seq: int, entry_id: str, event_id: str, payment_id: str | None,
                        postings: Sequence[Posting], posted_at: datetime) -> bytes:
    """The definition canonical_bytes writes out: json.dumps of the document."""
    document = {
        "entry_id": entry_id, "event_id": event_id, "fund": fund, "payment_id": payment_id,
        "postings": [{"account": p.account, "credit_fen": p.credit_fen, "debit_fen": p.debit_fen}
                     for p in sorted(postings, key=lambda p: (p.account, p.debit_fen, p.credit_fen))],
        "posted_at": format_utc(posted_at), "seq": seq,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def entry_hash(prev_hash: str, fund: str, seq: int, entry_id: str, event_id: str, payment_id: str | None,
               postings: Sequence[Posting], posted_at: datetime) -> str:
    return chained_hash(prev_hash, canonical_bytes(fund, seq, entry_id, event_id, payment_id, postings, posted_at))


def chained_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def link(draft: EntryDraft, head: FundHead | None) -> ChainEntry:
    """Chain a draft after its fund's head (None for the fund's first entry)."""
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
    canonical = canonical_bytes(draft.fund, seq, draft.entry_id, draft.event_id, draft.payment_id, draft.postings,
                                draft.posted_at)
    return ChainEntry(draft.fund, seq, draft.entry_id, draft.event_id, draft.payment_id, draft.postings,
                      draft.posted_at, prev, chained_hash(prev, canonical), canonical)


def ledger_head(heads: Mapping[str, FundHead | str]) -> str:
    """The single hash naming the state of all funds' chains (see the module docstring)."""
    lines = "".join(f"{fund}:{h if isinstance(h, str) else h.hash}\n" for fund, h in sorted(heads.items()))
    return hashlib.sha256(lines.encode("ascii")).hexdigest()


class ChainVerifier:
    """Feed entries in any interleaving of funds, each fund in seq order; keeps one head per fund."""

    def __init__(self) -> None:
        self.heads: dict[str, FundHead] = {}
        self.count = 0
        self.first_break: ChainBreak | None = None

    def feed(self, entry: ChainEntry) -> ChainBreak | None:
        """Check one entry; returns (and remembers) the first break. Stop feeding once it is found."""
        self.count += 1
        found = self._check(entry)
        if found is None:
            self.heads[entry.fund] = FundHead(entry.seq, entry.hash)
        elif self.first_break is None:
            self.first_break = found
        return found

    def broken(self, reason: str, detail: str, fund: str | None = None, seq: int | None = None,
               entry_id: str | None = None) -> ChainBreak:
        """Record a break found outside an entry (e.g. an unreadable export line) as the first one."""
        self.count += 1
        self.first_break = self.first_break or ChainBreak(fund, seq, entry_id, reason, detail)
        return self.first_break

    def result(self) -> VerifyResult:
        ok = self.first_break is None
        return VerifyResult(ok, self.count, ledger_head(self.heads) if ok else None, self.first_break,
                            dict(self.heads))

    def _check(self, e: ChainEntry) -> ChainBreak | None:
        def brk(reason: str, detail: str) -> ChainBreak:
            return ChainBreak(e.fund, e.seq, e.entry_id, reason, detail)

        head = self.heads.get(e.fund)
        expected_seq, expected_prev = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
        if e.seq != expected_seq:
            reason = "seq_gap" if e.seq > expected_seq else "seq_out_of_order"
            return brk(reason, f"fund {e.fund}: expected seq {expected_seq}, found {e.seq}")
        if e.prev_hash != expected_prev:
            return brk("prev_hash_mismatch", f"prev_hash does not match the hash of seq {e.seq - 1}")
        try:
            recomputed = entry_hash(e.prev_hash, e.fund, e.seq, e.entry_id, e.event_id, e.payment_id,
                                    e.postings, e.posted_at)
        except (ValueError, TypeError, AttributeError) as exc:
            return brk("malformed", str(exc))
        if recomputed != e.hash:
            return brk("hash_mismatch", "stored hash differs from the hash of the entry's contents")
        if e.entry_id != entry_id_for(e.event_id):
            return brk("entry_id_mismatch", "entry_id is not derived from event_id")
        try:
            check_entry(e.fund, e.postings)
        except UnpostableEvent as exc:
            return brk(exc.reason, exc.detail)
        return None


def verify(entries: Iterable[ChainEntry]) -> VerifyResult:
    """Recompute every link; stops at the first break. Memory: one FundHead per fund."""
    verifier = ChainVerifier()
    for entry in entries:
        if verifier.feed(entry) is not None:
            break
    return verifier.result()
