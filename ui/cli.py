"""The `alignment-workbench` command: opens the app, or works headless.

    alignment-workbench [FILE.awb]            open the app (no file: the last one, or the demo)
    alignment-workbench --demo                open the app on the demo workbook
    alignment-workbench new FILE.awb [--template blank|demo] [--company NAME]
    alignment-workbench info FILE.awb

Headless commands never import Qt, so they start fast and run on a server.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from workbench.errors import WorkbenchError

COMMANDS: dict[str, Callable[[list[str]], int]] = {}


def command(name: str) -> Callable[[Callable[[list[str]], int]], Callable[[list[str]], int]]:
    """Register a headless sub-command; later features add theirs the same way."""

    def register(func: Callable[[list[str]], int]) -> Callable[[list[str]], int]:
        COMMANDS[name] = func
        return func

    return register


def fail(message: str) -> int:
    """Print a one-line error to stderr and return the exit status for it."""
    print(f"alignment-workbench: error: {message}", file=sys.stderr)
    return 1


@command("new")
def cmd_new(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="alignment-workbench new",
                                     description="Create a workbook file headless.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--template", choices=("blank", "demo"), default="blank")
    parser.add_argument("--company", help="company name (default: from the template)")
    args = parser.parse_args(argv)
    from workbench.workbook import Workbook

    try:
        workbook = Workbook.create(args.file, args.template, company_name=args.company)
    except WorkbenchError as error:
        return fail(str(error))
    summary = workbook.summary()
    workbook.close()
    print(f"Created {args.file} from the {args.template} template: {summary['company']}, "
          f"{summary['stages']} stages, {summary['quarters']} quarters, {summary['leads']:,} leads.")
    return 0


@command("info")
def cmd_info(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="alignment-workbench info",
                                     description="Print a short summary of a workbook.")
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    from workbench import storage

    try:
        # Inspect read-only first: `info` must never migrate or write to the file.
        version = storage.inspect(args.file)
        from workbench.workbook import Workbook

        if version < Workbook.schema_version():
            print(f"{args.file}: schema {version}, older than this version "
                  f"({Workbook.schema_version()}); opening it in the app migrates it.")
            return 0
        with Workbook.open(args.file) as workbook:
            summary = workbook.summary()
    except WorkbenchError as error:
        return fail(str(error))
    labels = {"company": "Company", "schema_version": "Schema version", "stages": "Stages",
              "quarters": "Quarters", "leads": "Leads", "sla_versions": "SLA versions"}
    width = max(len(label) for label in labels.values())
    print(f"{args.file}")
    for key, label in labels.items():
        value = summary[key]
        print(f"  {label + ':':<{width + 1}} {value:,}" if isinstance(value, int)
              else f"  {label + ':':<{width + 1}} {value}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        return COMMANDS[args[0]](args[1:])
    parser = argparse.ArgumentParser(
        prog="alignment-workbench",
        description="Marketing and sales alignment workbench. Headless commands: "
        + ", ".join(sorted(COMMANDS)) + " (see 'alignment-workbench COMMAND --help').",
    )
    parser.add_argument("file", nargs="?", type=Path, help="workbook to open (*.awb)")
    parser.add_argument("--demo", action="store_true", help="open the demo workbook")
    options = parser.parse_args(args)
    from ui.app import run_app

    return run_app(options.file, demo=options.demo)
