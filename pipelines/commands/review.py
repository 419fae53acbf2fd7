"""`polefunds review`: the acts awaiting a person; `show` an act's sums in context; `accept`
it as parsed, or write a `correct`ion to edit (DATA/corrections/<code>.yaml)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.reviewing.desk import Act

EXIT_REFUSED = 2


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `review` sub-command and its actions."""
    parser = subparsers.add_parser(
        "review",
        help="the acts awaiting review; show, accept or correct one",
        description=(
            "Without an action: list marts.review_queue (acts flagged by the parser or the "
            "warehouse, acts whose PDF could not be read) and the corrections that did not "
            "apply. Corrections are files of DATA/corrections/, applied by the next "
            "`polefunds run` (docs/analysts.md, Reviewing flagged acts)."
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR|URL",
        help="data folder or object-store URL (s3://bucket/prefix; default $POLEFUNDS_DATA_DIR)",
    )
    actions = parser.add_subparsers(dest="action", metavar="{show,accept,correct}")
    show = actions.add_parser("show", help="an act's grants, reasons and sums in context")
    show.add_argument("code", help="the act's code, or its PDF's sha256 (8+ characters)")
    for name, text in (
        ("accept", "record that the act says what the parser read (verdict: checked)"),
        ("correct", "write a correction filled with the parser's reading, to edit"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("code", help="the act's code, or its PDF's sha256 (8+ characters)")
        action.add_argument("--why", required=True, help="what you checked, in words")
        action.add_argument(
            "--by", help="who you are (default $POLEFUNDS_REVIEWER, git's user.name, the login)"
        )
        action.add_argument("--force", action="store_true", help="replace an existing entry")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List, show or write; exit 2 when there is no warehouse or no such act."""
    from pipelines.datastore import DataStore

    store = DataStore(args.data_dir)
    with store.reading() as layout:
        if not layout.warehouse.exists():
            print(
                f"polefunds review: no published warehouse at {layout.warehouse}: "
                "run `polefunds run` first",
                file=sys.stderr,
            )
            return EXIT_REFUSED
    if args.action is None:
        return _list(layout.warehouse)
    from pipelines.reviewing.desk import find_act

    act = find_act(layout.warehouse, args.code)
    if act is None:
        print(f"polefunds review: no act {args.code!r} in the warehouse", file=sys.stderr)
        return EXIT_REFUSED
    if args.action == "show":
        return _show(act, layout.raw / f"{act.sha256}.pdf")
    return _write(store, act, args)


def _list(warehouse) -> int:  # type: ignore[no-untyped-def]
    from pipelines.reviewing.desk import corrections_not_applied, queue

    waiting = queue(warehouse)
    if waiting.height:
        print(f"{waiting.height} act(s) await review, newest first:")
        for act in waiting.iter_rows(named=True):
            print(
                f"  {act['deliberation_code'] or '(code not read)'}  {act['session_date'] or ''}  "
                f"{act['queue_reason']}: {act['review_codes']}  "
                f"{_euros(act['amount_eur'])}  {act['document_path']}"
            )
        print(
            "`polefunds review show CODE` prints an act's sums in context (paths: under the "
            "data folder)."
        )
    else:
        print("no act awaits review")
    stuck = corrections_not_applied(warehouse)
    if stuck.height:
        print(f"\n{stuck.height} correction(s) did not apply:")
        for entry in stuck.iter_rows(named=True):
            print(f"  {entry['correction_file']}  {entry['state']}: {entry['detail']}")
    return 0


def _show(act: Act, pdf) -> int:  # type: ignore[no-untyped-def]
    from pipelines.parse.pdf_text import NoTextLayer, UnreadablePdf
    from pipelines.reviewing.sums import sums_in_context

    status = act.queue_reason or "not in the queue"
    print(
        f"{act.code or '(code not read)'} · {act.session_date or 'date not read'} · "
        f"{act.body or ''} · {status} · review status {act.review_status or '-'}"
    )
    if act.title:
        print(f"  {act.title}")
    print(f"PDF: {pdf}{'' if pdf.exists() else ' (not in this data folder)'}")
    if act.source_url:
        print(f"on the portal: {act.source_url}")
    if act.correction_file:
        print(f"correction applied: {act.correction_file}")
    print("\nwhy it is flagged:" if act.reasons else "\nno review reason")
    for reason in act.reasons:
        print(f"  - {reason}")
    read = set()
    print("\nwhat the parser read:" if act.grants else "\nno grant read")
    for grant in act.grants:
        read.add(grant["amount_eur"])
        shares = ", ".join(
            f"{share['territory_id']} {share['budget']} {_euros(share['amount_eur'])}"
            for share in grant["allocations"]
        )
        read.update(share["amount_eur"] for share in grant["allocations"])
        print(
            f"  {_euros(grant['amount_eur']):>14} to {grant['beneficiary']} "
            f"({grant['pole_id'] or 'not a pôle'}; {grant['kind']}, {grant['funding_year']})"
            f" charged: {shares}"
        )
    if not pdf.exists():
        return 0
    try:
        lines = sums_in_context(pdf.read_bytes())
    except (UnreadablePdf, NoTextLayer) as error:
        print(f"\nthe PDF cannot be read as text: {error}: open it and read it")
        return 0
    print("\nevery sum the act writes (= a sum the parser read as a grant or a share):")
    for line in lines:
        mark = "=" if any(amount in read for amount in line.amounts) else " "
        print(f"  {mark} [{line.zone}] {line.text}")
    return 0


def _euros(amount) -> str:  # type: ignore[no-untyped-def]
    return f"{amount:,.2f} €".replace(",", " ").replace(".00 €", " €")


def _write(store, act: Act, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from pipelines.normalise.corrections import entry_yaml, file_name
    from pipelines.reviewing.desk import checked_entry, corrected_entry, reviewer

    by = args.by or reviewer()
    today = dt.date.today()
    try:
        entry = (checked_entry if args.action == "accept" else corrected_entry)(
            act, by, args.why, today
        )
    except ValueError as error:
        print(f"polefunds review: {error}; use `polefunds review correct`", file=sys.stderr)
        return EXIT_REFUSED
    with store.correcting() as layout:
        target = layout.corrections / file_name(act.code or act.sha256)
        if target.exists() and not args.force:
            print(f"polefunds review: {target} exists (--force replaces it)", file=sys.stderr)
            return EXIT_REFUSED
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(entry_yaml(entry), encoding="utf-8")
    if args.action == "accept":
        print(f"wrote {target}: the next `polefunds run` takes the act out of the queue")
    else:
        print(
            f"wrote {target}, filled with the parser's reading: edit what the act says "
            "differently, then `polefunds run` applies it"
        )
    print("(commit the file: corrections are versioned with the project)")
    return 0
