"""One render: papermill runs the notebook with its checked parameters, then the executed notebook
becomes one self-contained HTML page (:mod:`mtqg_analysis.report.page`); the district report also
gets its ``summary.xlsx``.

Each output is written atomically. A notebook that fails leaves the previous HTML in place, keeps
the executed notebook as ``<name>.failed.ipynb`` and says which cell failed and why.
"""
from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from ..store import atomic
from .jobs import FAILED, REPORT, Job, Outcome
from .kernel import WarmKernel, worker_kernel

SUMMARY = "summary.xlsx"


def failure_message(exc, nb_path: Path) -> str:
    """Which cell failed and why, in one line."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = next((line for line in (exc.source or "").splitlines() if line.strip()), "")
        return (f"cell {exc.cell_index} (In [{exc.exec_count}]: {first.strip()[:80]}) failed: "
                f"{exc.ename}: {exc.evalue}; executed notebook kept in {nb_path}")
    return f"{type(exc).__name__}: {exc}; executed notebook (if any) kept in {nb_path}"


def write_summary(job: Job, destination: Path) -> None:
    """The district report's ``summary.xlsx``, from the tables the notebook read."""
    from ..report.excel import summary_workbook
    from ..store import load_year

    year = load_year(job.period, job.parameters.get("data_dir") or None, rebuild="never")
    book = summary_workbook(year.funding, year.quality, year.units, year.catalog, job.lang)
    atomic.write_with(destination, book.save)


def render(job: Job, kernel: WarmKernel | None = None) -> Outcome:
    """Execute, convert and write one report. Never raises: failures come back as an Outcome.

    The notebook runs in ``kernel``, else in this worker process's kernel, else in a kernel started
    for it alone."""
    import nbformat
    import papermill as pm

    from ..report.page import notebook_to_html

    kernel = kernel or worker_kernel()
    if kernel is None:
        with WarmKernel() as one_off:
            return render(job, one_off)
    start = time.perf_counter()
    out_dir = Path(job.out_dir)
    if Path(job.html_path).resolve().parent != out_dir.resolve():
        return Outcome(job, "failed", 0.0, f"refused: {job.html_path} is not inside {out_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    running = out_dir / f".{job.stem}.running.ipynb"
    failed = out_dir / f"{job.stem}{FAILED}"
    cwd = str(Path(job.notebook).parent)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    try:
        km = kernel.prepare(cwd)
        # km: nbclient runs the cells in this started kernel and leaves it running afterwards
        pm.execute_notebook(job.notebook, str(running), parameters=job.parameters, kernel_name="python3",
                            progress_bar=False, cwd=cwd, km=km)
    except Exception as exc:  # noqa: BLE001  (any failure of a notebook is reported, not raised)
        kernel.discard()  # whatever state the failure left must not reach the next notebook
        if running.exists():
            os.replace(running, failed)
        return Outcome(job, "failed", time.perf_counter() - start, failure_message(exc, failed))
    except BaseException:  # Ctrl-C: no half-executed notebook is left behind
        running.unlink(missing_ok=True)
        raise
    kernel.release_clients()
    try:
        nb = nbformat.read(running, as_version=4)
        atomic.write_text(job.html_path, notebook_to_html(nb, job.title, job.lang))
        if job.stem == REPORT:
            write_summary(job, out_dir / SUMMARY)
        os.replace(running, out_dir / f"{job.stem}.ipynb")
        record = {"inputs": job.fingerprint, "title": job.title, "period": job.period, "stem": job.stem,
                  "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        atomic.write_text(job.fingerprint_path, json.dumps(record, ensure_ascii=False, indent=1))
        if failed.exists():
            failed.unlink()
    except Exception as exc:  # noqa: BLE001
        if running.exists():
            os.replace(running, failed)
        return Outcome(job, "failed", time.perf_counter() - start, f"export failed: {type(exc).__name__}: {exc}")
    return Outcome(job, "rendered", time.perf_counter() - start)
