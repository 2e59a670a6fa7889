"""`python -m atlas COMMAND`: validate, geocode, locate and the other data tools."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from atlas.errors import AtlasError
from atlas.paths import add_data_option, data_dir

Command = Callable[[argparse.Namespace], int]


def run_validate(args: argparse.Namespace) -> int:
    from atlas.validate import has_errors, validate_directory

    problems = validate_directory(data_dir(args))
    for problem in problems:
        print(problem)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    print(f"{data_dir(args)}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if has_errors(problems) else 0


def run_geocode(args: argparse.Namespace) -> int:
    from atlas.geocode import blocks_geocoding, geocode_directory
    from atlas.validate import validate_directory

    directory = data_dir(args)
    blocking = [problem for problem in validate_directory(directory) if blocks_geocoding(problem)]
    if blocking:
        for problem in blocking:
            print(problem, file=sys.stderr)
        print("geocode: fix the errors above first; nothing was written", file=sys.stderr)
        return 1
    report = geocode_directory(directory, online=args.online)
    for place in report.added:
        print(f"added {place['name']}, {place['country']}: {place['lat']}, {place['lon']} ({place['source']})")
    for (name, admin1, country), uses in report.unresolved.items():
        rows = ", ".join(f"row {row} column '{column}'" for row, column in uses)
        label = ", ".join(part for part in (name, admin1, country) if part)
        print(f"unresolved: {label} (partnerships.csv {rows})", file=sys.stderr)
    if report.unresolved:
        print(
            f"geocode: {len(report.unresolved)} place(s) unresolved: add them to place_overrides.csv"
            + ("" if args.online else " or try --online"),
            file=sys.stderr,
        )
        return 1
    print(f"geocode: {len(report.added)} place(s) added", file=sys.stderr)
    return 0


def run_locate(args: argparse.Namespace) -> int:
    from atlas.geocode import build_geocoder, locate

    if args.score:
        return locate_score(args.score, args.sample, args.seed)
    geocoder = build_geocoder(data_dir(args), online=args.online)
    if args.csv:
        return locate_csv(geocoder, args.csv)
    if not args.name or not args.country:
        print("locate: give NAME and --country ISO2, or --csv FILE", file=sys.stderr)
        return 2
    problem = locate_problem(args.name, args.country)
    if problem:
        print(f"locate: {problem}", file=sys.stderr)
        return 2
    found = locate(geocoder, args.name, args.country, args.admin1 or "")
    if found is None:
        print(f"locate: {args.name!r} ({args.country}) not found", file=sys.stderr)
        return 1
    print(json.dumps(found, ensure_ascii=False))
    return 0


def locate_problem(name: str, country: str) -> str | None:
    """What is wrong with a name and country before looking it up, or None."""
    from atlas.places.countries import COUNTRY_CODES

    if not name.strip():
        return "the name is empty"
    if country.strip().upper() not in COUNTRY_CODES:
        return f"{country!r} is not an ISO 3166-1 alpha-2 country code"
    return None


def locate_csv(geocoder, path: Path) -> int:
    from atlas.geocode import locate
    from atlas.spreadsheet import spreadsheet_safe
    from atlas.tables import read_table

    table = read_table(path)
    missing = [column for column in ("name", "country") if column not in table]
    if missing:
        raise AtlasError(f"{path.name} row 1: missing column(s) {', '.join(missing)}")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["name", "country", "lat", "lon", "source"])
    unresolved = []
    for row, record in table.iterrows():
        problem = locate_problem(record["name"], record["country"])
        found = None if problem else locate(geocoder, record["name"], record["country"], record.get("admin1", ""))
        # Meant for a spreadsheet: text cells are made safe; coordinates are numbers and stay as they are.
        name, country = spreadsheet_safe(record["name"]), spreadsheet_safe(record["country"])
        if found is None:
            unresolved.append(
                f"{path.name} row {row}: {problem or repr(record['name']) + ' (' + record['country'] + ') not found'}"
            )
            writer.writerow([name, country, "", "", "unresolved"])
        else:
            writer.writerow([name, country, found["lat"], found["lon"], spreadsheet_safe(found["source"])])
    for message in unresolved:
        print(message, file=sys.stderr)
    return 1 if unresolved else 0


def locate_score(path: Path, size: int | None, seed: int) -> int:
    from atlas.places import score
    from atlas.places.gazetteer import gazetteer

    places = score.sample(score.read_listed(path), size, seed)
    for line in score.score(gazetteer(), places).lines():
        print(line)
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from atlas.errors import ValidationFailed
    from atlas.store import DataStore

    source, copy = DataStore(args.source), DataStore(data_dir(args))
    if not source.data_dir.is_dir():
        print(f"sync: {source.data_dir} is not a directory", file=sys.stderr)
        return 1
    try:
        commit = copy.sync_from(source)
    except ValidationFailed as failure:
        for problem in failure.problems:
            print(problem, file=sys.stderr)
        print(f"sync: the tables of {source.data_dir} do not validate; {copy.data_dir} is unchanged", file=sys.stderr)
        return 1
    state = f"now version {commit.after.version}" if commit.changed else f"already version {commit.after.version}"
    print(f"{copy.data_dir}: {state} (a copy of {source.data_dir})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m atlas", description="Sister City Atlas data tools")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every table; never writes")
    add_data_option(validate)
    validate.set_defaults(run=run_validate)

    geocode = commands.add_parser("geocode", help="resolve places not yet in places.csv")
    add_data_option(geocode)
    geocode.add_argument("--online", action="store_true", help="also ask Nominatim (needs the network)")
    geocode.set_defaults(run=run_geocode)

    locate = commands.add_parser("locate", help="find one place, or each row of a CSV (name,country)")
    add_data_option(locate)
    locate.add_argument("name", nargs="?")
    locate.add_argument("--country", metavar="ISO2")
    locate.add_argument("--admin1", metavar="REGION")
    locate.add_argument("--csv", type=Path, metavar="FILE")
    locate.add_argument(
        "--score", type=Path, metavar="FILE", help="share of a list's places located within 25 km of its coordinates"
    )
    locate.add_argument("--sample", type=int, metavar="N", help="with --score: a random sample of N places")
    locate.add_argument("--seed", type=int, default=0, metavar="S", help="with --score: the sample's seed")
    locate.add_argument("--online", action="store_true", help="also ask Nominatim (needs the network)")
    locate.set_defaults(run=run_locate)

    sync = commands.add_parser(
        "sync",
        help="make --data DIR a copy of SOURCE's tables, whole versions only (a server reading another's data)",
    )
    sync.add_argument("source", type=Path, metavar="SOURCE", help="the data directory of the writing instance")
    add_data_option(sync)
    sync.set_defaults(run=run_sync)

    for register in extra_commands():
        register(commands)
    return parser


def extra_commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Commands that live in their own modules: each module offers `register(commands)`."""
    from atlas import bench, editors, fonts, pairs
    from atlas.ingest import command as ingest

    return [fonts.register, ingest.register, bench.register, pairs.register, editors.register]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except AtlasError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
