"""National-size benchmark: scorecards at 15, 300 and 3,000 units, in one run (not a test).

    .venv/bin/python benchmarks/bench_national.py [--sizes 15 300 3000] [--sample 20] [--every-up-to 300]
                                                  [--all-at 3000] [--jobs 2] [--work DIR] [--with-cli]

For each size a data folder is generated (``national.py``: one province, N communes, one workbook a
commune, the four periods of 2026; kept in ``--work`` and reused by a later run), then:

1. ``mtqg clean`` of the four periods (the first three, when stale, two at a time, not reported);
   the last one, 2026-12, alone, as a child process: its wall time and peak memory (``wait4``'s
   maxrss);
2. the floor: as many trivial notebooks (pandas + matplotlib, one chart) as there are scorecards
   below, by the same local pool, just before them;
3. the scorecards of 2026-12: every one up to ``--every-up-to`` units, else a fixed sample of
   ``--sample`` (evenly spread over the units), rendered by the local pool (``--jobs`` workers,
   one warm kernel each): wall time, and the median time of a notebook in its worker (what
   papermill, the page and the figures for the index took; the median leaves out each worker's
   first notebook, which starts its kernel);
4. the same scorecards on a Dask ``LocalCluster`` of ``--jobs`` worker processes (``--executor
   dask``);
5. at ``--all-at`` units (one of the sizes): the period's report alone in one warm kernel, then
   the whole command ``mtqg report --period 2026-12 --units all --jobs J --force`` as a child
   process (the report and every scorecard, the index): its wall time and peak memory.

``--with-cli`` also runs ``bench_render.py`` (the district period: 16 notebooks against the
papermill and nbconvert command-line tools) in the same run and appends its table. Results are
printed as markdown and written to benchmarks/out/national.md (git-ignored) after each step, so
that a run stopped early keeps what it measured.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import trivial_notebook  # noqa: E402
from national import PERIODS, generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MTQG = [sys.executable, "-m", "mtqg_analysis.cli"]


def child(command: list[str], log: Path | None = None) -> tuple[float, float]:
    """Run ``command``; its wall seconds and peak resident memory in MB (``log``: keeps its stderr)."""
    start = time.perf_counter()
    errors = log.open("wb") if log else subprocess.PIPE
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if log:
        errors.close()
    if process.returncode != 0:
        text = log.read_text(errors="replace") if log else process.stderr.read().decode()
        raise SystemExit(f"{' '.join(command)} failed: {text[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def clean(data: Path) -> tuple[float, float]:
    """All four periods (the first three only when stale); returns the last one's seconds and peak MB."""
    from mtqg_analysis.store.build import is_stale

    first = [subprocess.Popen([*MTQG, "clean", "--period", p, "--data-dir", str(data), "-q"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for p in PERIODS[:2] if is_stale(p, data)]
    for process in first:
        process.wait()
    if is_stale(PERIODS[2], data):
        child([*MTQG, "clean", "--period", PERIODS[2], "--data-dir", str(data), "-q"])
    return child([*MTQG, "clean", "--period", PERIODS[-1], "--data-dir", str(data), "-q"])


def scorecard_jobs(data: Path, reports: Path, sample: int | None):
    """The jobs of ``sample`` scorecards evenly spread over the communes (all of them: None), and
    the number of communes."""
    from mtqg_analysis.render.jobs import plan
    from mtqg_analysis.store import load_period

    codes = sorted(c for c in set(load_period(PERIODS[-1], data, rebuild="never")["unit_code"]) if c != "91")
    step = max(1, len(codes) // sample) if sample else 1
    chosen = codes[::step][:sample] if sample else codes
    planned = plan([PERIODS[-1]], chosen, data, reports, "vi")
    assert not planned.errors, planned.errors
    return [job for job in planned.jobs if job.kind == "scorecard"], len(codes)


def render(jobs, n_jobs: int, executor: str = "local") -> tuple[float, float]:
    """Wall seconds of the renders and the median seconds of a notebook in its worker."""
    import statistics

    from mtqg_analysis.render.batch import run_jobs

    start = time.perf_counter()
    outcomes = run_jobs(jobs, n_jobs, executor=executor)
    wall = time.perf_counter() - start
    failed = [o.message for o in outcomes if o.status != "rendered"]
    assert not failed, failed
    return wall, statistics.median(o.seconds for o in outcomes)


def floor_jobs(count: int, work: Path) -> list:
    """``count`` renders of a trivial notebook (pandas + matplotlib, one chart): the floor."""
    from mtqg_analysis.render.jobs import Job

    trivial = work / "trivial.ipynb"
    if not trivial.exists():
        trivial_notebook(trivial)
    return [Job(PERIODS[-1], f"t{i:04d}", str(trivial), str(work / "floor"), {"period": PERIODS[-1]}, "t", "vi")
            for i in range(count)]


REPORT_LINE = re.compile(r"rendered \S+ report \(([0-9.]+) s\)")


def all_units(data: Path, jobs: int, log: Path) -> dict:
    """The period's report alone (one warm kernel, in this process), then ``mtqg report --units all``
    as a child process: the total, its peak memory, and the report's time inside that run."""
    from mtqg_analysis.render.jobs import plan

    reports = Path(tempfile.mkdtemp(prefix="mtqg-national-all-"))
    planned = plan([PERIODS[-1]], None, data, reports / "alone", "vi")
    alone, _ = render(planned.jobs, 1)
    total, peak = child([*MTQG, "report", "--period", PERIODS[-1], "--units", "all", "--jobs", str(jobs), "--force",
                         "--data-dir", str(data), "--reports-dir", str(reports / "all")], log)
    pages = len(list((reports / "all" / PERIODS[-1]).glob("*.html")))
    found = REPORT_LINE.search(log.read_text(encoding="utf-8", errors="replace"))
    return {"alone": alone, "total": total, "peak": peak, "pages": pages,
            "report_in_run": float(found.group(1)) if found else float("nan")}


def table(args, rows, every) -> str:
    lines = [f"{platform.python_version()}, {os.cpu_count()} CPU(s), {platform.machine()} {platform.system()}, "
             f"load average now: {os.getloadavg()[0]:.1f}; --jobs {args.jobs}", "",
             "| units | clean 2026-12 | peak memory | scorecards | floor | local pool | per scorecard | vs floor "
             "| in worker (floor) | Dask LocalCluster | Dask / local |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, units, clean_s, clean_mb, k, fw, fe, lw, le, dw, de in rows:
        which = f"{k} (all)" if units <= every else str(k)
        lines.append(f"| {units:,} | {clean_s:.1f} s | {clean_mb:.0f} MB | {which} | {fw:.1f} s | {lw:.1f} s "
                     f"| {lw / k:.2f} s | {lw / fw:.2f}x | {le:.2f} s ({fe:.2f} s) | {dw:.1f} s | {dw / lw:.2f}x |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[15, 300, 3000])
    parser.add_argument("--sample", type=int, default=20, help="scorecards rendered at the sizes above --every-up-to")
    parser.add_argument("--every-up-to", type=int, default=300, help="up to this many units, every scorecard")
    parser.add_argument("--all-at", type=int, default=None,
                        help="at this size (one of --sizes), also time `mtqg report --units all` in full")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mtqg-national")
    parser.add_argument("--with-cli", action="store_true", help="also run bench_render.py (the CLI comparison)")
    args = parser.parse_args()
    if args.all_at is not None and args.all_at not in args.sizes:
        parser.error("--all-at must be one of --sizes")

    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    text = ""

    def save(more: str = "") -> None:
        nonlocal text
        text += more
        (out / "national.md").write_text(text, encoding="utf-8")

    work = Path(tempfile.mkdtemp(prefix="mtqg-national-floor-"))
    rows, whole = [], None
    for n in args.sizes:
        root = args.work / f"u{n}"
        if not (root / "raw" / PERIODS[-1]).is_dir():
            generate(root, n)
        clean_s, clean_mb = clean(root)
        reports = Path(tempfile.mkdtemp(prefix=f"mtqg-national-{n}-"))
        jobs, units = scorecard_jobs(root, reports, None if n <= args.every_up_to else args.sample)
        floor_wall, floor_each = render(floor_jobs(len(jobs), work), args.jobs)
        local_wall, local_each = render(jobs, args.jobs)
        dask_wall, dask_each = render(jobs, args.jobs, "dask")
        rows.append((n, units, clean_s, clean_mb, len(jobs), floor_wall, floor_each, local_wall, local_each,
                     dask_wall, dask_each))
        print(rows[-1], flush=True)
        text = ""
        save(table(args, rows, args.every_up_to))
    if args.all_at is not None:
        whole = all_units(args.work / f"u{args.all_at}", args.jobs, out / "national-all.log")
        print(whole, flush=True)
        n = whole["pages"]
        floor_wall, _ = render(floor_jobs(n, work), args.jobs)
        save(f"\n`mtqg report --period {PERIODS[-1]} --units all --jobs {args.jobs} --force` at {args.all_at:,} units "
             f"(a child process): {n:,} pages (the report and {n - 1:,} scorecards) in {whole['total']:.1f} s "
             f"({whole['total'] / 60:.1f} min; {whole['total'] / n:.2f} s a page; {n:,} trivial notebooks by the "
             f"same pool just after: {floor_wall:.1f} s, {whole['total'] / floor_wall:.2f}x), "
             f"peak memory {whole['peak']:.0f} MB (the largest process). The report of {args.all_at:,} units: "
             f"{whole['alone']:.1f} s alone in one warm kernel, {whole['report_in_run']:.1f} s in its worker "
             f"during the run.\n")
    if args.with_cli:
        cli = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_render.py"), "--jobs", str(args.jobs)],
                             capture_output=True, text=True, check=True)
        save("\nThe district period (bench_render.py, same run):\n\n" + cli.stdout)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
