"""The `alignment-workbench` command: opens the app, or works headless.

    alignment-workbench [FILE.awb]            open the app (no file: the last one, or the demo)
    alignment-workbench --demo                open the app on the demo workbook
    alignment-workbench new FILE.awb [--template blank|demo] [--company NAME]
    alignment-workbench info FILE.awb
    alignment-workbench export sla FILE.awb -o sla.pdf [--version N]
    alignment-workbench export funnel FILE.awb [--quarter 2026Q3|2025Q4..2026Q3] -o out.pdf
    alignment-workbench export qbr FILE.awb [--quarter 2026Q3] -o qbr.pdf
    alignment-workbench export workshop FILE.awb [--quarter 2026Q3] -o workshop.pdf
    alignment-workbench export root FILE.awb -o root.pem
    alignment-workbench verify sla.pdf [--trust root.pem] [--trust-workbook FILE.awb]
    alignment-workbench import FILE.awb leads.csv [--preset NAME | --mapping map.json]
                               [--skip-bad-rows]
    alignment-workbench score FILE.awb [--threshold N] [--model NAME] [--explain LEAD_ID]

Headless commands never import Qt, so they start fast and run on a server.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ui.words import counted
from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # the core's imports load only with the command that needs them
    from workbench.imports import ImportFailed

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
          f"{counted(summary['stages'], 'stage')}, {counted(summary['quarters'], 'quarter')}, "
          f"{counted(summary['leads'], 'lead')}.")
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
    place = storage.unwritable(args.file)
    if place is not None:
        print(f"  {'Read-only:':<{width + 1}} yes — {place}")
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


def _report_parser(kind: str, description: str, quarter_help: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"alignment-workbench export {kind}",
                                     description=description)
    parser.add_argument("file", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--quarter", help=quarter_help)
    return parser


@exporter("funnel")
def export_funnel_report(argv: list[str]) -> int:
    args = _report_parser(
        "funnel", "Export the funnel chart PDF: plan and actual per stage, conversions, "
        "the hand-off, the numbers and the stage definitions.",
        "a quarter (2026Q3) or a range (2025Q4..2026Q3); default: the newest quarter "
        "with actuals").parse_args(argv)
    from workbench.workbook import Workbook

    try:
        with Workbook.open(args.file) as workbook:
            from reports.funnel_report import export_funnel, period_label, quarter_range

            quarters = quarter_range(workbook, args.quarter)
            export_funnel(workbook, [q.id for q in quarters], args.output)
    except WorkbenchError as error:
        return fail(str(error))
    print(f"Wrote {args.output}: funnel report for {period_label(quarters)}.")
    return 0


@exporter("qbr")
def export_qbr_report(argv: list[str]) -> int:
    args = _report_parser(
        "qbr", "Export the quarterly business review PDF of one quarter.",
        "the quarter (2026Q3); default: the newest quarter with actuals").parse_args(argv)
    from workbench.workbook import Workbook

    try:
        with Workbook.open(args.file) as workbook:
            from reports.funnel_report import quarter_range
            from reports.qbr import export_qbr

            quarters = quarter_range(workbook, args.quarter)
            if len(quarters) != 1:
                return fail("a quarterly business review covers one quarter: give "
                            "--quarter 2026Q3, not a range")
            export_qbr(workbook, quarters[0].id, args.output)
    except WorkbenchError as error:
        return fail(str(error))
    print(f"Wrote {args.output}: quarterly business review of {quarters[0].label}.")
    return 0


@exporter("workshop")
def export_workshop_report(argv: list[str]) -> int:
    args = _report_parser(
        "workshop", "Export the workshop report PDF: the diagnostic's results by side, the "
        "gaps largest first beside the workbook's own figures, the root-cause areas and the "
        "decisions with their owners.",
        "the quarter whose figures stand beside the answers (2026Q3); default: the newest "
        "quarter with actuals").parse_args(argv)
    from workbench.workbook import Workbook

    try:
        with Workbook.open(args.file) as workbook:
            from reports.workshop_report import evidence_quarter, export_workshop

            quarter = evidence_quarter(workbook, args.quarter)
            export_workshop(workbook, quarter, args.output)
            people = len(workbook.workshop.participants())
    except WorkbenchError as error:
        return fail(str(error))
    print(f"Wrote {args.output}: workshop report ({counted(people, 'participant')}"
          f"{f', figures of {quarter.label}' if quarter else ''}).")
    return 0


@exporter("root")
def export_root(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="alignment-workbench export root",
        description="Export the workbook's signing authority (root certificate, PEM), for "
                    "others to verify its signed SLAs with --trust; prints its SHA-256 "
                    "fingerprint to compare by phone.")
    parser.add_argument("file", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    from workbench import files, identities
    from workbench.workbook import Workbook

    try:
        with Workbook.open(args.file) as workbook:
            pem, root = identities.authority_pem(workbook), identities.authority(workbook)
    except WorkbenchError as error:
        return fail(str(error))
    if pem is None or root is None:
        return fail(f"{args.file}: has no signing authority yet (create one on the SLA "
                    "screen before signing)")
    try:
        files.write_atomic(args.output, pem)
    except OSError as error:
        return fail(f"{args.output}: cannot be written ({error.strerror})")
    fingerprint = " ".join(root.sha256[i:i + 4] for i in range(0, len(root.sha256), 4))
    print(f"Wrote {args.output}: {root.subject}\nSHA-256 fingerprint: {fingerprint}")
    return 0


@command("verify")
def cmd_verify(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="alignment-workbench verify",
                                     description="Verify the signatures of a signed SLA PDF "
                                     "against the roots you trust; exits 1 unless every "
                                     "listed signatory signed and every signature is valid.")
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--trust", type=Path, action="append", default=[],
                        help="a root certificate (PEM or DER) to trust; repeatable")
    parser.add_argument("--trust-workbook", type=Path, action="append", default=[],
                        metavar="FILE.awb", help="trust this workbook's signing authority")
    args = parser.parse_args(argv)
    try:
        roots = [path.read_bytes() for path in args.trust]
    except OSError as error:
        return fail(f"{error.filename}: cannot be read ({error.strerror})")
    from workbench import identities
    from workbench.workbook import Workbook

    for path in args.trust_workbook:
        try:
            with Workbook.open(path) as workbook:
                pem = identities.authority_pem(workbook)
        except WorkbenchError as error:
            return fail(str(error))
        if pem is None:
            return fail(f"{path}: has no signing authority to trust")
        roots.append(pem)
    from reports.verify import verify_pdf

    verdict = verify_pdf(args.pdf, trusted_roots=roots)
    print(verdict.summary())
    return 0 if verdict.ok else 1


@command("import")
def cmd_import(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="alignment-workbench import",
        description="Import the leads of a CRM export (CSV or XLSX) into a workbook. All or "
                    "nothing: on any problem nothing is imported, unless --skip-bad-rows. "
                    "An import can be removed later: 'alignment-workbench imports' lists them "
                    "(and --remove ID), as does Data → Imports… in the app.")
    parser.add_argument("workbook", type=Path)
    parser.add_argument("export", type=Path, help="the CRM export, .csv or .xlsx")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--preset", help="a built-in mapping: hubspot, hubspot-deals or salesforce")
    how.add_argument("--mapping", type=Path, help="a saved mapping (JSON)")
    parser.add_argument("--skip-bad-rows", action="store_true",
                        help="import the good rows and list the bad ones instead of refusing")
    parser.add_argument("--accept-flagged", action="store_true",
                        help="import although some columns are flagged (look like money, a "
                             "date or a stage but feed no field, or two currencies …)")
    args = parser.parse_args(argv)
    from workbench.imports import ColumnsNeedReview, ImportFailed, Mapping
    from workbench.workbook import Workbook

    try:
        mapping = Mapping.from_json(args.mapping.read_text(encoding="utf-8")) \
            if args.mapping else None
    except OSError as error:
        return fail(f"{args.mapping}: cannot be read ({error.strerror})")
    except WorkbenchError as error:
        return fail(f"{args.mapping}: {error}")
    bar = _ProgressBar(args.export.name) if sys.stderr.isatty() else None
    try:
        with Workbook.open(args.workbook, lock="alignment-workbench import") as workbook:
            _, report = workbook.leads.import_file(
                args.export, mapping, preset=args.preset, skip_bad_rows=args.skip_bad_rows,
                accept_flagged=args.accept_flagged, progress=bar)
    except ColumnsNeedReview as error:
        _end(bar)
        fail(f"nothing was imported. {error} (Map them with --mapping, or run again with "
             "--accept-flagged.)")
        print("Columns of the file:", file=sys.stderr)
        for line in error.report.lines():
            print(f"  {line}", file=sys.stderr)
        return 1
    except ImportFailed as error:
        _end(bar)
        return _refused(error)
    except WorkbenchError as error:
        _end(bar)
        return fail(str(error))
    except KeyboardInterrupt:
        _end(bar)
        fail("cancelled; nothing was imported")
        return 130
    _end(bar)
    print(f"Imported into {args.workbook}: {report.summary()}")
    if report.columns is not None:
        print("Columns of the file:")
        for line in report.columns.lines():
            print(f"  {line}")
    for note in report.notes:
        print(f"  note: {note}")
    if report.skipped:
        print(f"Skipped {report.skipped:,} row{'' if report.skipped == 1 else 's'}:",
              file=sys.stderr)
        _print_problems(list(report.problems), report.problem_count)
    return 0


def _refused(error: ImportFailed) -> int:
    """An import refused whole: one line, then its first problems; exit status 1."""
    fail(str(error).split(" First: ")[0])
    _print_problems(error.problems, error.count)
    return 1


@command("imports")
def cmd_imports(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="alignment-workbench imports",
        description="List a workbook's lead imports, newest first, with what each did; "
                    "--remove ID removes the leads an import added (what it updated stays, "
                    "and is said).")
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--remove", type=int, metavar="ID", help="the import to remove")
    args = parser.parse_args(argv)
    from workbench.workbook import Workbook

    try:
        with Workbook.open(args.workbook, lock="alignment-workbench imports") as workbook:
            if args.remove is not None:
                removal = workbook.leads.batch_removal(args.remove)
                workbook.leads.remove_batch(args.remove)
                print(f"Removed: {removal.sentence()}")
                return 0
            batches = workbook.leads.batches()
    except WorkbenchError as error:
        return fail(str(error))
    if not batches:
        print(f"{args.workbook}: no imports yet.")
    for batch in batches:
        did = (f"{batch.added:,} added, {batch.updated:,} updated, {batch.unchanged:,} "
               f"unchanged, {batch.skipped:,} skipped")
        state = f" — {batch.state}" if batch.state else ""
        print(f"{batch.id:>4}  {batch.imported_at[:16].replace('T', ' ')}  {batch.file}: "
              f"{did}{state}")
    return 0


@command("import-actuals")
def cmd_import_actuals(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="alignment-workbench import-actuals",
        description="Import quarterly actuals (CSV or XLSX with columns Quarter, Stage, Count "
                    "and optionally Source and Value) into a workbook. All or nothing: any "
                    "problem refuses the whole file and says where.")
    parser.add_argument("workbook", type=Path)
    parser.add_argument("actuals", type=Path, help="the actuals file, .csv or .xlsx")
    args = parser.parse_args(argv)
    from workbench.imports import ImportFailed, import_actuals
    from workbench.workbook import Workbook

    try:
        with Workbook.open(args.workbook, lock="alignment-workbench import-actuals") as wb:
            _, report = import_actuals(wb, args.actuals)
    except ImportFailed as error:
        return _refused(error)
    except WorkbenchError as error:
        return fail(str(error))
    added = (f"; quarters added: {', '.join(report.quarters_added)}"
             if report.quarters_added else "")
    print(f"Imported into {args.workbook}: {report.cells:,} actuals{added}.")
    for line in report.columns:
        print(f"  {line}")
    for note in report.notes:
        print(f"  note: {note}")
    return 0


@command("score")
def cmd_score(argv: list[str]) -> int:
    from ui.score_command import run

    try:
        status, lines = run(argv)
    except WorkbenchError as error:
        return fail(str(error))
    for line in lines:
        print(line)
    return status


class _ProgressBar:
    """A one-line progress bar on stderr (only used when stderr is a terminal)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, progress: object) -> None:
        fraction = float(getattr(progress, "fraction", 0.0))
        filled = "#" * int(fraction * 30)
        print(f"\r{getattr(progress, 'phase', '')} {self.name} [{filled:.<30}] {fraction:4.0%}  "
              f"{getattr(progress, 'rows', 0):,} rows", end="", file=sys.stderr, flush=True)


def _end(bar: _ProgressBar | None) -> None:
    if bar is not None:
        print(file=sys.stderr)


def _print_problems(problems: Sequence[object], count: int, shown: int = 10) -> None:
    for problem in problems[:shown]:
        print(f"  {problem}", file=sys.stderr)
    if count > min(shown, len(problems)):
        print(f"  … and {count - min(shown, len(problems)):,} more.", file=sys.stderr)


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
    problem = display_problem(os.environ)
    if problem is not None:
        return fail(problem)
    # The app collects cycles on its GUI thread only (`ui.shell.collector`), and not at
    # all while it starts: automatic collection there took a twentieth of the start.
    gc.disable()
    from ui.app import run_app

    return run_app(options.file, demo=options.demo)


def display_problem(environment: Mapping[str, str]) -> str | None:
    """Why the window cannot be shown here (no desktop session on Linux), or None. Without
    this Qt aborts with a hint about missing libraries, which is not the problem."""
    if not sys.platform.startswith("linux") or environment.get("QT_QPA_PLATFORM") \
            or environment.get("DISPLAY") or environment.get("WAYLAND_DISPLAY"):
        return None
    return ("no display: the app shows a window, and this session has no desktop (neither "
            "DISPLAY nor WAYLAND_DISPLAY is set). Start it from a desktop session, or use "
            "the commands that need no window (see 'alignment-workbench --help').")
