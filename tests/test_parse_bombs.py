"""PDF bombs are cut off by the batch's per-file memory and time limits; the batch goes on.

Each bomb is a small, well-formed PDF built byte by byte: a content stream that inflates to
1 GiB, form XObjects nested 40 deep that each draw the next twice (2**40 draws), and a page
whose content stream never ends in practice (hundreds of MB of path operators).
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pytest

from pipelines.parse.batch import parse_files
from tests.conftest import SAMPLES

GOOD = SAMPLES / "bm-2019-03-28-eco-024-5567-optitec.pdf"
TIMEOUT_S = 10.0
MEMORY_MB = 768
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources %s >>"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered objects (1 the catalog, 2 the page tree), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def one_page(content: bytes, *more: bytes, resources: bytes = b"<< >>") -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            PAGE % resources,
            content,
            *more,
        ]
    )


def repeated_deflate(block: bytes, times: int) -> bytes:
    """zlib data of `block` repeated: the block compressed once, its bytes repeated (a full
    flush makes each copy independent), then the checksum of the whole."""
    compressor = zlib.compressobj(9)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()[:-4]  # the final empty block, without the checksum
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(block, checksum)
    return first + again * (times - 1) + end + checksum.to_bytes(4, "big")


def inflating_to_a_gigabyte(path: Path) -> Path:
    """1 GiB of blanks in one FlateDecode content stream (about 1 MB on disk)."""
    data = repeated_deflate(b" " * (1 << 20), 1024)
    path.write_bytes(one_page(stream(data, b" /Filter /FlateDecode")))
    return path


def nested_forms(path: Path, depth: int = 40) -> Path:
    """Form XObjects nested `depth` deep, each drawing the next twice."""
    forms = []
    for level in range(depth):
        inner = 5 + level + 1
        if level < depth - 1:
            body, resources = b"/X Do /X Do", b" /Resources << /XObject << /X %d 0 R >> >>" % inner
        else:
            body, resources = b"BT /F1 12 Tf 10 10 Td (ECO) Tj ET 0 0 m 10 10 l S", b""
        forms.append(
            stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]" + resources)
        )
    path.write_bytes(one_page(stream(b"/X Do"), *forms, resources=b"<< /XObject << /X 5 0 R >> >>"))
    return path


def endless_content(path: Path) -> Path:
    """A content stream of 512 MiB of lines and filled rectangles (about 1 MB compressed)."""
    block = b"0 0 m 595 842 l S 10 10 585 832 re f\n" * (1 << 20 >> 5)
    data = repeated_deflate(block[: 1 << 20], 512)
    path.write_bytes(one_page(stream(data, b" /Filter /FlateDecode")))
    return path


@pytest.mark.parametrize("bomb", [inflating_to_a_gigabyte, nested_forms, endless_content])
def test_a_pdf_bomb_is_cut_off_and_the_next_file_parsed(bomb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = bomb(tmp_path / "bomb.pdf")
    assert path.stat().st_size < 2_000_000
    started = time.monotonic()
    records = list(parse_files([path, GOOD], timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB))
    elapsed = time.monotonic() - started
    assert records[0]["status"] == "unreadable"
    assert f"memory limit {MEMORY_MB} MB" in records[0]["error"] or "cut off" in records[0]["error"]
    assert records[0]["file"] == "bomb.pdf" and records[0]["grants"] == []
    assert records[1]["status"] == "ok"
    assert records[1]["deliberation_code"] == "ECO 024-5567/19/BM"
    # Within the limits: the time limit, plus a worker's start and the good file's parse.
    assert elapsed < TIMEOUT_S + 10
