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


def test_a_copy_left_unsettled_is_there_for_the_next_statement_and_lands_with_the_commit(db_url):
    engine = make_engine(db_url)
    metadata.create_all(engine)
    with Session(engine) as session:
        copy_rows(session, things, [thing(f"k{i}") for i in range(500)], settle_later=True)
        seen = session.execute(select(things.c.key).order_by(things.c.id)).scalars().all()
        copy_rows(session, things, [thing("last")], settle_later=True)
        session.commit()
    with Session(engine) as session:
        stored = session.execute(select(things.c.key).order_by(things.c.id)).scalars().all()
    engine.dispose()
    assert seen == [f"k{i}" for i in range(500)]
    assert stored == [*seen, "last"]


@pytest.mark.parametrize("settled_by", ["a statement", "the next copy", "the commit"])
def test_an_unsettled_copy_that_fails_is_raised_before_its_transaction_commits_and_nothing_of_it_lands(
        db_url, settled_by):
    engine = make_engine(db_url)
    metadata.create_all(engine)
    with Session(engine) as session:
        insert_many(session, things, [thing("b")])
        session.commit()
    with Session(engine) as session, pytest.raises(IntegrityError):
        insert_many(session, things, [thing("before")])
        copy_rows(session, things, [thing("a"), thing("b")], settle_later=True)
        if settled_by == "a statement":
            session.execute(select(things.c.key)).all()
        elif settled_by == "the next copy":
            copy_rows(session, things, [thing("c")])
        session.commit()
    with Session(engine) as session:  # the connection went back to the pool fit for use
        keys = session.execute(select(things.c.key)).scalars().all()
    engine.dispose()
    assert keys == ["b"]


def test_a_session_closed_on_an_unsettled_copy_rolls_it_back_and_its_connection_serves_the_next(pg_url):
    engine = make_engine(pg_url, pool_size=1)
    metadata.create_all(engine)
    session = Session(engine)
    copy_rows(session, things, [thing("dropped")], settle_later=True)
    session.close()
    with Session(engine) as session:
        keys = session.execute(select(things.c.key)).scalars().all()
    engine.dispose()
    assert keys == []
