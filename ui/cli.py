"""The `alignment-workbench` command: opens the app, or works headless.

    alignment-workbench [FILE.awb]            open the app (no file: the last one, or the demo)
    alignment-workbench --demo                open the app on the demo workbook
    alignment-workbench new FILE.awb [--template blank|demo] [--company NAME]
    alignment-workbench info FILE.awb
    alignment-workbench export sla FILE.awb -o sla.pdf [--version N]
    alignment-workbench verify sla.pdf [--trust root.pem]

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
          f"{summary['stages']} stages, {summary['quarters']} quarters, "
          f"{summary['leads']:,} leads.")
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


# `export KIND ...`: each kind registers its own exporter (sla here; funnel and qbr later).
EXPORTERS: dict[str, Callable[[list[str]], int]] = {}


def exporter(kind: str) -> Callable[[Callable[[list[str]], int]], Callable[[list[str]], int]]:
    """Register an `export KIND` handler, e.g. `@exporter("funnel")`."""

    def register(func: Callable[[list[str]], int]) -> Callable[[list[str]], int]:
        EXPORTERS[kind] = func
        return func

    return register


@command("export")
def cmd_export(argv: list[str]) -> int:
    kinds = "|".join(sorted(EXPORTERS))
    if not argv or argv[0] not in EXPORTERS:
        if argv and argv[0] in ("-h", "--help"):
            print(f"usage: alignment-workbench export {{{kinds}}} FILE.awb -o OUT.pdf [options]")
            return 0
        return fail(f"export what? choose one of: {kinds} "
                    f"(e.g. alignment-workbench export sla ACME.awb -o sla.pdf)")
    return EXPORTERS[argv[0]](argv[1:])


@exporter("sla")
def export_sla(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="alignment-workbench export sla",
                                     description="Export an SLA version as PDF (a signed "
                                     "version exactly as signed).")
    parser.add_argument("file", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--version", type=int, help="version number (default: the newest)")
    args = parser.parse_args(argv)
    from workbench.workbook import Workbook

    try:
        with Workbook.open(args.file) as workbook:
            versions = workbook.sla.versions()
            if not versions:
                return fail(f"{args.file}: has no SLA yet")
            version = (workbook.sla.version_by_number(args.version) if args.version
                       else versions[-1])
            from reports.sla_export import export_sla as write_pdf

            write_pdf(workbook, version.id, args.output)
    except WorkbenchError as error:
        return fail(str(error))
    print(f"Wrote {args.output}: SLA version {version.number} ({version.status.value}).")
    return 0


@command("verify")
def cmd_verify(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="alignment-workbench verify",
                                     description="Verify the signatures of a signed SLA PDF; "
                                     "exits 1 unless every signature is valid.")
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--trust", type=Path, action="append", default=[],
                        help="a root certificate (PEM or DER) to trust; repeatable")
    args = parser.parse_args(argv)
    try:
        roots = [path.read_bytes() for path in args.trust]
    except OSError as error:
        return fail(f"{error.filename}: cannot be read ({error.strerror})")
    from reports.verify import verify_pdf

    verdict = verify_pdf(args.pdf, trusted_roots=roots)
    print(verdict.summary())
    return 0 if verdict.ok else 1


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
