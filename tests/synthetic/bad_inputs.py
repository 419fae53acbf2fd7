"""SYNTHETIC corpus: inputs the parser must refuse (scan, truncated, HTML, encrypted, corrupt)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from pipelines.parse.record import DeliberationRecord, Status, failed_record
from tests.synthetic.assemble import build_document
from tests.synthetic.render import SYNTHETIC_MARK, render_pdf
from tests.synthetic.variations import BY_NAME

HTML_503 = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>503 Service Unavailable</title></head>
<body>
<h1>Service Unavailable</h1>
<p>The server is temporarily unable to service your request due to maintenance downtime or
capacity problems. Please try again later.</p>
<hr><address>Apache Server at deliberations.ampmetropole.fr Port 443</address>
<!-- SYNTHETIC polefunds test corpus -->
</body>
</html>
"""


def _sample_pdf(seed: int = 7) -> bytes:
    """A normal generated deliberation to damage or to scan."""
    return render_pdf(build_document(0, seed, BY_NAME["single-pole-split"]))


def scanned_pdf() -> bytes:
    """An image-only PDF: the first pages of a deliberation rendered, greyed and noised."""
    rng = random.Random("scan")
    source = pdfium.PdfDocument(_sample_pdf())
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle("Numérisation")
    canvas.setSubject(SYNTHETIC_MARK)
    canvas.setKeywords(SYNTHETIC_MARK)
    canvas.setCreator("polefunds synthetic generator (scanner simulation)")
    try:
        for index in range(min(2, len(source))):
            image = source[index].render(scale=1.1, grayscale=True).to_pil().convert("L")
            image = image.rotate(
                rng.uniform(-0.8, 0.8), fillcolor=255, resample=Image.Resampling.BILINEAR
            )
            # Scanner speckle: a few hundred dark dots.
            for _ in range(400):
                x, y = rng.randrange(image.width), rng.randrange(image.height)
                image.putpixel((x, y), rng.randint(0, 120))
            jpeg = io.BytesIO()
            image.save(jpeg, format="JPEG", quality=55)
            jpeg.seek(0)
            canvas.drawImage(ImageReader(jpeg), 0, 0, width=A4[0], height=A4[1])
            canvas.showPage()
    finally:
        source.close()
    canvas.save()
    return buffer.getvalue()


def truncated_pdf() -> bytes:
    """A download cut short: the first 40 % of a deliberation's bytes, no page tree, no xref."""
    data = _sample_pdf(11)
    return data[: int(len(data) * 0.4)]


def encrypted_pdf() -> bytes:
    """A deliberation protected by a user password (cannot be opened without it)."""
    doc = build_document(0, 13, BY_NAME["table-poles"])
    encryption = pdfencrypt.StandardEncryption(
        "synthetic-user", ownerPassword="synthetic-owner", strength=128
    )
    return render_pdf(doc, encrypt=encryption)


def corrupt_pdf() -> bytes:
    """A PDF header followed by noise: no object can be read."""
    rng = random.Random("corrupt")
    noise = rng.randbytes(6000).replace(b"obj", b"xxx").replace(b"%%EOF", b"xxxxx")
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + noise + b"\n%%EOF\n"


def html_error_page() -> bytes:
    """What a server sent instead of the PDF: a 503 page saved with a .pdf name."""
    return HTML_503.encode("utf-8")


BAD_INPUTS: tuple[tuple[str, Callable[[], bytes], Status, str], ...] = (
    ("bad-scan-no-text-layer", scanned_pdf, "no_text", "PDF has no text layer (scanned image)"),
    (
        "bad-truncated-download",
        truncated_pdf,
        "unreadable",
        "PDF is truncated (download cut short)",
    ),
    ("bad-html-503-error-page", html_error_page, "unreadable", "not a PDF: HTML error page"),
    ("bad-encrypted-password", encrypted_pdf, "unreadable", "PDF is encrypted with a password"),
    ("bad-corrupt-bytes", corrupt_pdf, "unreadable", "PDF is corrupt: no readable object"),
)


def generate_bad_inputs(out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write the five bad inputs with their expected (failed) records; return the file paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, make, status, error in BAD_INPUTS:
        data = make()
        path = out / f"{stem}.pdf"
        path.write_bytes(data)
        record: DeliberationRecord = failed_record(
            path.name, hashlib.sha256(data).hexdigest(), status, error
        )
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        (out / f"{stem}.expected.json").write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
