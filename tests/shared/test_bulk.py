"""Set-based inserts and lookups on both backends: rows in order, collisions skipped and reported, values intact."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import JSON, BigInteger, Column, Date, DateTime, Integer, MetaData, String, Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.bulk import JsonText, among, copy_rows, insert_many, insert_or_ignore
from shared.db import make_engine

metadata = MetaData()
things = Table("things", metadata, Column("id", Integer, primary_key=True), Column("key", String(20), unique=True),
               Column("doc", JSON), Column("amount", BigInteger), Column("at", DateTime(timezone=True)),
               Column("day", Date))


def thing(key: str, **values) -> dict:  # type: ignore[no-untyped-def]
    return {"key": key, "doc": {"key": key, "text": 'quote " and 中文', "none": None}, "amount": 2**40,
            "at": datetime(2024, 1, 1, 8, tzinfo=UTC), "day": date(2024, 1, 1), **values}


def test_many_rows_go_in_in_order_and_those_colliding_are_skipped_and_left_out_of_the_answer(db_url):
    engine = make_engine(db_url)
    metadata.create_all(engine)
    with Session(engine) as session:
        insert_many(session, things, [thing("b")])
        inserted = insert_many(session, things, [thing("d"), thing("b"), thing("a", amount=None), thing("c")],
                               conflict_on=["key"], returning="key")
        rows = session.execute(select(things).order_by(things.c.id)).all()
        found = session.execute(select(things.c.key).where(among(session, things.c.key, ["a", "c", "z"]))).scalars()
        assert sorted(found) == ["a", "c"]
    engine.dispose()
    assert inserted == ["d", "a", "c"]
    assert [r.key for r in rows] == ["b", "d", "a", "c"]  # ids follow the order given
    d = rows[1]
    assert d.doc == {"key": "d", "text": 'quote " and 中文', "none": None}
    assert (d.amount, rows[2].amount, d.day) == (2**40, None, date(2024, 1, 1))
    assert (d.at if d.at.tzinfo else d.at.replace(tzinfo=UTC)) == datetime(2024, 1, 1, 8, tzinfo=UTC)  # SQLite: naive


def test_rows_sent_in_chunks_keep_their_order_and_a_single_row_is_inserted_only_once(db_url):
    engine = make_engine(db_url)
    metadata.create_all(engine)
    with Session(engine) as session:
        keys = insert_many(session, things, [thing(f"k{i:02d}") for i in range(7)], returning="key", chunk=3)
        first = insert_or_ignore(session, things, thing("single"), ["key"])
        again = insert_or_ignore(session, things, thing("single", amount=1), ["key"])
        stored = session.execute(select(things.c.amount).where(things.c.key == "single")).scalar_one()
    engine.dispose()
    assert keys == [f"k{i:02d}" for i in range(7)]
    assert (first, again, stored) == (True, False, 2**40)


def test_copied_rows_go_in_in_order_with_their_values_and_an_encoded_document_as_it_was_sent(db_url):
    engine = make_engine(db_url)
    metadata.create_all(engine)
    with Session(engine) as session:
        copy_rows(session, things, [thing("y"), thing("x", amount=None, doc=JsonText('{"sent":"as is","n":[1,2]}'))])
        rows = session.execute(select(things).order_by(things.c.id)).all()
    engine.dispose()
    assert [r.key for r in rows] == ["y", "x"]
    assert rows[0].doc == {"key": "y", "text": 'quote " and 中文', "none": None}
    assert (rows[1].doc, rows[1].amount, rows[0].amount, rows[0].day) == (
        {"sent": "as is", "n": [1, 2]}, None, 2**40, date(2024, 1, 1))


def test_a_copy_colliding_with_a_row_there_fails_whole_as_the_database_error_it_is(db_url):
    engine = make_engine(db_url)
    metadata.create_all(engine)
    with Session(engine) as session:
        insert_many(session, things, [thing("b")])
        session.commit()
        with pytest.raises(IntegrityError):
            copy_rows(session, things, [thing("a"), thing("b")])
        session.rollback()
        keys = session.execute(select(things.c.key)).scalars().all()
    engine.dispose()
    assert keys == ["b"]  # nothing of the failed copy went in
