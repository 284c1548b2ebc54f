"""The ``mtqg`` command: one subcommand per job, each a thin layer over one stage.

    mtqg init       prepare a data folder for a programme (catalog, units)  (mtqg_analysis.store)
    mtqg clean      extract, transform, validate and store a period    (mtqg_analysis.store)
    mtqg narrative  print section 2 of the district notice             (mtqg_analysis.report)
    mtqg report     render the reports of periods and phases           (mtqg_analysis.render)
    mtqg periods    list periods with their raw, processed and rendered state
    mtqg template   write each unit's report form for a period          (mtqg_analysis.report)
    mtqg check      check report files before they are sent or cleaned  (mtqg_analysis.validate)

Errors of type :class:`~mtqg_analysis.errors.MtqgError` become readable lines on stderr and a
non-zero exit code (listed by ``mtqg --help``); nothing else is caught, so a genuine bug still
shows its traceback. Each command imports its stage when it runs, so ``mtqg --help`` stays fast.
Log lines start with the local time and its UTC offset, for the log file of a scheduled run.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import datetime
from pathlib import Path

from . import __version__
from .errors import SHOWN_ERRORS, BusyError, InputErrors, InstallError, MtqgError, OutputError, ParameterError

log = logging.getLogger("mtqg")

EPILOG = f"""exit codes:
  0    done (mtqg check: the files would be accepted without findings)
  1    mtqg report: some renders failed (the others were written; the failed ones kept their old HTML);
       mtqg check: the files would be accepted, with findings
  {MtqgError.exit_code}    bad input or arguments: every problem is listed, nothing was written for that period
       (mtqg check: the files would be refused)
  {BusyError.exit_code}    another mtqg run was working on the same period and did not finish in time
  {OutputError.exit_code}    an output could not be written (read-only folder, disk full, file open in Excel);
       the previous outputs are whole
  {InstallError.exit_code}    a library the package needs is not installed (the environment is older than the
       package: make venv)
  130  interrupted (Ctrl-C)

folders:
  --data-dir defaults to $MTQG_DATA_DIR, else the nearest data/ folder holding raw/, looked for in the
  current folder and the folders above it (as the notebooks do); --reports-dir defaults to reports/
  beside that data folder. A scheduled run should give both as absolute paths (README "Scheduled runs").
"""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default=None, type=Path,
                        help="data root holding raw/ and processed/ (default: $MTQG_DATA_DIR, else the nearest "
                             "data/ from here upwards)")
    parser.add_argument("--reports-dir", default=None, type=Path,
                        help="where rendered reports go (default: reports/ beside the data folder)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")


# --- init (spec §2, §2.2) -------------------------------------------------------------------------
def _run_init(args) -> int:
    from .store.paths import init_data_folder

    written = init_data_folder(args.data_dir, args.programme, args.units_csv, args.catalog, args.force)
    for path in written:
        print(f"wrote {path}")
    print(f"next: edit {written[1]} (the units of your district or province), put the reports of a period in "
          f"{args.data_dir / 'raw' / '<period>'}/ and run: mtqg clean --period <period> --data-dir {args.data_dir}")
    return 0


def _folders(args) -> None:
    """Resolve the default folders, and say clearly where the data was looked for when it is not there."""
    from .render.params import validate_period
    from .store import resolve_data_dir

    periods = getattr(args, "period", None)
    for period in [periods] if isinstance(periods, str) else periods or []:
        validate_period(period)  # a wrong period is the first thing to say
    given = args.data_dir is not None
    args.data_dir = resolve_data_dir(args.data_dir).absolute()
    if args.reports_dir is None:
        args.reports_dir = args.data_dir.parent / "reports"
    if (args.data_dir / "raw").is_dir() or args.command == "init":  # init makes the folder
        return
    if given:
        where = f"--data-dir {args.data_dir} has no raw/ folder; give the folder that holds raw/ and processed/"
    elif os.environ.get("MTQG_DATA_DIR"):
        where = f"MTQG_DATA_DIR={os.environ['MTQG_DATA_DIR']} has no raw/ folder"
    else:
        where = (f"no data/raw/ folder in {Path.cwd()} or the folders above it; run mtqg in the project folder, "
                 "or give --data-dir DIR (the folder holding raw/), or set MTQG_DATA_DIR")
    raise ParameterError(f"the data folder was not found: {where}")


# --- clean (spec §4) ----------------------------------------------------------------------------
def _run_clean(args) -> int:
    from .store import build_period

    result = build_period(args.period, data_dir=args.data_dir)
    print(f"{result.rows} rows, {result.findings} data-quality finding(s) -> {result.out_dir}")
    _print_not_read(args.command, result.not_read)
    return 0


def _print_not_read_of(command: str, periods, data_dir) -> None:
    """The files not read of periods a command used (their ``file_not_read`` findings)."""
    from .store import load_quality

    lines = []
    for period in periods:
        try:
            quality = load_quality(period, data_dir, rebuild="never")
        except MtqgError:
            continue  # a period that could not be built has said why already
        found = quality[quality["check"] == "file_not_read"]
        lines += [f"file {f}: {m}" for f, m in zip(found["source_file"], found["message"])]
    _print_not_read(command, lines)


def _print_not_read(command: str, not_read: list) -> None:
    """Files of the period that were not read, printed last on every run, even with --quiet:
    nothing is dropped silently (spec §2)."""
    if not_read:  # warnings: shown with --quiet too, and stamped with the time like every log line
        log.warning("mtqg %s: %d file(s) NOT READ (see file_not_read in quality.csv):", command, len(not_read))
        for line in not_read:
            log.warning("  - %s", line)


# --- narrative (spec §5, notice section 2) ------------------------------------------------------
def _run_narrative(args) -> int:
    from .domain.labels import check_lang
    from .report.notice import narrative
    from .store import load_year

    check_lang(args.lang)
    year = load_year(args.period, args.data_dir)
    print(narrative(year.funding, year.period, previous=year.previous, units=year.units,
                    catalog=year.catalog, lang=args.lang), end="")
    _print_not_read_of(args.command, [year.period], args.data_dir)
    return 0


# --- report (spec §5) ---------------------------------------------------------------------------
def _periods_from_args(args) -> list[str]:
    from .render.params import validate_period
    from .store import periods

    if args.all_periods:
        found = [str(p) for p in periods(args.data_dir)]
        if not found:
            raise ParameterError(f"no period folder under {args.data_dir / 'raw'}")
        return found
    if not args.period and not args.phase:
        raise ParameterError("give --period P (e.g. 2024-06), --all-periods or --phase YYYY-YYYY")
    return list(dict.fromkeys(validate_period(p) for p in args.period or []))


def _run_report(args) -> int:
    from .render.kernel import skip_iri_grammar
    from .render.params import validate_lang, validate_phase
    from .render.run import run_report

    skip_iri_grammar()
    lang = validate_lang(args.lang)
    if args.jobs is not None and args.jobs < 1:
        raise ParameterError("--jobs must be at least 1")
    if args.scheduler and args.executor != "dask":
        raise ParameterError("--scheduler is the address of a Dask scheduler: give it with --executor dask")
    notebooks = Path(args.notebooks_dir) if args.notebooks_dir else None
    phases = list(dict.fromkeys(validate_phase(p) for p in args.phase or []))
    periods = _periods_from_args(args)
    run = run_report(periods, args.units, args.data_dir, args.reports_dir, lang, args.jobs, args.force,
                     notebooks, phases, args.executor, args.scheduler)
    _print_not_read_of(args.command, periods, args.data_dir)
    for error in run.errors:
        print(f"mtqg report: {error}", file=sys.stderr)
    for outcome in run.outcomes:
        if outcome.status != "failed":
            print(outcome.job.html_path)
    for outcome in run.failed:
        print(f"mtqg report: {outcome.job.name} FAILED: {outcome.message}", file=sys.stderr)
    if not run.ok:
        rendered = len([o for o in run.outcomes if o.status == "rendered"])
        unchanged = len([o for o in run.outcomes if o.status == "unchanged"])
        print(f"mtqg report: {len(run.failed) + len(run.errors)} problem(s); {rendered} rendered, "
              f"{unchanged} unchanged", file=sys.stderr)
        return 1
    return 0


def _run_periods(args) -> int:
    from .render.status import period_status

    rows = period_status(args.data_dir, args.reports_dir)
    if not rows:
        print(f"no period folder under {args.data_dir / 'raw'}")
        return 0
    print(f"{'period':<8} {'folder':<10} {'raw files':>9} {'processed':<9} {'report':<6} {'scorecards':>10} "
          f"{'failed':>6}  label")
    for r in rows:
        print(f"{r['period']:<8} {r['folder']:<10} {r['raw_files']:>9} {r['processed']:<9} {r['report']:<6} "
              f"{r['scorecards']:>10} {r['failed']:>6}  {r['label']}")
    return 0


# --- template: the form each unit fills in (spec §3.1) -------------------------------------------
def _run_template(args) -> int:
    import pandas as pd

    from .domain.periods import label, parse_period, year_so_far
    from .domain.schema import empty_tidy
    from .domain.units import place_history
    from .domain.labels import fill
    from .report.template import forms_book, known_lines, unit_form
    from .store import catalog_for, load_period, periods, units_for
    from .store.atomic import output_error, write_with
    from .validate.quality import expected_units

    period = parse_period(args.period)
    units = units_for(args.data_dir).at(period)  # the units in force at the period's end (spec §2.1)
    catalog = catalog_for(args.data_dir)
    earlier = []  # the year's processed periods before this one, units placed where they are now
    for p in year_so_far(period, periods(args.data_dir)):
        if p >= period:
            continue
        try:
            earlier.append((p, place_history(load_period(p, args.data_dir), units)))
        except InputErrors as problem:
            log.warning("mtqg template: %s could not be read (%d error(s)); its figures are not pre-filled",
                        p, len(problem.errors))
    expected = expected_units(units, period, [frame for _, frame in earlier])
    codes = list(expected["code"])
    if args.units and args.units != ["all"]:
        unknown = [c for c in args.units if c not in set(codes)]
        if unknown:
            raise ParameterError(f"no unit {', '.join(unknown)} reports for {period}; the units are: "
                                 + ", ".join(codes))
        codes = [c for c in codes if c in set(args.units)]
    latest_period, latest = earlier[-1] if earlier else (None, None)
    known = known_lines(pd.concat([frame for _, frame in earlier], ignore_index=True) if earlier else empty_tidy())
    out_dir = args.out_dir or args.data_dir.parent / "templates" / str(period)
    together = forms_book(period, fill("form.instructions_units", args.lang, count=len(codes)), args.lang) \
        if args.one_workbook else None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for code in codes:
            rows = latest[latest["unit_code"] == code] if latest is not None else empty_tidy()
            book = unit_form(code, units.name(code), period, catalog, rows,
                             list(known.loc[known["unit_code"] == code, "line_code"]),
                             label(latest_period, args.lang) if latest_period else "", args.lang, together)
            if together is None:
                write_with(out_dir / f"{code}.xlsx", book.save)
                print(out_dir / f"{code}.xlsx")
        if together is not None:
            write_with(out_dir / f"{period}.xlsx", together.save)
            print(out_dir / f"{period}.xlsx")
    except OSError as exc:
        raise output_error(exc, out_dir) from None
    log.info("mtqg template: %d form(s) for %s -> %s", len(codes), period, out_dir)
    return 0


# --- check: what cleaning would say about a few files, before they are sent -----------------------
def _check_period(args):
    """``--period``, else the period folder the files are in (data/raw/<P>/...)."""
    from .domain.periods import is_period, parse_period

    if args.period:
        return parse_period(args.period)
    folders = {path.absolute().parent.name for path in args.files}
    if len(folders) == 1 and is_period(next(iter(folders))):
        return parse_period(next(iter(folders)))
    raise ParameterError("give --period P (e.g. 2024-09): the period whose rules the files are checked under")


def _run_check(args) -> int:
    import pandas as pd

    from .report.check import check_lines, check_page, check_text, context_line, verdict
    from .store import catalog_for, earlier_periods, raw_dir, units_for
    from .store.atomic import output_error, write_text
    from .validate import check_files

    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        raise ParameterError(f"no such file: {', '.join(missing)}")
    period = _check_period(args)
    units = units_for(args.data_dir).at(period)  # the units in force at the period's end (spec §2.1)
    catalog = catalog_for(args.data_dir)
    # The year's earlier periods as they are processed; never rebuilt: check writes nothing under data/.
    earlier = earlier_periods(period, args.data_dir, rebuild="never")
    previous = max(earlier) if earlier else None
    # A period the office has not cleaned yet is not compared with, and the first line says so;
    # only one whose raw files cleaning refused is "unreadable" (a finding, as cleaning gives it).
    not_processed = {p for p, table in earlier.items() if isinstance(table, InputErrors)
                     and all(error.key == "period.not_processed" for error in table.errors)}
    earlier = {p: table for p, table in earlier.items() if p not in not_processed}
    raw = raw_dir(args.data_dir).absolute()
    by_root: dict[Path, list[Path]] = {}  # files in data/raw/ are named as cleaning names them
    for path in dict.fromkeys(path.absolute() for path in args.files):
        by_root.setdefault(raw if path.is_relative_to(raw) else path.parent, []).append(path)
    errors, findings, not_read, refused = [], [], [], False
    for root, paths in by_root.items():  # read together, as cleaning reads a period's files
        result = check_files(paths, root, period, units, catalog, earlier)
        errors += result.errors
        not_read += result.not_read
        findings.append(result.findings)
        refused = refused or result.refused
    found = pd.concat(findings, ignore_index=True)
    lines = check_lines(errors, found, catalog, args.lang, not_read)
    summary = verdict(len(errors), len(found), refused, args.lang)
    context = context_line(period, previous, args.lang, processed=previous not in not_processed)
    print(check_text(lines, summary, context, args.lang), end="")
    if args.html:
        try:
            write_text(args.html, check_page(lines, summary, context, period, args.lang))
        except OSError as exc:
            raise output_error(exc, args.html.parent) from None
        print(args.html)
    return MtqgError.exit_code if refused else 1 if len(found) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mtqg", description="Consolidate MTQG DTTS&MN commune reports: clean, narrate, report.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mtqg-analysis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       help="prepare a data folder for one programme: raw/catalog.csv and raw/units.csv",
                       description="Prepare a new data folder (spec §2.2): the programme's catalog and a units "
                                   "table to edit. Existing files are kept unless --force.")
    _common(p)
    p.add_argument("--programme", default="1719",
                   help="a catalog the package ships: 1719 (default) or giam-ngheo")
    p.add_argument("--catalog", type=Path, default=None,
                   help="use this catalog CSV instead (another programme; same columns as catalog.csv)")
    p.add_argument("--units-csv", type=Path, default=None,
                   help="use this units.csv (spec §2.1) instead of the Bạch Thông example")
    p.add_argument("--force", action="store_true", help="replace an existing catalog.csv or units.csv")
    p.set_defaults(func=_run_init)

    p = sub.add_parser("clean", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       help="read data/raw/<period>/ and write data/processed/<period>/")
    _common(p)
    p.add_argument("--period", required=True, help="YYYY-MM or an alias such as 2024-H1")
    p.set_defaults(func=_run_clean)

    p = sub.add_parser("narrative", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       help="print section 2 of the district notice for a period (markdown)")
    _common(p)
    p.add_argument("--period", required=True, help="YYYY-MM or an alias such as 2024-H1")
    p.add_argument("--lang", default="vi", help="vi (default) or en")
    p.set_defaults(func=_run_narrative)

    p = sub.add_parser("report", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       help="render reports/<period>/report.html (and unit scorecards)",
                       description="Render the district report of a period and, with --units, unit scorecards; "
                                   "skip renders whose inputs are unchanged.")
    _common(p)
    p.add_argument("--period", action="append", help="YYYY-MM or an alias such as 2024-H1 (repeatable)")
    p.add_argument("--all-periods", action="store_true", help="every period folder under <data-dir>/raw/")
    p.add_argument("--phase", action="append", metavar="YYYY-YYYY",
                   help="also render the summary of a phase, e.g. 2021-2025 (repeatable)")
    p.add_argument("--units", nargs="+", metavar="CODE", help="'all' or unit codes: also render scorecards")
    p.add_argument("--jobs", "-j", type=int, default=None, help="parallel renders (default: CPU count)")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local: worker processes on this machine (default); dask: Dask workers "
                        "(a LocalCluster of --jobs processes, or the cluster of --scheduler)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="with --executor dask: the address of a running Dask scheduler; its workers need this "
                        "package and the data and reports folders at the same paths")
    p.add_argument("--force", action="store_true", help="render even when nothing changed")
    p.add_argument("--lang", default="vi", help="vi (default) or en")
    p.add_argument("--notebooks-dir", default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=_run_report)

    p = sub.add_parser("periods", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       help="list periods with their raw and rendered status")
    _common(p)
    p.set_defaults(func=_run_periods)

    p = sub.add_parser("template", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       help="write the report form of each unit for a period: templates/<period>/<unit_code>.xlsx",
                       description="Write each unit's report form for a period, pre-filled with the plan of the "
                                   "latest processed period of the same year and, for reference, its year-to-date "
                                   "disbursement (README \"The office's cycle\").")
    _common(p)
    p.add_argument("--period", required=True, help="the period the form is for: YYYY-MM, YYYY-EXT or an alias")
    p.add_argument("--units", nargs="+", metavar="CODE", default=["all"],
                   help="'all' (default: every unit expected to report) or unit codes")
    p.add_argument("--out-dir", type=Path, default=None,
                   help="where the forms go (default: templates/<period>/ beside the data folder)")
    p.add_argument("--one-workbook", action="store_true",
                   help="one workbook templates/<period>/<period>.xlsx with a sheet per unit, instead of one per unit")
    p.add_argument("--lang", default="vi", help="vi (default) or en: the words of the form")
    p.set_defaults(func=_run_template)

    p = sub.add_parser("check", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       help="check report files as cleaning would, before they are sent; writes nothing under data/",
                       description="Read only the given files under the period's rules, the data folder's units.csv "
                                   "and catalog, compare them with the year's processed periods, and print every "
                                   "error and finding with its cell and what to do. Exit 0: accepted without "
                                   "findings; 1: accepted with findings; 2: it would be refused.")
    _common(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files (.xlsx, .xls, .ods, .csv)")
    p.add_argument("--period", default=None,
                   help="the period whose rules apply (default: the period folder the files are in)")
    p.add_argument("--html", type=Path, default=None, metavar="OUT", help="also write the result as one HTML page")
    p.add_argument("--lang", default="vi", help="vi (default) or en")
    p.set_defaults(func=_run_check)
    return parser


class _StderrHandler(logging.StreamHandler):
    """Log lines to whatever ``sys.stderr`` is when they are written (a test's capture included)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


class LocalTimeFormatter(logging.Formatter):
    """``2024-07-01T02:00:05+07:00 message``: the machine's local time with its UTC offset, the same
    on every system (``time.strftime("%z")`` is not)."""

    def formatTime(self, record, datefmt=None):
        return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="seconds")


def _configure_logging(quiet: bool) -> None:
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not isinstance(h, _StderrHandler)]
    handler = _StderrHandler()
    handler.setFormatter(LocalTimeFormatter("%(asctime)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.WARNING if quiet else logging.INFO)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(getattr(args, "quiet", False))
    code = _run(args)
    # The last line of every run, for the log file of a scheduled one (README "Scheduled runs").
    log.info("mtqg %s: exit code %d (mtqg-analysis %s; data %s, reports %s)", args.command, code, __version__,
             args.data_dir or "-", args.reports_dir or "-")
    return code


def _run(args) -> int:
    try:
        _folders(args)
        return args.func(args) or 0
    except InputErrors as exc:
        print(f"mtqg {args.command}: {exc.text(limit=SHOWN_ERRORS)}", file=sys.stderr)
        _print_not_read(args.command, [str(e) for e in exc.not_read])
        return exc.exit_code
    except MtqgError as exc:
        print(f"mtqg {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] == __package__:
            raise  # a module of the package itself: a bug, not the environment
        print(f"mtqg {args.command}: {InstallError(exc.name, sys.prefix)}", file=sys.stderr)
        return InstallError.exit_code
    except KeyboardInterrupt:
        print("mtqg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
