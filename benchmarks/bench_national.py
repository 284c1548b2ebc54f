"""National-size benchmark: scorecards at 15, 300 and 3,000 units, in one run (not a test).

    .venv/bin/python benchmarks/bench_national.py [--sizes 15 300 3000] [--sample 20] [--jobs 2]
                                                  [--work DIR] [--with-cli]

For each size a data folder is generated (``national.py``: one province, N communes, one workbook a
commune, the four periods of 2026; kept in ``--work`` and reused by a later run), then:

1. ``mtqg clean`` of the four periods (the first three two at a time, not reported); the last
   one, 2026-12, alone, as a child process: its wall time and peak memory (``wait4``'s maxrss);
2. a fixed sample of ``--sample`` scorecards of 2026-12 (evenly spread over the units), rendered
   by the local pool (``--jobs`` workers, one warm kernel each): wall time, and the mean time of a
   notebook in its worker (what papermill, the page and the figures for the index took);
3. the same scorecards on a Dask ``LocalCluster`` of ``--jobs`` worker processes (``--executor
   dask``);
4. once: as many trivial notebooks (pandas + matplotlib, one chart) by the same local pool: the
   floor.

``--with-cli`` also runs ``bench_render.py`` (the district period: 16 notebooks against the
papermill and nbconvert command-line tools) in the same run and appends its table. Results are
printed as markdown and written to benchmarks/out/national.md (git-ignored).
"""
from __future__ import annotations

import argparse
import os
import platform
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


def child(command: list[str]) -> tuple[float, float]:
    """Run ``command``; its wall seconds and peak resident memory in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def clean(data: Path) -> tuple[float, float]:
    """All four periods; returns the last one's seconds and peak MB."""
    first = [subprocess.Popen([*MTQG, "clean", "--period", p, "--data-dir", str(data), "-q"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for p in PERIODS[:2]]
    for process in first:
        process.wait()
    child([*MTQG, "clean", "--period", PERIODS[2], "--data-dir", str(data), "-q"])
    return child([*MTQG, "clean", "--period", PERIODS[-1], "--data-dir", str(data), "-q"])


def scorecard_jobs(data: Path, reports: Path, sample: int):
    from mtqg_analysis.render.jobs import plan

    from mtqg_analysis.store import load_period

    codes = sorted(c for c in set(load_period(PERIODS[-1], data, rebuild="never")["unit_code"]) if c != "91")
    step = max(1, len(codes) // sample)
    chosen = codes[::step][:sample]
    planned = plan([PERIODS[-1]], chosen, data, reports, "vi")
    assert not planned.errors, planned.errors
    return [job for job in planned.jobs if job.kind == "scorecard"], len(codes)


def render(jobs, n_jobs: int, executor: str = "local") -> tuple[float, float]:
    """Wall seconds of the renders and the mean seconds of a notebook in its worker."""
    from mtqg_analysis.render.batch import run_jobs

    start = time.perf_counter()
    outcomes = run_jobs(jobs, n_jobs, executor=executor)
    wall = time.perf_counter() - start
    failed = [o.message for o in outcomes if o.status != "rendered"]
    assert not failed, failed
    return wall, sum(o.seconds for o in outcomes) / len(outcomes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[15, 300, 3000])
    parser.add_argument("--sample", type=int, default=20, help="scorecards rendered at each size")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mtqg-national")
    parser.add_argument("--with-cli", action="store_true", help="also run bench_render.py (the CLI comparison)")
    args = parser.parse_args()

    from mtqg_analysis.render.jobs import Job

    rows, floor = [], None
    for n in args.sizes:
        root = args.work / f"u{n}"
        if not (root / "raw" / PERIODS[-1]).is_dir():
            generate(root, n)
        clean_s, clean_mb = clean(root)
        reports = Path(tempfile.mkdtemp(prefix=f"mtqg-national-{n}-"))
        jobs, units = scorecard_jobs(root, reports, args.sample)
        local_wall, local_each = render(jobs, args.jobs)
        dask_wall, dask_each = render(jobs, args.jobs, "dask")
        if floor is None:
            trivial = reports / "trivial.ipynb"
            trivial_notebook(trivial)
            floor_jobs = [Job(PERIODS[-1], f"t{i:02d}", str(trivial), str(reports / "floor"), {"period": PERIODS[-1]},
                              "t", "vi") for i in range(args.sample)]
            floor = render(floor_jobs, args.jobs)
        rows.append((n, units, clean_s, clean_mb, len(jobs), local_wall, local_each, dask_wall, dask_each))
        print(rows[-1], flush=True)

    lines = [f"{platform.python_version()}, {os.cpu_count()} CPU(s), {platform.machine()} {platform.system()}, "
             f"load average at the end: {os.getloadavg()[0]:.1f}; --jobs {args.jobs}", "",
             f"Floor: {args.sample} trivial notebooks, same local pool: {floor[0]:.1f} s "
             f"({floor[0] / args.sample:.2f} s a notebook; {floor[1]:.2f} s in its worker)", "",
             "| units | clean 2026-12 | peak memory | scorecards | local pool | per scorecard | vs floor "
             "| in worker | Dask LocalCluster | per scorecard |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, units, clean_s, clean_mb, k, lw, le, dw, de in rows:
        lines.append(f"| {units:,} | {clean_s:.1f} s | {clean_mb:.0f} MB | {k} | {lw:.1f} s | {lw / k:.2f} s "
                     f"| {lw / k / (floor[0] / args.sample):.2f}x | {le:.2f} s | {dw:.1f} s | {dw / k:.2f} s |")
    text = "\n".join(lines) + "\n"
    if args.with_cli:
        cli = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_render.py"), "--jobs", str(args.jobs)],
                             capture_output=True, text=True, check=True)
        text += "\nThe district period (bench_render.py, same run):\n\n" + cli.stdout
    print(text)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "national.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
