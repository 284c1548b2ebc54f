"""One render: papermill runs the notebook with its checked parameters, then the executed notebook
becomes one self-contained HTML page (:mod:`mtqg_analysis.report.page`) with links to the index,
the period's report and the previous and next periods; the district report also gets its
``summary.xlsx`` and the Word draft of the notice, ``thong-bao.docx``. The fingerprint record
keeps the headline figures, which the index shows.

Each output is written atomically. A notebook that fails leaves the previous HTML in place, keeps
the executed notebook as ``<name>.failed.ipynb`` and says which cell failed and why.
"""
from __future__ import annotations

import json
import logging
import os
import time
from functools import lru_cache
from pathlib import Path

from ..store import atomic
from .jobs import FAILED, REPORT, Job, Outcome
from .kernel import WarmKernel, worker_kernel

SUMMARY = "summary.xlsx"
NOTICE = "thong-bao.docx"
INDEX = "index.html"


def failure_message(exc, nb_path: Path) -> str:
    """Which cell failed and why, in one line."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = next((line for line in (exc.source or "").splitlines() if line.strip()), "")
        return (f"cell {exc.cell_index} (In [{exc.exec_count}]: {first.strip()[:80]}) failed: "
                f"{exc.ename}: {exc.evalue}; executed notebook kept in {nb_path}")
    return f"{type(exc).__name__}: {exc}; executed notebook (if any) kept in {nb_path}"


def write_documents(job: Job, out_dir: Path) -> dict:
    """The district report's ``summary.xlsx`` and ``thong-bao.docx``, from the tables the notebook
    read; returns the period's headline figures (for the index)."""
    from ..report.excel import summary_workbook
    from ..report.word import notice_document
    from ..store import load_year

    year = load_year(job.period, job.parameters.get("data_dir") or None, rebuild="never", reuse=True)
    book = summary_workbook(year, job.lang)
    atomic.write_with(out_dir / SUMMARY, book.save)
    document = notice_document(year, job.lang)
    atomic.write_with(out_dir / NOTICE, document.save)
    return figures_of(year)


def figures_of(year, unit_code: str | None = None) -> dict:
    """Plan, disbursed and financial rate of the period (or of one unit), for the index; none for a
    unit without rows in the period."""
    from ..analysis import total, totals_by, unit_positions, unit_total

    if unit_code is None:
        whole = total(year.funding)
    else:
        # lookups: the worker renders many scorecards of the same loaded period
        positions = year.once(unit_positions, year.funding)
        if unit_code not in positions:  # a notebook of the period that is not a unit's scorecard
            return {}
        whole = unit_total(year.funding, unit_code, positions, year.once(totals_by, year.funding))
    rate = whole["financial_rate"]
    figures = {"plan_vnd": int(whole["plan_vnd"]), "disbursed_vnd": int(whole["disbursed_vnd"]),
               "financial_rate": None if rate != rate else float(rate)}
    if unit_code is not None:
        figures["unit_name"] = str(year.funding["unit_name"].iloc[positions[unit_code][0]])
    return figures


def unit_figures(job: Job) -> dict:
    """A scorecard's figures for the index; none when the period's tables cannot be read (a
    notebook that reads something else), which leaves the index without them, not the render."""
    from ..errors import InputError, InputErrors
    from ..store import load_year

    try:
        # reuse: the worker process reads a period once for the index figures of all its scorecards
        year = load_year(job.period, job.parameters.get("data_dir") or None, rebuild="never", reuse=True)
    except (InputError, InputErrors, OSError):
        return {}
    return figures_of(year, job.stem)


def navigation(job: Job) -> list[dict]:
    """The page's links: the index, the period's report (from a scorecard), the same page of the
    previous and next periods."""
    from ..domain.labels import fill, label
    from ..domain.periods import label as period_label

    page = f"{job.stem}.html"
    links = [{"href": f"../{INDEX}", "text": label("nav.index", job.lang), "rel": "index"}]
    if job.stem != REPORT:
        links.append({"href": f"{REPORT}.html", "text": label("nav.report", job.lang), "rel": "up"})
    for rel in ("previous", "next"):
        other = job.neighbours.get(rel)
        if other:
            links.append({"href": f"../{other}/{page}", "rel": "prev" if rel == "previous" else "next",
                          "text": fill(f"nav.{rel}", job.lang, label=period_label(other, job.lang))})
    return links


ENGINE = "mtqg-written-once"


@lru_cache(maxsize=None)
def register_engine() -> str:
    """papermill's nbclient engine, writing the executed notebook once: papermill itself writes it
    at the end (or, when a cell fails, with its error), and this engine when the kernel dies on
    the way (what ran by then). papermill's own engine writes it before and after every cell, a
    notebook growing to its charts, two dozen times a scorecard. Returns the engine's name."""
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.iorw import write_ipynb

    class WrittenOnce(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, keep_at=None, **kwargs):
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except Exception:
                if keep_at:  # a dead kernel: keep what ran, as papermill's own engine would have
                    write_ipynb(nb_man.nb, keep_at)
                raise

    papermill_engines.register(ENGINE, WrittenOnce)
    return ENGINE


def render(job: Job, kernel: WarmKernel | None = None) -> Outcome:
    """Execute, convert and write one report. Never raises: failures come back as an Outcome.

    The notebook runs in ``kernel``, else in this worker process's kernel, else in a kernel started
    for it alone."""
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
        # km: nbclient runs the cells in this started kernel and leaves it running afterwards;
        # executed: the notebook papermill wrote to ``running``, converted from memory
        executed = pm.execute_notebook(job.notebook, str(running), parameters=job.parameters, kernel_name="python3",
                                       progress_bar=False, cwd=cwd, km=km, engine_name=register_engine(),
                                       request_save_on_cell_execute=False, keep_at=str(running))
    except Exception as exc:  # noqa: BLE001  (any failure of a notebook is reported, not raised)
        kernel.discard()  # whatever state the failure left must not reach the next notebook
        if running.exists():
            os.replace(running, failed)
        return Outcome(job, "failed", time.perf_counter() - start, failure_message(exc, failed))
    except BaseException:  # Ctrl-C: no half-executed notebook is left behind
        running.unlink(missing_ok=True)
        raise
    try:
        atomic.write_text(job.html_path, notebook_to_html(executed, job.title, job.lang, nav=navigation(job)))
        if job.kind == "phase":  # a phase summary is one page: no workbook, no notice, no figures to index
            figures = {}
        else:
            figures = write_documents(job, out_dir) if job.stem == REPORT else unit_figures(job)
        os.replace(running, out_dir / f"{job.stem}.ipynb")
        record = {"inputs": job.fingerprint, "title": job.title, "period": job.period, "stem": job.stem,
                  "programme": job.programme, "lang": job.lang, "figures": figures,
                  "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        atomic.write_text(job.fingerprint_path, json.dumps(record, ensure_ascii=False, indent=1))
        if failed.exists():
            failed.unlink()
    except Exception as exc:  # noqa: BLE001
        if running.exists():
            os.replace(running, failed)
        return Outcome(job, "failed", time.perf_counter() - start, f"export failed: {type(exc).__name__}: {exc}")
    return Outcome(job, "rendered", time.perf_counter() - start)
