"""Input no route may see: a NUL anywhere in the path, the query or a JSON body is a 422 (issue 12 point 2).

PostgreSQL text cannot hold NUL, so without this check a NUL reached the driver and came back a 500; no
field of this API takes one, so it is refused before any route or model looks at the request.
"""

import re

from fastapi import Request

from shared.errors import ValidationFailed

# a raw NUL byte, or the JSON escape of one (\u0000; an escaped backslash before it is a literal text)
_NUL_IN_BODY = re.compile(rb"\x00|(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _is_json(request: Request) -> bool:
    """A JSON body: every field of one is text a model reads. A bank file (CSV, XML) is not: its intake reports
    an unreadable line as that line's outcome."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return request.method in ("POST", "PUT", "PATCH") and (media == "application/json" or media.endswith("+json"))


async def refuse_nul(request: Request) -> None:
    where = [name for name, value in request.path_params.items() if "\x00" in str(value)]
    where += [name for name, value in request.query_params.multi_items() if "\x00" in name + value]
    if not where and _is_json(request) and _NUL_IN_BODY.search(await request.body()):
        where.append("body")
    if where:
        raise ValidationFailed(f"NUL characters are not accepted: {', '.join(where)}",
                               errors=[{"field": field, "message": "holds a NUL character"} for field in where])
