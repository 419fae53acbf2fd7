"""Frames for the rules that span tables, built from the normalised frames (pandas out)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from pipelines.quality.frames import Frame, cents, to_pandas
from pipelines.quality.publication import publication_losses, publication_volume
from pipelines.quality.suites import DERIVED_SOURCES

_CODE_YEAR = r"/ ?(\d{2}) ?/ ?[BC]M$"


def grant_totals(grants: Frame, allocations: Frame) -> pd.DataFrame:
    """One row per grant_id of either table: the grant's amount and its allocations' sum, in cents."""
    grants, allocations = to_pandas(grants), to_pandas(allocations)
    amounts = pd.DataFrame(
        {"grant_id": grants["grant_id"], "amount_cents": cents(grants["amount_eur"])}
    )
    shares = (
        pd.DataFrame(
            {"grant_id": allocations["grant_id"], "cents": cents(allocations["amount_eur"])}
        )
        .groupby("grant_id", dropna=False, sort=False)["cents"]
        .agg(allocated_cents="sum", allocation_count="size")
        .reset_index()
    )
    totals = amounts.merge(shares, on="grant_id", how="outer", sort=False)
    totals["allocated_cents"] = totals["allocated_cents"].fillna(0).astype("Int64")
    totals["allocation_count"] = totals["allocation_count"].fillna(0).astype("Int64")
    return totals[["grant_id", "amount_cents", "allocated_cents", "allocation_count"]]


def grant_sessions(grants: Frame, deliberations: Frame) -> pd.DataFrame:
    """Each grant beside its deliberation's session year, and funding_year - session_year."""
    grants, deliberations = to_pandas(grants), to_pandas(deliberations)
    sessions = deliberations[["deliberation_id", "session_year", "session_date"]].drop_duplicates(
        "deliberation_id"
    )
    joined = grants[["grant_id", "deliberation_id", "funding_year"]].merge(
        sessions, on="deliberation_id", how="left", indicator=True, sort=False
    )
    year_of_date = pd.to_datetime(joined["session_date"], errors="coerce").dt.year
    session_year = joined["session_year"].astype("Int64").fillna(year_of_date.astype("Int64"))
    return pd.DataFrame(
        {
            "grant_id": joined["grant_id"],
            "deliberation_id": joined["deliberation_id"],
            "funding_year": joined["funding_year"].astype("Int64"),
            "session_year": session_year,
            "funding_year_offset": joined["funding_year"].astype("Int64") - session_year,
            "deliberation_found": joined["_merge"] == "both",
        }
    )


def deliberation_years(deliberations: Frame) -> pd.DataFrame:
    """Each deliberation's session_year beside its session date's year and its code's year."""
    deliberations = to_pandas(deliberations)
    two_digits = deliberations["deliberation_code"].astype("string").str.extract(_CODE_YEAR)[0]
    session_date = pd.to_datetime(deliberations["session_date"], errors="coerce")
    return pd.DataFrame(
        {
            "deliberation_id": deliberations["deliberation_id"],
            "session_year": deliberations["session_year"].astype("Int64"),
            "session_date_year": session_date.dt.year.astype("Int64"),
            "code_year": two_digits.astype("Int64") + 2000,
        }
    )


def review_health(
    documents: Frame, deliberations: Frame, grants: Frame, quarantine: Frame
) -> pd.DataFrame:
    """One row: how much of the run the warehouse can vouch for. Acts flagged (awaiting review)
    or unreadable among the acts; relevant cards none of whose documents was parsed as an act
    (a download that failed, a folder the crawl does not take for an act); rows quarantined
    among the rows loaded."""
    documents, deliberations = to_pandas(documents), to_pandas(deliberations)
    read = set(deliberations["document_sha256"].dropna())
    acts = documents[documents["is_act"].astype(bool)]
    unreadable = acts[
        acts["parse_status"].isin(["no_text", "unreadable"]) & ~acts["sha256"].isin(read)
    ]["sha256"].nunique()
    flagged = int(deliberations["needs_review"].fillna(False).astype(bool).sum())
    considered = len(deliberations) + unreadable
    relevant = documents[documents["card_relevant"].astype(bool)]
    parsed_cards = relevant[relevant["is_act"].astype(bool) & relevant["parse_status"].notna()]
    relevant_cards = relevant["card_id"].nunique()
    unparsed = relevant_cards - parsed_cards["card_id"].nunique()
    quarantined = len(quarantine)
    loaded = len(deliberations) + len(grants) + quarantined
    return pd.DataFrame(
        [
            {
                "scope": "run",
                "acts": considered,
                "acts_flagged": flagged,
                "acts_unreadable": unreadable,
                "flagged_or_unreadable_share": _share(flagged + unreadable, considered),
                "relevant_cards": relevant_cards,
                "relevant_cards_unparsed": unparsed,
                "unparsed_share": _share(unparsed, relevant_cards),
                "rows_loaded": loaded,
                "rows_quarantined": quarantined,
                "quarantine_share": _share(quarantined, loaded),
            }
        ]
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def freshness(deliberations: Frame) -> pd.DataFrame:
    """The latest act (by session date): one row, none when there is no act."""
    deliberations = to_pandas(deliberations)
    dated = deliberations.dropna(subset=["session_date"])
    if dated.empty:
        return pd.DataFrame({"deliberation_id": [], "session_date": []})
    latest = dated.loc[pd.to_datetime(dated["session_date"]).idxmax()]
    return pd.DataFrame(
        {"deliberation_id": [latest["deliberation_id"]], "session_date": [latest["session_date"]]}
    )


# Derived suite -> (the tables it reads, in the builder's argument order; the builder).
_BUILDERS: dict[str, Callable[..., pd.DataFrame]] = {
    "grant_totals": grant_totals,
    "grant_sessions": grant_sessions,
    "deliberation_years": deliberation_years,
    "review_health": review_health,
    "freshness": freshness,
    "publication_losses": publication_losses,
    "publication_volume": publication_volume,
}
DERIVED: dict[str, tuple[tuple[str, ...], Callable[..., pd.DataFrame]]] = {
    name: (DERIVED_SOURCES[name], build) for name, build in _BUILDERS.items()
}


def derived_frame(name: str, frames_by_table: Mapping[str, Frame]) -> pd.DataFrame:
    """The derived frame of that name, built from the tables it reads."""
    tables, build = DERIVED[name]
    missing = [table for table in tables if table not in frames_by_table]
    if missing:
        raise KeyError(f"derived frame {name!r} needs the table(s) {', '.join(missing)}")
    return build(*(frames_by_table[table] for table in tables))


def derived_frames(frames_by_table: Mapping[str, Frame]) -> dict[str, pd.DataFrame]:
    """Every derived frame whose tables are all given, by suite name."""
    return {
        name: derived_frame(name, frames_by_table)
        for name, (tables, _) in DERIVED.items()
        if all(table in frames_by_table for table in tables)
    }
