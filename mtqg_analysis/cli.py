"""The ``mtqg`` command. Each subcommand is a thin layer over one stage module.

Errors of type :class:`~mtqg_analysis.errors.MtqgError` become readable lines on stderr and a
non-zero exit code; nothing else is caught, so a genuine bug still shows its traceback.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .errors import MtqgError

log = logging.getLogger("mtqg")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="data", type=Path,
                        help="data root holding raw/ and processed/ (default: data)")
    parser.add_argument("--reports-dir", default="reports", type=Path,
                        help="where rendered reports go (default: reports)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")


# --- clean (spec §4) ----------------------------------------------------------------------------
def _add_clean(sub) -> None:
    p = sub.add_parser("clean", help="read data/raw/<period>/ and write data/processed/<period>/")
    _common(p)
    p.add_argument("--period", required=True, help="YYYY-MM or an alias such as 2024-H1")
    p.set_defaults(func=_run_clean)


def _run_clean(args) -> int:
    from .store import build_period

    result = build_period(args.period, data_dir=args.data_dir)
    print(f"{result.rows} rows, {result.findings} data-quality finding(s) -> {result.out_dir}")
    return 0


# --- narrative (spec §5, notice section 2) ------------------------------------------------------
def _add_narrative(sub) -> None:
    """Registered by the narrative stage; see mtqg_analysis/narrative.py."""
    try:
        from .narrative import add_cli
    except ImportError:
        return
    add_cli(sub, _common)


# --- report / periods (spec §5) -----------------------------------------------------------------
def _add_report(sub) -> None:
    """Registered by the runner stage; see mtqg_analysis/runner.py."""
    try:
        from .runner import add_cli
    except ImportError:
        return
    add_cli(sub, _common)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mtqg",
        description="Consolidate MTQG DTTS&MN commune reports: clean, narrate, report.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_clean(sub)
    _add_narrative(sub)
    _add_report(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
                        format="%(message)s", stream=sys.stderr)
    try:
        return args.func(args) or 0
    except MtqgError as exc:
        print(f"mtqg {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mtqg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
