"""``mtqg report``: plan the renders, take the periods' locks, skip what is current, render the
rest in parallel and rewrite the index."""
from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ..store import atomic
from ..store.locking import period_lock
from .batch import Progress, run_jobs
from .index import write_index
from .jobs import REPORT, Outcome, is_current, plan

log = logging.getLogger("mtqg.report")
INDEX_LOCK = "index"  # reports/.index.lock guards reports/index.html


@dataclass
class ReportRun:
    outcomes: list[Outcome]  # rendered, unchanged and failed, in report order
    errors: list[str]  # periods or units that could not be planned

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


RUNNING = ".*.running.ipynb"  # the notebook papermill is executing (render/execute.py)


def remove_leftovers(folder: Path) -> None:
    """Temporary files and half-executed notebooks of a run that was killed or interrupted (call
    it while holding the folder's lock)."""
    atomic.remove_leftovers(folder)
    for leftover in Path(folder).glob(RUNNING):
        leftover.unlink(missing_ok=True)


def run_report(periods: list[str], unit_args: list[str] | None, data_dir: Path, reports_dir: Path,
               lang: str = "vi", jobs: int | None = None, force: bool = False,
               notebooks: Path | None = None, phases: list[str] = (), executor: str = "local",
               scheduler: str | None = None) -> ReportRun:
    """Render the reports of ``periods`` (and the scorecards of ``unit_args``) and the summaries
    of ``phases``, in local worker processes or on Dask (``executor``, ``scheduler``: see
    :func:`.batch.run_jobs`). A reports folder that cannot be written (read-only, a full disk) is
    an OutputError naming it."""
    planned = plan(periods, unit_args, data_dir, reports_dir, lang, notebooks, list(phases))
    try:
        outcomes, unchanged = _render(planned, reports_dir, lang, jobs, force, executor, scheduler)
    except OSError as exc:
        raise atomic.output_error(exc, reports_dir) from None
    ordered = sorted(outcomes + unchanged, key=lambda o: (o.job.period, o.job.stem != REPORT, o.job.stem))
    return ReportRun(ordered, planned.errors)


def _render(planned, reports_dir: Path, lang: str, jobs: int | None, force: bool, executor: str,
            scheduler: str | None):
    with contextlib.ExitStack() as held:
        # Runs on the same periods take turns; whoever holds a period's lock may delete the
        # temporary files a killed run left in its folder.
        folders = [reports_dir / period for period in sorted({job.period for job in planned.jobs})]
        for folder in folders:
            held.enter_context(period_lock(folder))
            remove_leftovers(folder)
        held.enter_context(period_lock(reports_dir / INDEX_LOCK))
        atomic.remove_leftovers(reports_dir)
        todo = [job for job in planned.jobs if force or not is_current(job)]
        unchanged = [Outcome(job, "unchanged") for job in planned.jobs if job not in todo]
        for outcome in unchanged:
            log.info("unchanged %s", outcome.job.name)
        try:
            outcomes = run_jobs(todo, jobs or os.cpu_count() or 1, Progress(len(todo)) if todo else None,
                                executor, scheduler)
        except KeyboardInterrupt:
            for folder in folders:  # the workers are stopped: what they were writing goes
                remove_leftovers(folder)
            raise
        if todo or not (reports_dir / "index.html").exists():
            write_index(reports_dir, lang)
    return outcomes, unchanged
