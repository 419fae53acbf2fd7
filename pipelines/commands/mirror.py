"""`polefunds mirror`: serve a folder of PDFs on 127.0.0.1 in the portal's URL structure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines import settings
from pipelines.crawl.mirror import DEFAULT_PER_PAGE, Mirror, load_site


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `mirror` sub-command."""
    parser = subparsers.add_parser(
        "mirror",
        help="serve a local mirror of the deliberations portal",
        description=(
            "Serve DIR's PDFs as listing pages and documents shaped like "
            "deliberations.ampmetropole.fr, on 127.0.0.1, until killed. "
            "Prints the base URL to crawl on its first line."
        ),
    )
    parser.add_argument(
        "--dir", type=Path, default=settings.SAMPLES_DIR, help="folder of PDFs (default: sample)"
    )
    parser.add_argument("--port", type=int, default=8765, help="port (0: any free one)")
    parser.add_argument(
        "--per-page", type=int, default=DEFAULT_PER_PAGE, help="cards per listing page"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    site = load_site(args.dir, per_page=args.per_page)
    mirror = Mirror(site, port=args.port)
    cards = sum(len(cards) for cards in site.cards.values())
    print(mirror.url, flush=True)
    print(
        f"serving {cards} deliberations, {len(site.documents)} documents from {args.dir}; "
        "Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    try:
        mirror.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        mirror.server.server_close()
    return 0
