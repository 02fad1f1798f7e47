"""A file the browser saves rather than shows."""

from fastapi.responses import Response

CSV = "text/csv; charset=utf-8"


def attachment(data: bytes, name: str, media_type: str = CSV) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
