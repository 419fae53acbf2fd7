"""How often the review catches a wrong record: mutation testing of the review checks.

    python bench/review_sensitivity.py FOLDER... [--show N]

For every act of the folders whose record is exact and unflagged, each field of each grant
(and the act's outcome) is changed to a plausible wrong value, one at a time, as a parser
bug would; the review then checks the changed reading against the act's text. The table
gives, per kind of error, how many of the wrong records the review flags. A miss is a wrong
record the warehouse would publish as certain.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

Mutation = Callable[[dict, dict], Iterator[dict]]


def _grant_mutations(grant: dict, source: dict) -> Iterator[tuple[str, dict, dict]]:
    """(name, changed grant, changed source) for one grant."""
    from pipelines.reference import read_csv

    amount = grant["amount_eur"]
    for factor in (0.75, 2):
        changed = dict(grant, amount_eur=round(amount * factor))
        changed["allocations"] = [
            dict(a, amount_eur=round(a["amount_eur"] * factor)) for a in grant["allocations"]
        ]
        yield "amount", changed, source
    for delta in (-1, 1):
        yield "funding_year", dict(grant, funding_year=grant["funding_year"] + delta), source
        yield (
            "funding_year (by default)",
            dict(grant, funding_year=grant["funding_year"] + delta),
            dict(source, year="session"),
        )
    for kind in ("operating", "investment", "membership", "other"):
        if kind != grant["kind"]:
            yield "kind", dict(grant, kind=kind), source
    budget = grant["programme_budget_eur"]
    yield (
        "programme_budget",
        dict(grant, programme_budget_eur=None if budget else amount * 20),
        source,
    )
    territories = [r["territory_id"] for r in read_csv("territories.csv")]
    for index, share in enumerate(grant["allocations"]):
        other = next(t for t in territories if t != share["territory_id"])
        moved = copy.deepcopy(grant)
        moved["allocations"][index]["territory_id"] = other
        yield "allocation territory", moved, source
        flipped = copy.deepcopy(grant)
        flipped["allocations"][index]["budget"] = (
            "ets" if share["budget"] == "principal" else "principal"
        )
        yield "allocation budget", flipped, source
    if len(grant["allocations"]) > 1:
        whole = dict(
            grant,
            allocations=[
                {"territory_id": "metropole", "budget": "principal", "amount_eur": amount}
            ],
        )
        yield "allocations lost (whole Métropole)", whole, dict(source, charge="default")
    poles = sorted({r["pole_id"] for r in read_csv("poles.csv")})
    if grant["pole_id"]:
        yield (
            "pole_id",
            dict(grant, pole_id=next(p for p in poles if p != grant["pole_id"])),
            source,
        )
        yield "pole_id lost", dict(grant, pole_id=None), source


def sensitivity(folders: list[Path], show: int) -> Counter[tuple[str, bool]]:
    from pipelines.parse import pdf_text, text
    from pipelines.parse.grants import extract_grants
    from pipelines.parse.header import parse_header
    from pipelines.parse.review import review as review_of

    counts: Counter[tuple[str, bool]] = Counter()
    shown = 0
    for folder in folders:
        for pdf in sorted(folder.glob("*.pdf")):
            expected_path = pdf.with_suffix(".expected.json")
            if not expected_path.exists():
                continue
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            try:
                content = pdf_text.read_pdf(pdf.read_bytes())
            except (pdf_text.UnreadablePdf, pdf_text.NoTextLayer):
                continue
            document = text.split_zones(text.clean_lines(content.pages))
            header = parse_header(document)
            reading = extract_grants(document, content.tables, header)
            if reading.grants != expected["grants"] or review_of(
                document, content.tables, header, reading
            ):
                continue  # only correct, unflagged records are mutated
            for index, (grant, source) in enumerate(
                zip(reading.grants, reading.sources, strict=True)
            ):
                for name, changed, changed_source in _grant_mutations(grant, source):
                    mutant = copy.copy(reading)
                    mutant.grants = [*reading.grants]
                    mutant.grants[index] = changed
                    mutant.sources = [*reading.sources]
                    mutant.sources[index] = changed_source
                    caught = bool(review_of(document, content.tables, header, mutant))
                    counts[(name, caught)] += 1
                    if not caught and shown < show:
                        shown += 1
                        print(f"missed {name}: {folder.name}/{pdf.stem} grant {index}")
            dropped = copy.copy(reading)
            for index in range(len(reading.grants)):
                dropped.grants = reading.grants[:index] + reading.grants[index + 1 :]
                dropped.drafts = reading.drafts[:index] + reading.drafts[index + 1 :]
                dropped.sources = reading.sources[:index] + reading.sources[index + 1 :]
                dropped.budget_years = (
                    reading.budget_years[:index] + reading.budget_years[index + 1 :]
                )
                caught = bool(review_of(document, content.tables, header, dropped))
                counts[("grant lost", caught)] += 1
                if not caught and shown < show:
                    shown += 1
                    print(f"missed grant lost: {folder.name}/{pdf.stem} grant {index}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=0, help="print the first N misses")
    args = parser.parse_args(argv)
    counts = sensitivity(args.folders, args.show)
    names = sorted({name for name, _ in counts})
    print(f"\n{'wrong field':<38} {'records':>8} {'flagged':>8} {'share':>6}")
    caught_all = total_all = 0
    for name in names:
        caught, missed = counts[(name, True)], counts[(name, False)]
        total = caught + missed
        caught_all += caught
        total_all += total
        print(f"{name:<38} {total:>8} {caught:>8} {100 * caught / total:>5.0f}%")
    if total_all:
        print(f"{'all':<38} {total_all:>8} {caught_all:>8} {100 * caught_all / total_all:>5.0f}%")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
