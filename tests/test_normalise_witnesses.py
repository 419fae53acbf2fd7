"""The listing card as a second witness: when its Incidence financière disagrees with the act."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pipelines.crawl.store import impact_columns
from pipelines.normalise.witnesses import listing_columns, warehouse_reasons

SAMPLES = Path(__file__).parents[1] / "data" / "samples"
SAFE = (
    "74 500 euros : 45 000 euros budget principal métropolitain du Territoire Marseille "
    "Provence, 29 500 euros Etat Spécial de Territoire du Pays d'Aix."
)


def card(text: str | None, title: str = "Attribution d'une subvention au Pôle Safe") -> dict:
    """A listing row as the catalogue returns it."""
    kind, total, ht, split, version = impact_columns(text)
    return {
        "title": title,
        "financial_impact": text,
        "impact_kind": kind,
        "impact_total_eur": total,
        "impact_total_ht_eur": ht,
        "impact_split": split,
        "impact_reader": version,
    }


def grant(amount: float, *shares: tuple[str, str, float]) -> dict[str, Any]:
    allocations = [{"territory_id": t, "budget": b, "amount_eur": a} for t, b, a in shares]
    return {
        "amount_eur": amount,
        "allocations": allocations
        or [{"territory_id": "metropole", "budget": "principal", "amount_eur": amount}],
    }


def act(*grants: dict[str, Any], amends: str | None = None, reasons: list[str] | None = None):  # type: ignore[no-untyped-def]
    return {"grants": list(grants), "amends": amends, "review_reasons": reasons or []}


SAFE_GRANT = grant(74500, ("marseille-provence", "principal", 45000), ("pays-d-aix", "ets", 29500))


def test_a_card_that_states_the_acts_total_and_split_agrees() -> None:
    assert warehouse_reasons(act(SAFE_GRANT), card(SAFE)) == []


def test_a_card_whose_total_differs_from_the_grants_flags_the_act() -> None:
    assert warehouse_reasons(act(grant(40000), grant(20000)), card(SAFE)) == [
        "listing_disagrees: the card's Incidence financière states 74 500 €, the act's grants "
        "add up to 60 000 €"
    ]


def test_sans_while_the_act_grants_money_disagrees() -> None:
    assert warehouse_reasons(act(grant(60000)), card("Sans.")) == [
        "listing_disagrees: the card's Incidence financière reads «Sans.», the act's grants "
        "add up to 60 000 €"
    ]
    assert warehouse_reasons(act(), card("Sans.")) == []


@pytest.mark.parametrize("grants", [[], [grant(60000)], [grant(1350100)]])
@pytest.mark.parametrize(
    "text",
    [
        "Obtention d’une subvention FSE à hauteur de 1 350 100.00 €.",
        "74 500 euros : 45 000 euros budget principal métropolitain du Te",
        "Coût total 1 500 000 euros TTC. Cofinancement du Département : 900 000 euros TTC donc "
        "600 000 euros pour la Métropole.",
        None,
    ],
)
def test_income_unread_or_no_impact_is_never_compared(
    grants: list[dict[str, Any]], text: str | None
) -> None:
    assert warehouse_reasons(act(*grants), card(text)) == []


@pytest.mark.parametrize(("amount", "flagged"), [(200000, False), (240000, False), (220000, True)])
def test_an_ht_ttc_pair_agrees_when_either_sum_is_the_grants(amount: int, flagged: bool) -> None:
    text = "200 000,00 euros HT, soit 240 000,00 euros TTC."
    reasons = warehouse_reasons(act(grant(amount)), card(text))
    assert bool(reasons) is flagged
    if flagged:
        assert reasons == [
            "listing_disagrees: the card's Incidence financière states 240 000 € TTC "
            "(200 000 € HT), the act's grants add up to 220 000 €"
        ]


def test_an_act_without_grant_whose_card_spends_on_something_else_is_not_flagged() -> None:
    works = card("Coût total 1 500 000 euros TTC.", title="Approbation d'une convention de travaux")
    assert warehouse_reasons(act(), works) == []


def test_an_act_without_grant_whose_card_announces_a_subvention_and_spends_is_flagged() -> None:
    assert warehouse_reasons(act(), card(SAFE)) == [
        "listing_disagrees: the card's Incidence financière states 74 500 €, the act grants "
        "nothing the parser could read"
    ]
    # The parser already said so: no second reason for the same act.
    already = act(reasons=["no_grant_found: «Attribution d'une subvention»"])
    assert warehouse_reasons(already, card(SAFE)) == []


def test_an_amendment_is_not_compared() -> None:
    assert warehouse_reasons(act(grant(60000), amends="ECO 001-1/19/BM"), card("Sans.")) == []
    assert warehouse_reasons(act(grant(60000), amends="ECO 001-1/19/BM"), card(SAFE)) == []


def test_a_split_that_charges_other_territories_than_the_act_is_flagged() -> None:
    other = grant(74500, ("marseille-provence", "principal", 60000), ("pays-d-aix", "ets", 14500))
    assert warehouse_reasons(act(other), card(SAFE)) == [
        "listing_disagrees: the card's Incidence financière charges 45 000 € "
        "marseille-provence/principal, 29 500 € pays-d-aix/ets, the act's allocations 60 000 € "
        "marseille-provence/principal, 14 500 € pays-d-aix/ets"
    ]


def test_a_split_naming_the_metropole_alone_is_not_compared() -> None:
    text = "74 500 euros budget principal de la Métropole."
    assert warehouse_reasons(act(SAFE_GRANT), card(text)) == []


def test_a_card_built_by_hand_without_the_listing_columns_is_read_from_its_text() -> None:
    row = {"title": "Subvention", "financial_impact": "60 000 euros."}
    assert warehouse_reasons(act(grant(50000)), row)[0].startswith("listing_disagrees: ")
    assert warehouse_reasons(act(grant(60000)), row) == []
    assert listing_columns(row) == {
        "listing_impact_kind": "expense",
        "listing_impact_eur": Decimal("60000.00"),
        "listing_impact_ht_eur": None,
    }


def test_the_card_figure_is_kept_for_the_warehouse() -> None:
    assert listing_columns(card("200 000,00 euros HT, soit 240 000,00 euros TTC.")) == {
        "listing_impact_kind": "expense",
        "listing_impact_eur": Decimal("240000.00"),
        "listing_impact_ht_eur": Decimal("200000.00"),
    }
    assert listing_columns(card(None)) == dict.fromkeys(
        ("listing_impact_kind", "listing_impact_eur", "listing_impact_ht_eur")
    )


def test_the_mirrors_impact_agrees_with_every_sample_act() -> None:
    from pipelines.crawl.mirror import financial_impact

    for path in sorted(SAMPLES.glob("*.expected.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        for style in range(3):
            text = financial_impact(record["grants"], style)
            assert warehouse_reasons(record, card(text)) == [], (path.name, text)


OPTITEC = "bm-2019-03-28-eco-024-5567-optitec"


@pytest.mark.slow
def test_a_card_whose_incidence_financiere_disagrees_flags_its_act_in_the_warehouse(
    tmp_path: Path,
) -> None:
    """The sample served by a mirror whose Optitec card states 74 500 € (its act grants
    60 000 €), through the whole job: the act is flagged, queued, and its card's figure kept."""
    import shutil

    import duckdb

    from pipelines import settings
    from pipelines.crawl.mirror import Mirror, load_site
    from pipelines.crawl.store import Catalogue
    from tests.conftest import run_ingestion_on

    site = tmp_path / "site"
    site.mkdir()
    for path in [*SAMPLES.glob("*.pdf"), *SAMPLES.glob("*.expected.json")]:
        shutil.copy(path, site / path.name)
    (site / f"{OPTITEC}.incidence.txt").write_text(SAFE + "\n", encoding="utf-8")
    layout = settings.layout(tmp_path / "data")
    with Mirror(load_site(site)) as mirror:
        summary = run_ingestion_on(layout.root, mirror.url)
    assert summary.success, summary.text()

    with Catalogue(layout.catalogue) as catalogue:
        cards = [row for row in catalogue.listing() if row["financial_impact"] == SAFE]
    assert [(c["impact_kind"], c["impact_total_eur"]) for c in cards] == [("expense", "74500.00")]

    reason = (
        "listing_disagrees: the card's Incidence financière states 74 500 €, the act's grants "
        "add up to 60 000 €"
    )
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        flagged = connection.execute(
            "select deliberation_code, needs_review, review_reasons, review_status, "
            "listing_impact_kind, listing_impact_eur from main.deliberations "
            "where needs_review or listing_impact_kind is distinct from 'expense'"
        ).fetchall()
        queue = connection.execute(
            "select deliberation_code, review_codes, review_reasons, amount_eur "
            "from marts.review_queue"
        ).fetchall()
        agreeing = connection.execute(
            "select count(*) from main.deliberations where not needs_review "
            "and listing_impact_kind = 'expense'"
        ).fetchone()
    assert flagged == [
        ("ECO 024-5567/19/BM", True, [reason], "awaiting_review", "expense", Decimal("74500.00"))
    ]
    assert queue == [("ECO 024-5567/19/BM", "listing_disagrees", reason, Decimal("60000.00"))]
    # Every other sample act's card states its grants' total: none is flagged.
    assert agreeing == (12,)
