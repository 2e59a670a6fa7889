"""`python -m atlas ingest`: the command line over atlas.ingest (the CLI imports this, never the reverse).

python -m atlas ingest FILE                 the proposals, with evidence, and how they compare with the data
python -m atlas ingest FILE --json          the same as one JSON object: partnerships, events, notes
python -m atlas ingest FILE --apply         add the new rows (validated first; nothing else changes)
python -m atlas ingest --score DIR          the share of the keyed facts recovered, per article and in all
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import Any

from atlas.ingest import apply
from atlas.ingest.article import read_article_file
from atlas.ingest.knowledge import Knowledge
from atlas.ingest.propose import Proposals, propose
from atlas.paths import add_data_option, data_dir
from atlas.store import DataStore


def proposals_json(proposals: Proposals) -> dict[str, list[Any]]:
    return {
        "partnerships": [
            {
                "home": found.home.name,
                "partner": found.partner.name,
                "country": found.partner.country,
                "established": found.established.iso() if found.established else "",
                "relation": found.relation.name,
                "sectors": found.sectors,
            }
            for found in proposals.partnerships
        ],
        "events": [
            {
                "partnership": event.partnership.id,
                "date": event.date.iso(),
                "kind": event.kind,
                "sectors": event.sectors,
                "summary": event.summary,
            }
            for event in proposals.events
        ],
        "notes": proposals.notes,
    }


def render(proposals: Proposals, result: apply.Additions) -> str:
    article = proposals.article
    lines = [f"{article.name}: {article.title or '(no title)'}"]
    if not proposals.partnerships:
        lines.append(f"nothing found: {article.name} states no partnership")
        lines += [f"note: {note}" for note in proposals.notes]
        return "\n".join(lines)
    count = len(proposals.partnerships)
    lines.append(f"\nFound {count} partnership{'s' if count > 1 else ''}:")
    for found in proposals.partnerships:
        lines.append(f"  {found.home.name} – {found.partner.name}, {found.partner.country}  [{found.id}]")
        lines.append(f"    established  {found.established.iso() if found.established else 'not given'}")
        lines.append(f"    relation     {found.relation.name} / {found.relation.zh}")
        lines.append(f"    sectors      {', '.join(found.sectors) or 'none named'}")
        lines.append(f'    from         "{found.evidence.sentence}"')
        lines.append(f"    confidence   {found.confidence}: {found.reason}")
        lines.append(f"    status       {found.status}")
    lines.append(f"\nFound {len(proposals.events)} dated event(s):")
    for event in proposals.events:
        status = "new" if event.duplicate_of is None else f"exists: events.csv row {event.duplicate_of}"
        if event.warnings and event.duplicate_of is None:
            status = "held back: it dates the tie differently from the data"
        lines.append(f"  {event.date.iso():<10}  {event.kind:<9}  {event.partnership.id}  [{status}]")
        lines.append(f"      {event.summary}")
        lines.append(f"      sectors: {', '.join(event.sectors) or 'none named'}")
    lines.append("\nWould add:")
    lines.append(f"  {len(result.partnerships)} row(s) to partnerships.csv" + rows_label(result.partnerships, "id"))
    lines.append(f"  {len(result.events)} row(s) to events.csv")
    lines.append(f"  {len(result.places)} row(s) to places.csv" + rows_label(result.places, "name"))
    lines += [f"  held back: {reason}" for reason in result.held_back]
    conflicts = [warning for found in proposals.partnerships for warning in found.warnings]
    lines.append("\nConflicts with the data:" if conflicts else "\nConflicts with the data: none")
    lines += [f"  {conflict}" for conflict in conflicts]
    lines += [f"note: {note}" for note in proposals.notes]
    return "\n".join(lines)


def rows_label(rows: list[dict[str, str]], column: str) -> str:
    return (": " + "; ".join(row[column] for row in rows)) if rows else ""


def run_ingest(args: argparse.Namespace) -> int:
    if args.score:
        from atlas.ingest.score import render as render_score
        from atlas.ingest.score import score_directory

        print(render_score(score_directory(args.score, Knowledge.load(data_dir(args))), args.score))
        return 0
    if args.file is None:
        print("ingest: give an article FILE, or --score DIR", file=sys.stderr)
        return 2
    text = read_article_file(args.file)
    store = DataStore(data_dir(args))
    if args.apply:
        store.ensure_original()  # a copy kept by `sync` changes only with its original
    # --apply holds the data directory's lock from reading the tables to writing them: a second run
    # waits, then reads the rows this one added.
    with store.locked() if args.apply else contextlib.nullcontext():
        base = store.read() if args.apply else None
        knowledge = Knowledge.load(store.data_dir)
        proposals = propose(text, knowledge, home=args.home, name=Path(args.file).name)
        if args.json:
            print(json.dumps(proposals_json(proposals), ensure_ascii=False, indent=2))
            return 0
        result = apply.additions(proposals, knowledge)
        print(render(proposals, result))
        if base is not None:
            return apply.write(result, knowledge, store, base)
    if result:
        print("\nNothing was written: run again with --apply to add the new rows.")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ingest",
        help="propose partnerships and events from an article (English or Chinese)",
        description="Read a plain-text article and propose the partnerships and dated events it states.",
    )
    parser.add_argument("file", type=Path, nargs="?", metavar="FILE", help="the article, as UTF-8 plain text")
    parser.add_argument("--home", metavar="NAME", help="the home of partnerships whose home the text does not name")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object; changes nothing")
    output.add_argument("--apply", action="store_true", help="add the new rows to the tables (validated first)")
    output.add_argument("--score", type=Path, metavar="DIR", help="score the articles of DIR against their keys")
    add_data_option(parser)
    parser.set_defaults(run=run_ingest)
