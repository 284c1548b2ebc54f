"""Many renders: a pool of worker processes, each with its own warm kernel, and a progress bar.

On a terminal the progress is a tqdm bar; elsewhere (CI, cron) one log line per finished render.
"""
from __future__ import annotations

import logging
import sys
import time

from .execute import render
from .jobs import Job, Outcome
from .kernel import WarmKernel, start_worker

log = logging.getLogger("mtqg.report")


class Progress:
    """A tqdm bar on a terminal; one log line per finished render otherwise."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        stream = stream or sys.stderr
        self.bar = None
        if hasattr(stream, "isatty") and stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=stream, unit="render", dynamic_ncols=True)

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        what = f"{outcome.status} {outcome.job.name} ({outcome.seconds:.1f} s)"
        if self.bar is not None:
            self.bar.set_postfix_str(what, refresh=False)
            self.bar.update(1)
            if self.done == self.total:
                self.bar.close()
        else:
            log.info("[%d/%d] %s", self.done, self.total, what)


EXECUTORS = ("local", "dask")


def run_jobs(jobs: list[Job], n_jobs: int, progress: Progress | None = None, executor: str = "local",
             scheduler: str | None = None) -> list[Outcome]:
    """Render ``jobs`` in ``n_jobs`` processes (in this process when one job or ``n_jobs`` is 1);
    ``executor="dask"``: on Dask workers instead (:mod:`.dask_executor`; a LocalCluster of
    ``n_jobs`` processes, or the cluster at ``scheduler``)."""
    if executor == "dask":
        from .dask_executor import run_jobs_dask

        return run_jobs_dask(jobs, n_jobs, progress, scheduler)
    outcomes = []
    if n_jobs <= 1 or len(jobs) <= 1:
        with WarmKernel() as kernel:
            for job in jobs:
                outcome = render(job, kernel)
                outcomes.append(outcome)
                if progress:
                    progress.update(outcome)
        return outcomes
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("spawn")  # no forked zmq or asyncio state in workers
    pool = ProcessPoolExecutor(max_workers=min(n_jobs, len(jobs)), mp_context=context, initializer=start_worker)
    try:
        futures = {pool.submit(render, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001  (a worker that died)
                outcome = Outcome(futures[future], "failed", 0.0, f"worker failed: {type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            if progress:
                progress.update(outcome)
    except BaseException:  # Ctrl-C: no render is started after it, running ones are stopped
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return outcomes


STOP_SECONDS = 1.5  # how long stopped workers get to kill their kernels before they are killed


def stop_pool(pool) -> None:
    """Stop a pool now: cancel the renders not started, tell each worker to stop (SIGTERM: it kills
    its kernel and exits), and kill any worker still there after :data:`STOP_SECONDS`."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join(1)
