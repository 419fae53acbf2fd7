"""Score the parser on folders of deliberations with hand-written expected records.

    python bench/accuracy.py FOLDER... [--details]

For each folder (and in all): how many records are exact (every field but the review fields
equal to `<stem>.expected.json`), how many are flagged for review, and the two numbers the
review promise stands on: inexact records that were NOT flagged (must be 0) and exact records
that were flagged (false alarms, the cost of the promise). `--details` prints each inexact or
flagged record's differing fields and reasons.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REVIEW_KEYS = ("needs_review", "review_reasons")


@dataclass
class Score:
    """Counts for one folder."""

    name: str
    total: int = 0
    exact: int = 0
    flagged: int = 0
    inexact_flagged: int = 0
    inexact_unflagged: list[str] = field(default_factory=list)
    exact_flagged: int = 0

    def add(self, other: Score) -> None:
        self.total += other.total
        self.exact += other.exact
        self.flagged += other.flagged
        self.inexact_flagged += other.inexact_flagged
        self.inexact_unflagged += other.inexact_unflagged
        self.exact_flagged += other.exact_flagged

    def row(self) -> str:
        pct = (lambda n: f"{100 * n / self.total:.0f}%") if self.total else (lambda n: "-")
        return (
            f"{self.name:<28} {self.total:>4} {self.exact:>6} {pct(self.exact):>5} "
            f"{self.flagged:>8} {pct(self.flagged):>5} {self.inexact_flagged:>9} "
            f"{len(self.inexact_unflagged):>11} {self.exact_flagged:>12}"
        )


def differences(record: dict, expected: dict) -> dict[str, tuple[object, object]]:
    """The fields (review fields aside) where the record differs: name -> (expected, parsed)."""
    return {
        key: (expected.get(key), record.get(key))
        for key in sorted(set(expected) | set(record))
        if key not in REVIEW_KEYS and expected.get(key) != record.get(key)
    }


def score_folder(folder: Path, details: bool) -> Score:
    from pipelines.parse import parse_pdf

    score = Score(folder.name)
    for pdf in sorted(folder.glob("*.pdf")):
        expected_path = pdf.with_suffix(".expected.json")
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        record = dict(parse_pdf(pdf))
        diff = differences(record, expected)
        flagged = bool(record.get("needs_review"))
        score.total += 1
        score.exact += not diff
        score.flagged += flagged
        score.exact_flagged += flagged and not diff
        if diff and flagged:
            score.inexact_flagged += 1
        elif diff:
            score.inexact_unflagged.append(pdf.stem)
        if details and (diff or flagged):
            print(
                f"\n## {folder.name}/{pdf.stem}: {'inexact' if diff else 'exact'}, "
                f"{'flagged' if flagged else 'NOT flagged'}"
            )
            for key, (want, got) in diff.items():
                print(
                    f"  {key}:\n    expected {json.dumps(want, ensure_ascii=False)}"
                    f"\n    parsed   {json.dumps(got, ensure_ascii=False)}"
                )
            for reason in record.get("review_reasons") or []:
                print(f"  reason: {reason}")
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--details", action="store_true", help="print every miss and flag")
    args = parser.parse_args(argv)
    header = (
        f"{'set':<28} {'docs':>4} {'exact':>6} {'':>5} {'flagged':>8} {'':>5} "
        f"{'inexact+':>9} {'inexact NOT':>11} {'exact but':>12}\n"
        f"{'':<28} {'':>4} {'':>6} {'':>5} {'':>8} {'':>5} {'flagged':>9} "
        f"{'flagged':>11} {'flagged':>12}"
    )
    scores = [score_folder(folder, args.details) for folder in args.folders]
    print("\n" + header)
    total = Score("all")
    for score in scores:
        print(score.row())
        total.add(score)
    if len(scores) > 1:
        print(total.row())
    for stem in total.inexact_unflagged:
        print(f"inexact and not flagged: {stem}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
