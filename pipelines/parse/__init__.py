"""PDF deliberation -> record (docs/deliberation-record.md): pure functions, no Dagster."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from pipelines.parse.annexes import AnnexSource, annex_reference, with_annexes
from pipelines.parse.grants import extract_grants
from pipelines.parse.header import parse_header
from pipelines.parse.pdf_text import NoTextLayer, PdfContent, UnreadablePdf, read_pdf
from pipelines.parse.record import DeliberationRecord, failed_record
from pipelines.parse.review import review
from pipelines.parse.text import clean_lines, split_zones

__all__ = ["AnnexSource", "parse_bytes", "parse_content", "parse_pdf"]


def parse_pdf(path: str | Path, annexes: Sequence[str | Path] = ()) -> DeliberationRecord:
    """Parse one PDF file into its record; bad input gives a record with a status and a reason.

    `annexes`: the files of the annexes of the act's card, read only if the act puts its
    amounts in an annex."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return failed_record(path.name, "", "unreadable", f"cannot read the file: {error.strerror}")
    return parse_bytes(data, path.name, [(Path(a).name, Path(a)) for a in annexes])


def parse_bytes(data: bytes, file: str, annexes: Sequence[AnnexSource] = ()) -> DeliberationRecord:
    """Parse a PDF's bytes; `file` is the name the record carries; `annexes` (name, bytes or
    file) are the annexes of the act's card."""
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        content = read_pdf(data)
    except UnreadablePdf as error:
        return failed_record(file, sha256, "unreadable", str(error))
    except NoTextLayer as error:
        return failed_record(file, sha256, "no_text", str(error))
    return parse_content(content, file, sha256, annexes)


def parse_content(
    content: PdfContent, file: str, sha256: str, annexes: Sequence[AnnexSource] = ()
) -> DeliberationRecord:
    """The record of a PDF whose text has been read (and of the annexes its amounts are in)."""
    document = split_zones(clean_lines(content.pages))
    header = parse_header(document)
    tables, used, annex_reasons = content.tables, [], []
    reference = annex_reference(document)
    if reference is not None:
        # Only an act that puts its amounts in an annex opens its annexes.
        annexed = with_annexes(document, content.tables, reference, annexes)
        document, tables, annex_reasons = annexed.document, annexed.tables, annexed.reasons
        used = [annex.sha256 for annex in annexed.used]
    reading = extract_grants(document, tables, header)
    reasons = list(dict.fromkeys([*annex_reasons, *review(document, tables, header, reading)]))
    return DeliberationRecord(
        file=file,
        sha256=sha256,
        status="ok",
        error=None,
        authority=header.authority,
        body=header.body,  # type: ignore[typeddict-item]
        territory_id=header.territory_id,
        session_date=header.session_date,
        deliberation_code=header.deliberation_code,
        reference=header.reference,
        title=header.title,
        outcome=header.outcome,  # type: ignore[typeddict-item]
        members_present=header.members_present,
        amends=reading.amends,
        grants=reading.grants,
        needs_review=bool(reasons),
        review_reasons=reasons,
        annexes=used,
    )
