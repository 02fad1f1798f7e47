"""Applying a bank return: a job that sends a CSV file in chunks of lines (each chunk its own upload, the
header repeated), so the page shows real progress and each chunk stays within the API's body limit. Line
numbers are mapped back to the file's own. A pain.002 XML report is one document and goes in one upload.

Matching is by end-to-end id, so chunking changes nothing the lines do, except that a payment repeated in
two chunks reads `already_recorded` in the second rather than `duplicate_in_file`; nothing is applied twice."""

import re
from dataclasses import dataclass, field

from services.console.service.api_models import BankReturn, ReturnLine
from services.console.service.backends import Backends
from services.console.service.jobs import Job

CHUNK_LINES = 400  # ~30 KiB of CSV lines: under the API's 64 KiB request limit
_LINE_PREFIX = re.compile(r"^line (\d+):")


@dataclass
class AppliedReturn:
    uploads: list[str] = field(default_factory=list)
    lines: list[ReturnLine] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for line in self.lines:
            out[line.outcome] = out.get(line.outcome, 0) + 1
        return dict(sorted(out.items()))


def is_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def csv_chunks(data: bytes, size: int = CHUNK_LINES) -> list[tuple[int, bytes]]:
    """(offset, chunk): chunk line n is line n + offset of the file (both count the header as line 1)."""
    text = data.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    if not lines:
        return [(0, data)]
    header, body = lines[0], lines[1:]
    if header and not header.endswith(("\n", "\r")):
        header += "\n"
    return [(start, (header + "".join(body[start:start + size])).encode()) for start in range(0, len(body), size)] \
        or [(0, header.encode())]


def _renumbered(line: ReturnLine, offset: int) -> ReturnLine:
    if not offset or line.line_no <= 1:
        return line
    number = line.line_no + offset
    message = _LINE_PREFIX.sub(f"line {number}:", line.message or "", count=1) if line.message else line.message
    return line.model_copy(update={"line_no": number, "message": message})


def apply_work(backends: Backends, data: bytes, content_type: str):  # type: ignore[no-untyped-def]
    def work(job: Job) -> None:
        result = AppliedReturn()
        if is_xml(data):
            job.progress(0, 1, "uploading")
            upload = backends.disbursement.bank_return(data, "application/xml")
            _take(result, upload, 0)
        else:
            chunks = csv_chunks(data)
            job.progress(0, len(chunks), "uploading")
            for n, (offset, chunk) in enumerate(chunks, start=1):
                _take(result, backends.disbursement.bank_return(chunk, "text/csv"), offset)
                job.progress(n, len(chunks), "uploading")
        job.result = result
        job.stage = "done"

    return work


def _take(result: AppliedReturn, upload: BankReturn, offset: int) -> None:
    result.uploads.append(upload.upload_id)
    result.lines += [_renumbered(line, offset) for line in upload.lines]


def upload(backends: Backends, upload_id: str) -> BankReturn:
    return backends.disbursement.bank_return_upload(upload_id)
