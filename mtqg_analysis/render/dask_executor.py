"""Many renders on a Dask cluster (``mtqg report --executor dask``): the same jobs as the local
pool (:mod:`.batch`), handed to ``dask.distributed``.

Without a scheduler address a ``LocalCluster`` of worker processes (one thread each) is started on
this machine for the run; with ``--scheduler tcp://HOST:PORT`` the jobs go to a cluster started with
Dask's own commands (``dask scheduler``, ``dask worker ... --nthreads 1``). Either way:

- each worker keeps one warm kernel for all the notebooks it is given (:class:`KernelPlugin`, a
  worker plugin: the kernel is started at the first render and stays until the worker stops), so a
  cluster pays a kernel start per worker, not per notebook;
- a job runs :func:`.execute.render` on the worker, which writes the HTML, the workbook and the
  fingerprint atomically into the reports folder: on a cluster that folder (and the data folder)
  must be on storage every worker sees at the same path;
- a notebook that fails comes back as a failed :class:`.jobs.Outcome` naming its cell, as with
  the local pool; a worker lost in the middle is a failed job once Dask gives up on it;
- Ctrl-C cancels every job not finished and closes the client (and the local cluster).
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from pathlib import Path

from .jobs import Job, Outcome

log = logging.getLogger("mtqg.report")
PLUGIN_NAME = "mtqg-warm-kernel"


def _kernel_plugin(local: bool):
    from distributed.diagnostics.plugin import WorkerPlugin

    class KernelPlugin(WorkerPlugin):
        """Gives the worker process one :class:`.kernel.WarmKernel`, kept between renders and shut
        down with the worker. Idempotent: a run that registers it again on a worker that has it
        keeps the kernel already warm. On this machine's LocalCluster the worker processes ignore
        Ctrl-C, which the terminal sends them too: stopping them is the command's to do."""

        name = PLUGIN_NAME
        idempotent = True

        def setup(self, worker):
            from .kernel import WarmKernel, adopt_worker_kernel, skip_iri_grammar

            skip_iri_grammar()
            if local:
                import signal
                import threading

                if threading.current_thread() is threading.main_thread():
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
            adopt_worker_kernel(WarmKernel())

        def teardown(self, worker):
            from .kernel import adopt_worker_kernel, worker_kernel

            kernel = worker_kernel()
            adopt_worker_kernel(None)
            if kernel is not None:
                kernel.kill()  # the worker is stopping: no polite wait for a running cell

    return KernelPlugin()


def _kill_kernel() -> None:
    """(On a worker, Ctrl-C) end the kernel's running notebook at once: a cancelled job does not
    stop a running task, a dead kernel does. The next job gets a new kernel."""
    from .kernel import worker_kernel

    kernel = worker_kernel()
    if kernel is not None:
        kernel.kill()


def _render_on_worker(job: Job) -> Outcome:
    from .execute import render

    return render(job)  # in the kernel the plugin gave this worker


def open_client(n_workers: int, scheduler: str | None = None):
    """A client of the cluster at ``scheduler``, else of a new LocalCluster of ``n_workers``
    processes with one thread each; returns ``(client, cluster or None)``."""
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.WARNING)  # its start and stop chatter is not ours to show
    if scheduler:
        return Client(scheduler, timeout="30s"), None
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def run_jobs_dask(jobs: list[Job], n_jobs: int, progress=None, scheduler: str | None = None) -> list[Outcome]:
    """Render ``jobs`` on Dask workers (see the module's notes); outcomes in the order they finish."""
    if not jobs:
        return []
    from distributed import as_completed

    # The workers may run elsewhere: every path they are given is absolute.
    jobs = [replace(job, out_dir=str(Path(job.out_dir).resolve())) for job in jobs]
    client, cluster = open_client(min(n_jobs, len(jobs)), scheduler)
    futures = []
    try:
        client.register_plugin(_kernel_plugin(local=cluster is not None), name=PLUGIN_NAME)
        run = uuid.uuid4().hex[:12]  # two runs sharing a cluster never share a key
        futures = client.map(_render_on_worker, jobs, pure=False,
                             key=[f"mtqg-{job.period}-{job.stem}-{run}" for job in jobs])
        by_key = {future.key: job for future, job in zip(futures, jobs)}
        outcomes = []
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001  (a worker that died, a job Dask gave up on)
                outcome = Outcome(by_key[future.key], "failed", 0.0, f"worker failed: {type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            if progress:
                progress.update(outcome)
        return outcomes
    except BaseException:  # Ctrl-C: nothing more is started, what runs is cancelled
        if futures:
            client.cancel(futures, force=True)
            try:
                client.run(_kill_kernel)
            except Exception as exc:  # noqa: BLE001  (a worker already gone)
                log.debug("stopping the kernels of the workers: %s", exc)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
