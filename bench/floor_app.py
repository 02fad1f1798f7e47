"""The framework floor: the least a FastAPI endpoint on our stack can do with a claim, one row into PostgreSQL.

POST /v1/claims takes the same request intake takes (body, Idempotency-Key; the token is not read),
inserts one row (the body as jsonb) in a transaction of its own and answers 201. Sync, like intake's
endpoint, through a SQLAlchemy engine over psycopg, and served as `grants serve` serves intake
(uvicorn processes with the same protocol and options): intake ÷ this is what the service's own work
(validation, pseudonyms, idempotency, outbox, history) costs over the stack's minimum.

`python -m bench.floor_app PORT PROCESSES` with BENCH_FLOOR_DATABASE_URL set (bench.procs.floor).
"""

import json
import os
import sys
import uuid
from typing import Annotated, Any

import uvicorn
from fastapi import Body, FastAPI, Header
from sqlalchemy import create_engine, text

from shared.web.serving import HTTP_PROTOCOL

TABLE = "floor_claims"
DDL = f"CREATE TABLE {TABLE} (id uuid PRIMARY KEY, idempotency_key text NOT NULL, body jsonb NOT NULL, " \
      "received_at timestamptz NOT NULL DEFAULT now())"
INSERT = text(f"INSERT INTO {TABLE} (id, idempotency_key, body) VALUES (:id, :key, CAST(:body AS jsonb))")


def create_app() -> FastAPI:
    engine = create_engine(os.environ["BENCH_FLOOR_DATABASE_URL"])
    app = FastAPI()

    @app.get("/healthz/live")
    def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/claims", status_code=201)
    def post_claim(data: Annotated[Any, Body()] = None,
                   idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None) -> dict[str, str]:
        claim_id = str(uuid.uuid4())
        with engine.begin() as conn:
            conn.execute(INSERT, {"id": claim_id, "key": idempotency_key or "",
                                  "body": json.dumps(data, ensure_ascii=False)})
        return {"claim_id": claim_id}

    return app


def main(port: int, processes: int) -> None:
    options: dict[str, Any] = dict(host="127.0.0.1", port=port, log_config=None, access_log=False,
                                   timeout_graceful_shutdown=5, http=HTTP_PROTOCOL)
    if processes > 1:
        uvicorn.run("bench.floor_app:create_app", factory=True, workers=processes, **options)
    else:
        uvicorn.run(create_app(), **options)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
