"""The normalised tables: one declared polars schema per table, with its key and description.

These are the warehouse's sources (schema `main` of the DuckDB file); the dbt project in
`sql/` reads them through `sources.yml` and nothing else does.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

MONEY = pl.Decimal(14, 2)


@dataclass(frozen=True)
class Table:
    """A normalised table: name, key columns, schema and what each column means."""

    name: str
    key: tuple[str, ...]
    description: str
    columns: dict[str, tuple[pl.DataType, str]]

    @property
    def schema(self) -> pl.Schema:
        """The polars schema, column order kept."""
        return pl.Schema({name: dtype for name, (dtype, _) in self.columns.items()})

    def empty(self) -> pl.DataFrame:
        """A frame of this table with no row."""
        return pl.DataFrame(schema=self.schema)


DOCUMENTS = Table(
    name="documents",
    key=("url",),
    description="Every document URL the crawl saw, its download and its parse (one row per URL).",
    columns={
        "url": (pl.String(), "Absolute URL of the document on the portal"),
        "card_id": (pl.String(), "The listing card the document belongs to"),
        "document_kind": (
            pl.String(),
            "DECISION or DELIBERATION (the act), ANNEXE or RAPPORTDELACOMMISSION; OTHER: a "
            "folder the crawl does not know",
        ),
        "is_act": (
            pl.Boolean(),
            "Whether it is its card's act, the document parsed (DECISION or DELIBERATION, "
            "else the report)",
        ),
        "card_relevant": (
            pl.Boolean(),
            "Whether its card is about economic development or a pôle (the crawl's filter)",
        ),
        "sha256": (
            pl.String(),
            "Digest of the downloaded bytes (raw store key); null if not downloaded",
        ),
        "bytes": (pl.Int64(), "Size of the download in bytes"),
        "http_status": (pl.Int32(), "Last HTTP status of the download"),
        "content_type": (pl.String(), "Content-Type the server sent"),
        "download_state": (pl.String(), "new, ok or failed"),
        "download_error": (pl.String(), "Why the download failed, one line"),
        "first_seen": (pl.Datetime("us", "UTC"), "When the crawl first saw the URL"),
        "last_seen": (pl.Datetime("us", "UTC"), "When the crawl last saw the URL"),
        "listing_session_date": (pl.Date(), "Session date shown on the listing card"),
        "parse_status": (pl.String(), "ok, no_text or unreadable; null when not parsed"),
        "parse_error": (pl.String(), "Why the parse failed, one line"),
        "parser_version": (pl.String(), "Version of the parser that produced the record"),
    },
)

DELIBERATIONS = Table(
    name="deliberations",
    key=("deliberation_id",),
    description="One row per deliberation (act), from the latest version of its document.",
    columns={
        "deliberation_id": (pl.String(), "Key: the deliberation code, e.g. ECO 024-5567/19/BM"),
        "deliberation_code": (pl.String(), "Code as printed, spaces folded"),
        "reference": (pl.String(), "Registry reference, e.g. MET 19/10103/BM"),
        "authority": (pl.String(), "Publishing authority, e.g. metropole-aix-marseille-provence"),
        "body": (pl.String(), "bureau, conseil or conseil-de-territoire"),
        "session_date": (pl.Date(), "Date of the session"),
        "session_year": (pl.Int32(), "Year of the session"),
        "title": (pl.String(), "Object of the deliberation"),
        "outcome": (pl.String(), "adopted, rejected, withdrawn; null when the act does not say"),
        "members_present": (pl.Int32(), "Members present at the session"),
        "amends": (pl.String(), "Code of the deliberation this one amends"),
        "document_sha256": (pl.String(), "Digest of the document the row was read from"),
        "source_url": (pl.String(), "URL of that document"),
        "commission": (pl.String(), "Commission shown on the listing card"),
        "rapporteur": (pl.String(), "Rapporteur shown on the listing card"),
        "listing_impact_kind": (
            pl.String(),
            "The listing card's Incidence financière, read: none (Sans.), expense, income "
            "(money coming in) or unread; null when the card states none",
        ),
        "listing_impact_eur": (
            MONEY,
            "The total the card states, euros (of an HT/TTC pair, the TTC); null when it "
            "states none the reader could tell",
        ),
        "listing_impact_ht_eur": (MONEY, "The HT total the card states, euros, where it says HT"),
        "needs_review": (
            pl.Boolean(),
            "Whether the act awaits a person: flagged (review_reasons) and no correction covers it",
        ),
        "review_reasons": (
            pl.List(pl.String()),
            "What could not be accounted for, 'code: detail' each (the parser's, then the "
            "warehouse's: listing_disagrees...); kept after a correction, for its lineage",
        ),
        "review_status": (
            pl.String(),
            "not_flagged, awaiting_review, corrected or checked (a person's correction applies)",
        ),
        "correction_file": (
            pl.String(),
            "The correction applied to the act (corrections/<code>.yaml); null when none",
        ),
    },
)

GRANTS = Table(
    name="grants",
    key=("grant_id",),
    description="Every sum a deliberation grants, as the act states it (whatever its outcome).",
    columns={
        "grant_id": (pl.String(), "Key: deliberation id and rank, e.g. ECO 024-5567/19/BM#1"),
        "deliberation_id": (pl.String(), "The deliberation that states the grant"),
        "grant_index": (pl.Int32(), "Rank of the grant in the deliberation, from 1"),
        "beneficiary": (pl.String(), "Beneficiary as written"),
        "pole_id": (pl.String(), "Pôle de compétitivité named (as named then); null for others"),
        "kind": (pl.String(), "operating, investment, membership or other"),
        "amount_eur": (MONEY, "Amount granted, euros (an amendment: the new total)"),
        "funding_year": (pl.Int32(), "Budget year funded"),
        "programme_budget_eur": (MONEY, "Beneficiary's budget the grant is a share of"),
    },
)

GRANT_ALLOCATIONS = Table(
    name="grant_allocations",
    key=("grant_id", "allocation_index"),
    description="How each grant is charged across the Métropole's territories and budgets.",
    columns={
        "grant_id": (pl.String(), "The grant charged"),
        "allocation_index": (pl.Int32(), "Rank of the share in the grant, from 1"),
        "territory_id": (
            pl.String(),
            "Territory charged, or metropole for the Métropole as a whole",
        ),
        "budget": (pl.String(), "principal (budget principal) or ets (Etat Spécial de Territoire)"),
        "amount_eur": (MONEY, "Share of the grant, euros"),
    },
)

POLES = Table(
    name="poles",
    key=("pole_id",),
    description="The pôles de compétitivité of Région Sud, with their history.",
    columns={
        "pole_id": (pl.String(), "Canonical id"),
        "name": (pl.String(), "Usual name"),
        "full_name": (pl.String(), "Full name"),
        "theme": (pl.String(), "Field of the pôle"),
        "valid_from": (pl.Date(), "First day the pôle existed under this id"),
        "valid_to": (pl.Date(), "Last day; null while it exists"),
        "successor_id": (pl.String(), "The pôle it merged into, from valid_to + 1 day"),
        "history": (pl.String(), "Mergers and renamings, in words"),
    },
)

POLE_ALIASES = Table(
    name="pole_aliases",
    key=("alias",),
    description="Names documents give the pôles.",
    columns={
        "alias": (pl.String(), "A name as documents write it"),
        "pole_id": (pl.String(), "The pôle it designates"),
        "case_sensitive": (pl.Boolean(), "Whether only this exact case designates the pôle"),
        "note": (pl.String(), "Period or remark"),
    },
)

TERRITORIES = Table(
    name="territories",
    key=("territory_id",),
    description="The six territories of the Métropole, and metropole for the Métropole as a whole.",
    columns={
        "territory_id": (pl.String(), "Canonical id"),
        "name": (pl.String(), "Name"),
        "seat": (pl.String(), "Seat of the territory council"),
        "ets": (pl.Boolean(), "Whether it has an Etat Spécial de Territoire"),
    },
)

CORRECTIONS = Table(
    name="corrections",
    key=("correction_file",),
    description="People's corrections of parsed acts (DATA/corrections/*.yaml) and what became of each.",
    columns={
        "correction_file": (pl.String(), "Key: the file, corrections/<code>.yaml"),
        "deliberation_code": (pl.String(), "The act it corrects; null when the file is invalid"),
        "document_sha256": (pl.String(), "Digest of the PDF the person read"),
        "verdict": (pl.String(), "corrected (fields or grants given) or checked (as parsed)"),
        "changed": (pl.List(pl.String()), "What it replaces: field names, and grants"),
        "corrected_by": (pl.String(), "Who read the act"),
        "corrected_on": (pl.Date(), "When"),
        "why": (pl.String(), "Why, in words"),
        "state": (
            pl.String(),
            "applied; stale (the portal now serves another document under that code: the act "
            "is flagged correction_stale); unmatched (no such act or document); invalid",
        ),
        "error": (pl.String(), "Why an invalid file could not be read"),
    },
)

QUARANTINE = Table(
    name="quarantine",
    key=("table_name", "row_key", "check_name"),
    description="Rows held out of the tables because they failed a check, with the reason.",
    columns={
        "table_name": (pl.String(), "Table the row was meant for"),
        "row_key": (pl.String(), "Key of the row in that table"),
        "check_name": (pl.String(), "The rule it failed"),
        "reason": (pl.String(), "What is wrong, in words"),
        "document_sha256": (pl.String(), "Document the row was read from"),
        "row_json": (pl.String(), "The row as JSON"),
    },
)

TABLES: tuple[Table, ...] = (
    DOCUMENTS,
    DELIBERATIONS,
    GRANTS,
    GRANT_ALLOCATIONS,
    POLES,
    POLE_ALIASES,
    TERRITORIES,
    CORRECTIONS,
    QUARANTINE,
)
BY_NAME = {table.name: table for table in TABLES}
