"""What a publication would change: the grants the last published warehouse counted that the
new one loses, and how much the counts move. Pure frame builders, and the reader of both files.

A grant the published warehouse counted **as certain** (its act not awaiting review) must still
be counted, with the same beneficiary, amount, funding year and kind, unless:
- its act's document changed (the portal serves another PDF under its code),
- a person's correction of the act applies (a `corrected` or `checked` entry),
- an adopted act now replaces it (an amendment).
Anything else is a loss the publication would hide: a parser change, a crawl that lost acts,
a reference file edited by mistake. The check blocks; the published warehouse stays as it was.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from pipelines.quality.frames import Frame, cents, to_pandas

# A grant's identity across publications (grant ids are ranks: they move when a grant is added).
_IDENTITY = ("deliberation_code", "beneficiary_key", "amount_cents", "funding_year", "kind")


def publication_losses(
    counted: Frame,
    deliberations: Frame,
    corrections: Frame,
    published_counted: Frame,
    published_deliberations: Frame,
) -> pd.DataFrame:
    """One row per grant counted as certain by the published warehouse and not by the new one,
    with whether it is excused and why (`excused` False: the publication would lose it)."""
    counted, published = _identified(counted), _identified(published_counted)
    deliberations, before = to_pandas(deliberations), to_pandas(published_deliberations)
    if "needs_review" in published.columns:
        published = published[~published["needs_review"].fillna(False).astype(bool)]
    # A multiset: of two identical grants of one act, losing one is a loss.
    kept = Counter(counted[list(_IDENTITY)].itertuples(index=False, name=None))
    gone = []
    for row in published[list(_IDENTITY)].itertuples(index=False, name=None):
        gone.append(kept[row] == 0)
        kept[row] -= 1
    lost = published.loc[pd.Series(gone, index=published.index, dtype=bool)]
    now = dict(
        zip(deliberations["deliberation_code"], deliberations["document_sha256"], strict=True)
    )
    then = dict(zip(before["deliberation_code"], before["document_sha256"], strict=True))
    corrected = set(
        to_pandas(corrections).query("state == 'applied'")["deliberation_code"].dropna()
    )
    # Acts an adopted act now amends: their grants, and those of an earlier amendment of the
    # same act, are replaced (int_grants__effective), not lost.
    replaced = set(_column(counted, "replaces_deliberation_code").dropna())
    reasons = [
        _excuse(code, amended, now, then, corrected, replaced)
        for code, amended in zip(
            lost["deliberation_code"],
            _column(lost, "replaces_deliberation_code"),
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            "deliberation_code": lost["deliberation_code"].astype("string").to_numpy(),
            "beneficiary": lost["beneficiary"].astype("string").to_numpy(),
            "amount_eur": lost["amount_cents"].astype("Int64").to_numpy() / 100,
            "funding_year": lost["funding_year"].astype("Int64").to_numpy(),
            "excused": [reason is not None for reason in reasons],
            "excuse": reasons,
        }
    )


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column, or nulls when the frame lacks it (a warehouse published by an older version)."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype="object")


def _excuse(
    code: str,
    amended: str | None,
    now: dict[str, str],
    then: dict[str, str],
    corrected: set[str],
    replaced: set[str],
) -> str | None:
    if code in corrected:
        return "a person's correction of the act applies"
    if code in replaced:
        return "an adopted act now replaces it"
    if isinstance(amended, str) and amended in replaced:
        return "a later act amending the same act replaces it"
    if code in now and now[code] != then.get(code):
        return "the act's document changed"
    return None


def publication_volume(counted: Frame, published_counted: Frame) -> pd.DataFrame:
    """One row per measure (grants counted, euros counted, acts with a counted grant): the
    published value, the new one and the relative change (null when nothing was published)."""
    counted, published = _identified(counted), _identified(published_counted)
    rows = []
    for measure, of in (
        ("grants", lambda frame: len(frame)),
        ("euros", lambda frame: int(frame["amount_cents"].sum()) / 100),
        ("acts", lambda frame: frame["deliberation_code"].nunique()),
    ):
        before, after = float(of(published)), float(of(counted))
        rows.append(
            {
                "measure": measure,
                "published": before,
                "new": after,
                "change": (after - before) / before if before else None,
            }
        )
    return pd.DataFrame(rows)


def _identified(frame: Frame) -> pd.DataFrame:
    """counted_grants with the identity columns: a beneficiary key (its pôle, else its name
    lower-cased) and the amount in whole cents."""
    frame = to_pandas(frame).copy()
    if frame.empty:
        for column in (*_IDENTITY, "beneficiary"):
            frame[column] = pd.Series(dtype="object")
        return frame
    names = frame["beneficiary"].astype("string").str.strip().str.lower()
    frame["beneficiary_key"] = frame["pole_id"].astype("string").fillna(names)
    frame["amount_cents"] = cents(frame["amount_eur"])
    frame["funding_year"] = frame["funding_year"].astype("Int64")
    return frame


def read_publication_frames(work: Path, published: Path) -> dict[str, pd.DataFrame]:
    """The frames the publication suites read: the work file's mart and tables, and the
    published file's (empty when nothing was published yet)."""
    work_frames = _read(work, corrections=True)
    if published.exists():
        before = _read(published, corrections=False)
    else:
        before = {name: frame.head(0) for name, frame in work_frames.items()}
    return {
        **work_frames,
        "published_counted_grants": before["counted_grants"],
        "published_deliberations": before["deliberations"],
    }


def _read(path: Path, corrections: bool) -> dict[str, pd.DataFrame]:
    """A warehouse file's counted grants and acts (and its corrections), read-only."""
    import duckdb

    queries = {
        "counted_grants": "select * from marts.counted_grants",
        "deliberations": "select deliberation_code, document_sha256 from main.deliberations",
    }
    if corrections:
        queries["corrections"] = "select deliberation_code, state from main.corrections"
    with duckdb.connect(str(path), read_only=True) as connection:
        return {name: connection.execute(sql).df() for name, sql in queries.items()}
