"""One scorecard against one trivial notebook, side by side in one warm kernel (not a test).

    .venv/bin/python benchmarks/bench_scorecard.py [--units 300] [--rounds 30] [--work DIR]

What ``bench_national.py`` measures through the pool, without the pool: a generated period of
``--units`` communes (``national.py``, kept in ``--work`` and reused, cleaned when stale), one
kernel (:class:`mtqg_analysis.render.kernel.WarmKernel`), and in each round, one after another,
a trivial notebook (pandas + matplotlib, one chart: the floor), a scorecard of 2026-12, and the
scorecard's cells each doing nothing (``pass``: what the notebook's shape costs, whatever its
cells do). Each row
is the median over the rounds of ``render.execute.render`` (papermill, the page, the figures for
the index, the files written), after three warm-up renders of each. Interleaving puts the same
load of the machine on all of them. Prints a markdown table.
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_national import floor_jobs, scorecard_jobs  # noqa: E402
from national import PERIODS, generate  # noqa: E402

WARM_UP = 3


def cells_doing_nothing(source: Path, target: Path) -> None:
    """``source`` with every code cell after its parameters reduced to ``pass``: its cells, no work."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            cell.source = "pass"
    nbformat.write(nb, target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mtqg-national")
    args = parser.parse_args()

    from mtqg_analysis.render.execute import render
    from mtqg_analysis.render.kernel import WarmKernel
    from mtqg_analysis.store import ensure_built

    root = args.work / f"u{args.units}"
    if not (root / "raw" / PERIODS[-1]).is_dir():
        generate(root, args.units)
    for period in PERIODS:  # cleaned when stale (the scorecard shows the year so far)
        ensure_built(period, root)
    work = Path(tempfile.mkdtemp(prefix="mtqg-scorecard-"))
    count = WARM_UP + args.rounds
    cards, _ = scorecard_jobs(root, work / "scorecards", None)
    cards = (cards * (count // len(cards) + 1))[:count]
    idle = work / "scorecard_cells_doing_nothing.ipynb"
    cells_doing_nothing(Path(cards[0].notebook), idle)
    kinds = {"trivial notebook (the floor)": floor_jobs(count, work),
             "scorecard": cards,
             "the scorecard's cells, each doing nothing (`pass`)": [
                 dataclasses.replace(job, notebook=str(idle), out_dir=str(work / "idle")) for job in cards]}
    seconds: dict[str, list[float]] = {kind: [] for kind in kinds}
    with WarmKernel() as kernel:
        for i in range(count):
            for kind, jobs in kinds.items():
                outcome = render(jobs[i], kernel)
                if outcome.status != "rendered":
                    raise SystemExit(f"{kind}: {outcome.message}")
                if i >= WARM_UP:
                    seconds[kind].append(outcome.seconds)
    floor = statistics.median(seconds[next(iter(kinds))])
    print(f"{args.units:,} units, {args.rounds} rounds, one warm kernel\n")
    print("| notebook | median | vs floor |\n|---|---:|---:|")
    for kind, values in seconds.items():
        median = statistics.median(values)
        print(f"| {kind} | {median * 1000:.0f} ms | {median / floor:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
