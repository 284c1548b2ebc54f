"""Render benchmark: the report and the 15 scorecards of one period, side by side (not a test).

    .venv/bin/python benchmarks/bench_render.py [--period 2024-06] [--jobs 2]

Rows, all on a copy of data/raw/ in a temporary folder:

1. ``mtqg report --period P --units all --jobs N --force``: papermill's Python API in N worker
   processes, each keeping one kernel for its successive notebooks (reset between them), nbconvert
   in-process, plus summary.xlsx and index.html;
2. ``mtqg report`` again with nothing changed: every render skipped by its fingerprint;
3. the command-line tools one after another, as a Makefile would: ``papermill`` then
   ``jupyter nbconvert --to html --no-input`` for each of the same 16 notebooks;
4. a floor: as many trivial notebooks (import pandas and matplotlib, draw one chart) rendered by
   the same runner (``run_jobs``: the same worker processes, one kept kernel each) with the same N:
   what starting the workers and their kernels, resetting and converting cost by themselves.

Results are printed as a markdown table and written to benchmarks/out/render.md (git-ignored).
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(command: list[str], **kw) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def trivial_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    params = nbformat.v4.new_code_cell('period: str = "2024-06"  # reporting period')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        "import pandas as pd\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
        "from IPython.display import display\n"
        "fig, ax = plt.subplots()\nax.plot([1, 2, 3], [1, 4, 9])\ndisplay(fig)\nplt.close(fig)")]
    nbformat.write(nb, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2024-06")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    from mtqg_analysis.render.batch import run_jobs
    from mtqg_analysis.render.jobs import Job
    from mtqg_analysis.store import load_period

    work = Path(tempfile.mkdtemp(prefix="mtqg-bench-"))
    data = work / "data"
    shutil.copytree(ROOT / "data" / "raw", data / "raw")
    units = sorted(set(load_period(args.period, data)["unit_code"]))  # also builds processed/
    mtqg = [sys.executable, "-m", "mtqg_analysis.cli", "report", "--period", args.period, "--units", "all",
            "--data-dir", str(data), "--reports-dir", str(work / "reports")]
    rows = []

    seconds = timed([*mtqg, "--jobs", str(args.jobs), "--force"])
    rows.append((f"mtqg report --units all --jobs {args.jobs} --force", 1 + len(units), seconds))
    seconds = timed(mtqg)  # right away: a package file edited meanwhile would rightly re-render
    rows.append(("mtqg report again, nothing changed (all skipped)", 1 + len(units), seconds))

    cli = work / "cli"
    cli.mkdir()
    notebooks = ROOT / "notebooks"
    start = time.perf_counter()
    for stem in ["report", *units]:
        source = notebooks / ("period_report.ipynb" if stem == "report" else "unit_scorecard.ipynb")
        out = cli / f"{stem}.ipynb"
        command = [str(BIN / "papermill"), str(source), str(out), "-k", "python3", "--no-progress-bar",
                   "-r", "period", args.period, "-r", "data_dir", str(data), "--cwd", str(notebooks)]
        if stem != "report":
            command += ["-r", "unit_code", stem]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows.append(("papermill + jupyter nbconvert CLIs, one after another", 1 + len(units),
                 time.perf_counter() - start))

    floor_nb = work / "trivial.ipynb"
    trivial_notebook(floor_nb)
    jobs = [Job(args.period, f"t{i:02d}", str(floor_nb), str(work / "floor"), {"period": args.period}, "t", "vi")
            for i in range(1 + len(units))]
    start = time.perf_counter()
    outcomes = run_jobs(jobs, args.jobs)
    assert all(o.status == "rendered" for o in outcomes), [o.message for o in outcomes]
    rows.append((f"floor: trivial notebooks, same runner, --jobs {args.jobs}", len(jobs), time.perf_counter() - start))

    lab_kb = sum(f.stat().st_size for f in cli.glob("*.html")) / len(list(cli.glob("*.html"))) / 1024
    ours_kb = sum(f.stat().st_size for f in (work / "reports" / args.period).glob("*.html")) / (1 + len(units)) / 1024
    lines = [f"Period {args.period}, {platform.python_version()}, {os.cpu_count()} CPU(s), "
             f"{platform.machine()} {platform.system()}", "",
             "| what | notebooks | seconds |", "|---|---:|---:|"]
    lines += [f"| {name} | {n} | {s:.1f} |" if s >= 1 else f"| {name} | {n} | {s:.2f} |" for name, n, s in rows]
    lines += ["", f"Ours / the CLIs: {rows[0][2] / rows[2][2]:.2f}x. "
              f"Mean HTML size: ours {ours_kb:.0f} KB, nbconvert lab template {lab_kb:.0f} KB."]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "render.md").write_text(text, encoding="utf-8")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
