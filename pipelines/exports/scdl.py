"""The grants and deliberations as SCDL open-data files (schema.data.gouv.fr `scdl/*`).

SCDL-shaped: every column of the schema, in its order and formats. A value the act does not
state is left empty, never invented, so a row can lack a field the schema requires; the
validation (pipelines/exports/validation.py) counts the rows that are valid. The rules that
fill a required field from what the act states are `FILL_RULES`; the fields no act of the
sample states stay empty: beneficiaries' SIRET and RNA, payment terms and dates (the acts
leave them to the convention), the EU notification, the ACTES subject code, the vote counts.
`ScdlFile.empty` counts, per required or recommended column, the rows that leave it empty.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# The Métropole as the SCDL names it: its official name and its SIRET (SIREN 200054807, the
# number in the prefecture's receipt stamp of every act, and its head office NIC 00017).
COLLECTIVITY_NAME = "Métropole d'Aix-Marseille-Provence"
COLLECTIVITY_SIRET = "20005480700017"

SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"
OBJET_MAX_LENGTH = 256


# A title that approves a convention: "Approbation d'une convention (d'objectifs)",
# "approbation de la convention", "Approbation des conventions" (lowercased; either apostrophe).
APPROVES_CONVENTION = r"approbation (d['’]une|de la|des) conventions?\b"
# A title that pays a membership fee in one payment: "versement de la cotisation 2016".
PAYS_ONE_FEE = r"versement de la cotisation\b"

# Each required field filled from what the act states, and the rule: (dataset, column, rule).
FILL_RULES = (
    (
        "subventions",
        "dateConvention",
        "the session date when the act's title approves a convention "
        "('Approbation d'une convention', '… des conventions'): the date the Métropole "
        "approved it (the acts approve conventions 'à conclure'; no act gives a signing date)",
    ),
    (
        "subventions",
        "conditionsVersement",
        "'unique' when the act's title pays a membership fee ('versement de la cotisation "
        "2016'): one payment of one year's fee; other acts leave payment terms to the convention",
    ),
)


@dataclass(frozen=True)
class ScdlDataset:
    """One SCDL file: its name, its schema, the query that makes it and the columns counted."""

    name: str
    schema: Path
    query: str
    # Columns the schema requires, plus the optional ones a reuser looks for first.
    counted: tuple[str, ...]
    # The columns that name a row in the validation report.
    key: tuple[str, ...]


@dataclass
class ScdlFile:
    """A written SCDL file: its path, rows, and per counted column the rows left empty."""

    name: str
    path: Path
    rows: int
    empty: dict[str, int] = field(default_factory=dict)


# One row per grant that counts (marts.counted_grants: adopted acts, amendments replacing what they
# amend), to a pôle or to anyone else. nature: every grant is a sum of money the act grants;
# pourcentageSubvention: each row is one beneficiary's own grant, so 1.00 of its montant.
# dateConvention and conditionsVersement: FILL_RULES.
SUBVENTIONS = ScdlDataset(
    name="subventions",
    schema=SCHEMAS_DIR / "scdl-subventions.json",
    query=f"""
        select
            '{COLLECTIVITY_NAME.replace("'", "''")}' as "nomAttribuant",
            '{COLLECTIVITY_SIRET}' as "idAttribuant",
            case when regexp_matches(lower(title), '{APPROVES_CONVENTION.replace("'", "''")}')
                then session_date end as "dateConvention",
            deliberation_code as "referenceDecision",
            beneficiary as "nomBeneficiaire",
            cast(null as varchar) as "idBeneficiaire",
            cast(null as varchar) as "rnaBeneficiaire",
            case when length(title) > {OBJET_MAX_LENGTH}
                then left(title, {OBJET_MAX_LENGTH - 1}) || '…' else title end as "objet",
            amount_eur as "montant",
            'aide en numéraire' as "nature",
            case when regexp_matches(lower(title), '{PAYS_ONE_FEE.replace("'", "''")}')
                then 'unique' end as "conditionsVersement",
            cast(null as varchar) as "datesPeriodeVersement",
            cast(null as varchar) as "idRAE",
            cast(null as varchar) as "notificationUE",
            '1.00' as "pourcentageSubvention",
            cast(null as varchar) as "dispositifAide",
        from marts.counted_grants
        order by session_date, grant_id
    """,
    counted=(
        "nomAttribuant",
        "idAttribuant",
        "dateConvention",
        "referenceDecision",
        "nomBeneficiaire",
        "idBeneficiaire",
        "rnaBeneficiaire",
        "objet",
        "montant",
        "nature",
        "conditionsVersement",
        "datesPeriodeVersement",
        "notificationUE",
        "pourcentageSubvention",
    ),
    key=("referenceDecision", "nomBeneficiaire"),
)

# One row per adopted deliberation. DELIB_MATIERE_NOM: the commission of the listing card, the
# Métropole's own subject headings (the schema allows a collectivity's own référentiel; the
# ACTES code is then left empty). BUDGET_ANNEE: the funding years of the act's grants, one year
# or an interval. The vote counts are not in the acts: members present is neither the
# theoretical headcount (VOTE_EFFECTIF) nor the number of voters, proxies included (VOTE_REEL).
DELIBERATIONS = ScdlDataset(
    name="deliberations",
    schema=SCHEMAS_DIR / "scdl-deliberations.json",
    query=f"""
        with years as (
            select deliberation_id, min(funding_year) as first_year, max(funding_year) as last_year
            from main.grants
            where funding_year is not null
            group by deliberation_id
        )
        select
            '{COLLECTIVITY_NAME.replace("'", "''")}' as "COLL_NOM",
            '{COLLECTIVITY_SIRET}' as "COLL_SIRET",
            d.deliberation_code as "DELIB_ID",
            d.session_date as "DELIB_DATE",
            cast(null as varchar) as "DELIB_MATIERE_CODE",
            nullif(trim(d.commission), '') as "DELIB_MATIERE_NOM",
            d.title as "DELIB_OBJET",
            case
                when y.first_year is null then null
                when y.first_year = y.last_year then cast(y.first_year as varchar)
                else y.first_year || '/' || y.last_year
            end as "BUDGET_ANNEE",
            cast(null as varchar) as "BUDGET_NOM",
            cast(null as varchar) as "PREF_ID",
            cast(null as date) as "PREF_DATE",
            cast(null as integer) as "VOTE_EFFECTIF",
            cast(null as integer) as "VOTE_REEL",
            cast(null as integer) as "VOTE_POUR",
            cast(null as integer) as "VOTE_CONTRE",
            cast(null as integer) as "VOTE_ABSTENTION",
            d.source_url as "DELIB_URL",
        from main.deliberations as d
        left join years as y using (deliberation_id)
        where d.outcome = 'adopted'
        order by d.session_date, d.deliberation_code
    """,
    counted=(
        "COLL_NOM",
        "COLL_SIRET",
        "DELIB_ID",
        "DELIB_DATE",
        "DELIB_MATIERE_CODE",
        "DELIB_MATIERE_NOM",
        "DELIB_OBJET",
        "BUDGET_ANNEE",
        "VOTE_EFFECTIF",
        "DELIB_URL",
    ),
    key=("DELIB_ID",),
)

DATASETS = (SUBVENTIONS, DELIBERATIONS)


def empty_counts(path: Path, columns: tuple[str, ...]) -> dict[str, int]:
    """Per column, the rows of a CSV file whose cell is empty."""
    counts = dict.fromkeys(columns, 0)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in columns:
                if not (row.get(column) or "").strip():
                    counts[column] += 1
    return counts


def write_dataset(
    connection: duckdb.DuckDBPyConnection, dataset: ScdlDataset, folder: Path
) -> ScdlFile:
    """Write folder/<name>.csv (UTF-8, comma, header, ISO dates, decimal point)."""
    path = folder / f"{dataset.name}.csv"
    folder.mkdir(parents=True, exist_ok=True)
    literal = "'" + str(path).replace("'", "''") + "'"
    connection.execute(
        f"copy ({dataset.query}) to {literal} "
        "(format csv, header, delimiter ',', quote '\"', dateformat '%Y-%m-%d')"
    )
    counted = empty_counts(path, dataset.counted)
    rows = connection.execute(f"select count(*) from ({dataset.query})").fetchone()
    return ScdlFile(dataset.name, path, int(rows[0]) if rows else 0, counted)


def write_scdl(connection: duckdb.DuckDBPyConnection, folder: Path) -> list[ScdlFile]:
    """Both SCDL files under folder."""
    return [write_dataset(connection, dataset, folder) for dataset in DATASETS]
