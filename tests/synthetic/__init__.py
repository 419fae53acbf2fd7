"""SYNTHETIC corpus generator: fake AMP deliberation PDFs and expected records (test oracle)."""

from __future__ import annotations

from typing import Any

__all__ = ["VARIATION_NAMES", "generate_bad_inputs", "generate_corpus"]


def __getattr__(name: str) -> Any:
    """Import lazily, so `python -m tests.synthetic.corpus` runs without a warning."""
    if name == "generate_corpus":
        from tests.synthetic.corpus import generate_corpus

        return generate_corpus
    if name == "generate_bad_inputs":
        from tests.synthetic.bad_inputs import generate_bad_inputs

        return generate_bad_inputs
    if name == "VARIATION_NAMES":
        from tests.synthetic.variations import VARIATION_NAMES

        return VARIATION_NAMES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
