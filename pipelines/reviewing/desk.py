"""The acts awaiting review and the entries a person writes about them, from the published
warehouse (read-only). The entries' format is pipelines/normalise/corrections.py's."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.normalise.corrections import fold_code
from pipelines.warehouse.readonly import connect_readonly

REVIEWER_ENV = "POLEFUNDS_REVIEWER"
_SHA_PREFIX = re.compile(r"^[0-9a-f]{8,64}$")


@dataclass(frozen=True)
class Act:
    """An act of the warehouse as a reviewer sees it: what the parser read, and why it is flagged."""

    sha256: str
    code: str | None
    queue_reason: str | None  # flagged, no_text, unreadable; None when not in the queue
    session_date: dt.date | None
    body: str | None
    title: str | None
    outcome: str | None
    review_status: str | None
    reasons: list[str]
    source_url: str | None
    correction_file: str | None
    grants: list[dict[str, Any]] = field(default_factory=list)


def queue(warehouse: Path) -> pl.DataFrame:
    """marts.review_queue, newest act first."""
    with connect_readonly(warehouse) as connection:
        return connection.sql(
            "select deliberation_code, session_date, queue_reason, review_codes, "
            "amount_eur, document_path from marts.review_queue "
            "order by session_date desc nulls last, deliberation_code"
        ).pl()


def corrections_not_applied(warehouse: Path) -> pl.DataFrame:
    """The correction files that did not apply (stale, unmatched, invalid), with why."""
    with connect_readonly(warehouse) as connection:
        return connection.sql(
            "select correction_file, state, deliberation_code, "
            "coalesce(error, 'document ' || left(document_sha256, 12)) as detail "
            "from main.corrections where state != 'applied' order by correction_file"
        ).pl()


def find_act(warehouse: Path, code_or_sha: str) -> Act | None:
    """The act of that code (spaces folded), or of that sha256 (or its first 8+ characters:
    an act whose PDF could not be read has no code)."""
    wanted = code_or_sha.strip()
    by_sha = bool(_SHA_PREFIX.match(wanted))
    with connect_readonly(warehouse) as connection:
        row = connection.execute(
            """
            select d.document_sha256, d.deliberation_code, q.queue_reason, d.session_date,
                   d.body, d.title, d.outcome, d.review_status, d.review_reasons, d.source_url,
                   d.correction_file
            from main.deliberations d
            left join marts.review_queue q using (document_sha256)
            where regexp_replace(trim(d.deliberation_code), '\\s+', ' ', 'g') = ?
               or (? and starts_with(d.document_sha256, ?))
            order by d.session_date desc limit 1
            """,
            [fold_code(wanted), by_sha, wanted],
        ).fetchone()
        if row is None and not by_sha:
            return None
        if row is None:  # an unreadable PDF's act: known by its sha256 only
            unread = connection.execute(
                """
                select document_sha256, queue_reason, session_date, review_reasons, source_url
                from marts.review_queue
                where deliberation_code is null and starts_with(document_sha256, ?)
                limit 1
                """,
                [wanted],
            ).fetchone()
            if unread is None:
                return None
            sha, reason, date, detail, url = unread
            return Act(sha, None, reason, date, None, None, None, None, [detail], url, None)
        grants = _grants(connection, row[1])
    sha, code, reason, date, body, title, outcome, status, reasons, url, file = row
    return Act(
        sha,
        code,
        reason,
        date,
        body,
        title,
        outcome,
        status,
        list(reasons or []),
        url,
        file,
        grants,
    )


def _grants(connection: Any, code: str) -> list[dict[str, Any]]:
    grants = connection.execute(
        """
        select grant_id, beneficiary, pole_id, kind, amount_eur, funding_year, programme_budget_eur
        from main.grants where deliberation_id = ? order by grant_index
        """,
        [code],
    ).fetchall()
    shares = connection.execute(
        """
        select a.grant_id, a.territory_id, a.budget, a.amount_eur
        from main.grant_allocations a join main.grants g using (grant_id)
        where g.deliberation_id = ? order by a.grant_id, a.allocation_index
        """,
        [code],
    ).fetchall()
    result = []
    for grant_id, beneficiary, pole_id, kind, amount, year, budget in grants:
        result.append(
            {
                "beneficiary": beneficiary,
                "pole_id": pole_id,
                "kind": kind,
                "amount_eur": amount,
                "funding_year": year,
                "programme_budget_eur": budget,
                "allocations": [
                    {"territory_id": territory, "budget": charge, "amount_eur": share}
                    for owner, territory, charge, share in shares
                    if owner == grant_id
                ],
            }
        )
    return result


def reviewer() -> str:
    """Who is reviewing: $POLEFUNDS_REVIEWER, else git's user.name, else the login."""
    name = os.environ.get(REVIEWER_ENV, "").strip()
    if name:
        return name
    try:
        found = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    return found or getpass.getuser()


def checked_entry(act: Act, by: str, why: str, when: dt.date) -> dict[str, Any]:
    """A person read the act: it says what the parser read."""
    if act.code is None:
        raise ValueError("an act whose PDF could not be read cannot be accepted as parsed")
    return _head(act, "checked", by, why, when)


def corrected_entry(act: Act, by: str, why: str, when: dt.date) -> dict[str, Any]:
    """A correction to edit, filled with what the parser read (for an unreadable act: the
    fields to fill in and no grant)."""
    entry = _head(act, "corrected", by, why, when)
    entry["fields"] = {
        "deliberation_code": act.code or "",
        "session_date": act.session_date,
        "body": act.body,
        "title": act.title,
        "outcome": act.outcome,
    }
    entry["grants"] = [dict(grant) for grant in act.grants]  # made plain by entry_yaml
    return entry


def _head(act: Act, verdict: str, by: str, why: str, when: dt.date) -> dict[str, Any]:
    return {
        "deliberation_code": act.code or "",
        "sha256": act.sha256,
        "verdict": verdict,
        "by": by,
        "when": when,
        "why": why,
    }
