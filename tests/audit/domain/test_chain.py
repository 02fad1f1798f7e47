import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.audit.domain.chain import (GENESIS_HASH, ChainEntry, FundHead, _canonical_document, canonical_bytes,
                                         entry_hash, format_utc, ledger_head, link, verify)
from services.audit.domain.postings import EntryDraft, Posting, entry_id_for
from tests.audit.domain.ledger_builders import sample_entries


def test_each_fund_chain_starts_at_seq_1_from_the_genesis_hash_and_is_gapless():
    entries = sample_entries()
    for fund in {e.fund for e in entries}:
        chain = [e for e in entries if e.fund == fund]
        assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
        assert chain[0].prev_hash == GENESIS_HASH
        assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:]))


def test_an_intact_ledger_verifies_with_the_documented_head():
    entries = sample_entries()
    result = verify(entries)
    last = {e.fund: e.hash for e in entries}
    expected = hashlib.sha256("".join(f"{f}:{h}\n" for f, h in sorted(last.items())).encode()).hexdigest()
    assert (result.ok, result.entries, result.head, result.first_break) == (True, len(entries), expected, None)


def test_an_empty_ledger_verifies_with_the_hash_of_nothing():
    assert verify([]).head == hashlib.sha256(b"").hexdigest() == ledger_head({})


def test_canonical_encoding_is_pinned():
    """Changing the encoding silently would orphan every stored hash: this vector must never change."""
    at = datetime(2023, 11, 1, 1, 0, tzinfo=UTC)
    postings = [Posting("ui:payable", 0, 150000), Posting("ui:expense:skill_upgrade", 150000, 0)]
    assert canonical_bytes("ui", 1, "e-1", "ev-1", "p1", postings, at) == (
        b'{"entry_id":"e-1","event_id":"ev-1","fund":"ui","payment_id":"p1",'
        b'"posted_at":"2023-11-01T01:00:00.000000Z","postings":['
        b'{"account":"ui:expense:skill_upgrade","credit_fen":0,"debit_fen":150000},'
        b'{"account":"ui:payable","credit_fen":150000,"debit_fen":0}],"seq":1}')
    assert entry_hash(GENESIS_HASH, "ui", 1, "e-1", "ev-1", "p1", postings, at) == hashlib.sha256(
        GENESIS_HASH.encode() + canonical_bytes("ui", 1, "e-1", "ev-1", "p1", postings, at)).hexdigest()


_texts = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(['"', "\\", "\n\x00\x1f", "中文", "😀"])
_postings = st.lists(st.builds(Posting, _texts, st.integers(0, 2**63), st.integers(0, 2**63)), max_size=4)


@given(_texts, st.integers(1, 2**62), _texts, _texts, st.none() | _texts, _postings,
       st.datetimes(timezones=st.just(UTC)))
def test_the_written_out_encoding_is_byte_for_byte_the_documented_json_document(fund, seq, entry_id, event_id,
                                                                                 payment_id, postings, at):
    assert canonical_bytes(fund, seq, entry_id, event_id, payment_id, postings, at) == _canonical_document(
        fund, seq, entry_id, event_id, payment_id, postings, at)


@given(st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()))
def test_a_moment_is_written_as_strftime_writes_it(moment):
    assert format_utc(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_hash_ignores_posting_order_and_time_zone_notation():
    entry = sample_entries()[0]
    shifted = entry.posted_at.astimezone(datetime.now().astimezone().tzinfo)
    assert entry_hash(entry.prev_hash, entry.fund, entry.seq, entry.entry_id, entry.event_id, entry.payment_id,
                      tuple(reversed(entry.postings)), shifted) == entry.hash


def _tampered_postings(e: ChainEntry) -> dict:
    first = e.postings[0]  # one side of one posting changed by a fen
    side = "debit_fen" if first.debit_fen else "credit_fen"
    changed = replace(first, **{side: getattr(first, side) + 1})
    return {"postings": (changed, *e.postings[1:])}


TAMPERINGS = {
    "amount": (_tampered_postings, "hash_mismatch"),
    "account": (lambda e: {"postings": (replace(e.postings[0], account=e.postings[0].account + "x"), *e.postings[1:])},
                "hash_mismatch"),
    "posted_at": (lambda e: {"posted_at": e.posted_at + timedelta(seconds=1)}, "hash_mismatch"),
    "event_id": (lambda e: {"event_id": e.event_id + "x"}, "hash_mismatch"),
    "entry_id": (lambda e: {"entry_id": entry_id_for("other")}, "hash_mismatch"),
    "payment_id": (lambda e: {"payment_id": "p999"}, "hash_mismatch"),
    "hash": (lambda e: {"hash": "f" * 64}, "hash_mismatch"),
    "prev_hash": (lambda e: {"prev_hash": "0" * 63 + "1"}, "prev_hash_mismatch"),
    "seq": (lambda e: {"seq": e.seq + 1}, "seq_gap"),
    # moved to another fund's chain: a gap there, or (as that chain's seq 1) a hash that no longer fits
    "fund": (lambda e: {"fund": "rural_revitalization"}, ("seq_gap", "hash_mismatch")),
}


@pytest.mark.parametrize("field", list(TAMPERINGS))
@pytest.mark.parametrize("index", [0, 4, 8])
def test_tampering_one_field_breaks_the_chain_at_exactly_that_entry(field, index):
    entries = sample_entries()
    change, reason = TAMPERINGS[field]
    victim = entries[index]
    entries[index] = replace(victim, **change(victim))
    result = verify(entries)
    assert not result.ok and result.head is None and result.entries == index + 1
    brk = result.first_break
    assert brk is not None and brk.entry_id == entries[index].entry_id
    assert brk.reason in (reason if isinstance(reason, tuple) else (reason,))


def test_a_rehashed_tampered_entry_is_caught_at_the_next_link_of_its_fund():
    entries = sample_entries()
    victim = entries[0]
    forged = replace(victim, payment_id="p999")
    forged = replace(forged, hash=entry_hash(forged.prev_hash, forged.fund, forged.seq, forged.entry_id,
                                             forged.event_id, forged.payment_id, forged.postings, forged.posted_at))
    entries[0] = forged
    result = verify(entries)
    nxt = next(e for e in entries[1:] if e.fund == victim.fund)
    assert result.first_break is not None
    assert (result.first_break.entry_id, result.first_break.reason) == (nxt.entry_id, "prev_hash_mismatch")


def test_swapping_two_entries_of_a_fund_is_detected():
    entries = sample_entries()
    fund = entries[0].fund
    i, j = [k for k, e in enumerate(entries) if e.fund == fund][:2]
    entries[i], entries[j] = entries[j], entries[i]
    result = verify(entries)
    assert result.first_break is not None and result.first_break.reason == "seq_gap"
    assert result.first_break.entry_id == entries[i].entry_id


def test_a_deleted_entry_leaves_a_gap():
    entries = sample_entries()
    fund = entries[0].fund
    gone = [k for k, e in enumerate(entries) if e.fund == fund][1]
    del entries[gone]
    brk = verify(entries).first_break
    assert brk is not None and (brk.fund, brk.seq, brk.reason) == (fund, 3, "seq_gap")


def test_a_replayed_entry_is_out_of_order():
    entries = sample_entries()
    entries.insert(3, entries[0])
    brk = verify(entries).first_break
    assert brk is not None and (brk.seq, brk.reason) == (1, "seq_out_of_order")


def test_an_entry_whose_id_does_not_derive_from_its_event_is_caught_even_with_a_valid_hash():
    draft = EntryDraft("not-derived", "ui", "ev-1", "p1", (Posting("ui:payable", 1, 0), Posting("ui:bank", 0, 1)),
                       datetime(2023, 1, 1, tzinfo=UTC))
    assert verify([link(draft, None)]).first_break.reason == "entry_id_mismatch"  # type: ignore[union-attr]


def test_a_correctly_hashed_unbalanced_entry_is_caught():
    postings = (Posting("ui:payable", 2, 0), Posting("ui:bank", 0, 1))
    draft = EntryDraft(entry_id_for("ev-1"), "ui", "ev-1", "p1", postings, datetime(2023, 1, 1, tzinfo=UTC))
    assert verify([link(draft, None)]).first_break.reason == "unbalanced"  # type: ignore[union-attr]


def test_verify_streams_and_stops_at_the_first_break():
    entries = sample_entries()
    entries[1] = replace(entries[1], hash="0" * 64)
    consumed = []

    def stream():
        for e in entries:
            consumed.append(e)
            yield e

    assert not verify(stream()).ok and len(consumed) == 2


def test_verify_keeps_one_head_per_fund_over_a_long_chain():
    head, entries = None, []
    for i in range(5000):
        draft = EntryDraft(entry_id_for(f"ev{i}"), "ui", f"ev{i}", f"p{i}",
                           (Posting("ui:payable", 1, 0), Posting("ui:bank", 0, 1)), datetime(2023, 1, 1, tzinfo=UTC))
        entry = link(draft, head)
        head = FundHead(entry.seq, entry.hash)
        entries.append(entry)
    result = verify(iter(entries))
    assert result.ok and result.entries == 5000 and dict(result.funds) == {"ui": head}
