"""Render the reports of spec §5: ``mtqg report`` and ``mtqg periods``.

One render = papermill runs a notebook of ``notebooks/`` with validated string parameters, then
nbconvert turns the executed notebook into one self-contained HTML file (:mod:`.html`)::

    reports/<P>/report.html  + report.ipynb  + summary.xlsx      district report
    reports/<P>/<unit>.html  + <unit>.ipynb                       unit scorecards
    reports/index.html                                            links to all of them

Each output is written atomically. Beside each HTML a ``<name>.fingerprint.json`` records what it
was made from (hashes of the raw files of the year so far, of the notebook and of the package, and
the parameters); a render whose fingerprint is unchanged is skipped, so a nightly run with nothing
new takes a fraction of a second. A notebook that fails leaves the previous HTML in place, keeps
the executed notebook as ``<name>.failed.ipynb`` and says which cell failed and why.

Renders run in separate processes (``--jobs``). Each process keeps one kernel, started from the
current interpreter (no kernelspec needs to be registered by hand), and runs its successive
notebooks in it: the kernel start and the imports of pandas, matplotlib and this package are paid
once per process, not once per notebook. Before each notebook the kernel is put back in the state
of a fresh one (:class:`WarmKernel`); after a failure it is replaced.
"""
from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import html
import json
import logging
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import atomic
from .errors import InputError, InputErrors, ParameterError
from .locking import period_lock
from .periods import label, parse_period

log = logging.getLogger("mtqg.report")

LANGS = ("vi", "en")
REPORT = "report"
FINGERPRINT = ".fingerprint.json"
FAILED = ".failed.ipynb"
# What a period or unit code may never contain, whatever the rest of the validation says.
_FORBIDDEN = ("'", '"', "\n", "\r", "\\", "__", "../", "..", "\x00", ";", "`", "$", "{", "}")
INDEX_LOCK = "index"  # reports/.index.lock guards reports/index.html
_UNIT_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,31}$")


def notebooks_dir() -> Path:
    """``$MTQG_NOTEBOOKS_DIR``, else the project's ``notebooks/`` folder."""
    env = os.environ.get("MTQG_NOTEBOOKS_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "notebooks"


# --- parameter validation (before papermill: never pass anything unchecked to a kernel) ----------
def _refuse_unsafe(value, what: str) -> str:
    if not isinstance(value, str):
        raise ParameterError(f"{what} must be text, not {type(value).__name__} {value!r}")
    if any(bad in value for bad in _FORBIDDEN) or not value.isprintable():
        raise ParameterError(f"{what} {value!r} contains characters that are not allowed")
    return value


def validate_period(value) -> str:
    """The canonical ``YYYY-MM`` of a period or alias (spec §1), refusing anything else."""
    return str(parse_period(_refuse_unsafe(value, "period").strip()))


def validate_lang(value) -> str:
    if value not in LANGS:
        raise ParameterError(f"--lang must be one of {', '.join(LANGS)}, not {value!r}")
    return value


def validate_unit_codes(codes, known: set[str]) -> list[str]:
    """Unit codes as text (leading zeros kept), each one a code of units.csv."""
    out = []
    for code in codes:
        code = _refuse_unsafe(code, "unit code").strip()
        if not _UNIT_CODE.match(code):
            raise ParameterError(f"unit code {code!r} is not a code (digits and letters only)")
        if code not in known:
            raise ParameterError(f"unknown unit code {code!r}: not in units.csv")
        if code not in out:
            out.append(code)
    return out


def _units(data_dir: Path):
    from .units import load_units

    path = data_dir / "raw" / "units.csv"
    return load_units(path) if path.exists() else load_units()


# --- fingerprints ---------------------------------------------------------------------------------
def package_hash() -> str:
    """One hash of the package's code and data files: a change in a helper re-renders."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".csv", ".json", ".css", ".j2", ".txt", ".md"} \
                and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(atomic.file_sha256(path).encode())
    return digest.hexdigest()


def input_hashes(period: str, data_dir: Path) -> dict:
    """SHA-256 of every raw file a report of ``period`` reads: the periods of its year up to it
    (the report shows the year's trajectory) and units.csv."""
    from .read import period_folder, report_files
    from .store import raw_periods

    raw = data_dir / "raw"
    p = parse_period(period)
    files = []
    for q in raw_periods(data_dir):
        if q.year == p.year and q <= p:
            files += report_files(period_folder(raw, q))
    if (raw / "units.csv").exists():
        files.append(raw / "units.csv")
    return {f.relative_to(raw).as_posix(): atomic.file_sha256(f) for f in files}


# --- jobs ----------------------------------------------------------------------------------------
@dataclass
class Job:
    period: str
    stem: str  # "report" or a unit code
    notebook: str
    out_dir: str
    parameters: dict
    title: str
    lang: str
    fingerprint: dict = field(default_factory=dict)

    @property
    def html_path(self) -> Path:
        return Path(self.out_dir) / f"{self.stem}.html"

    @property
    def name(self) -> str:
        return f"{self.period} {self.stem}"


@dataclass
class Outcome:
    job: Job
    status: str  # rendered, unchanged, failed
    seconds: float = 0.0
    message: str = ""


def _fingerprint_path(job: Job) -> Path:
    return Path(job.out_dir) / f"{job.stem}{FINGERPRINT}"


def is_current(job: Job) -> bool:
    """Whether the HTML exists and was rendered from exactly these inputs."""
    try:
        stored = json.loads(_fingerprint_path(job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return job.html_path.exists() and stored.get("inputs") == job.fingerprint


def _readable(*paths: Path) -> None:
    """Published files get the usual rw-r--r-- (less what the umask removes): the atomic writer's
    temporary files are created private."""
    mask = os.umask(0)
    os.umask(mask)
    for path in paths:
        if path.exists():
            os.chmod(path, 0o666 & ~mask)


# --- executing one notebook (in a worker process) ------------------------------------------------
def _kernel_manager_class():
    """A kernel manager whose ``python3`` is always the interpreter running this code.

    jupyter_client would otherwise take the first ``python3`` kernelspec on the Jupyter path, which
    may be a user-level one pointing at another Python without this package (papermill #251)."""
    import zmq
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import List, default

    class CurrentInterpreterSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name == "python3":
                return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())
            return super().get_kernel_spec(kernel_name)

    class CurrentInterpreterKernelManager(AsyncKernelManager):
        handed_out = List()  # the clients made by client(), for WarmKernel to close

        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            return CurrentInterpreterSpecs(data_dir=self.data_dir)

        @default("transport_encryption")
        def _transport_encryption_default(self):
            return "auto" if zmq.has("curve") else "disabled"

        async def start_kernel(self, **kw):
            # The kernel process's own stderr holds only start/stop chatter; what a cell prints
            # reaches the notebook through the kernel protocol, and a crash raises DeadKernelError.
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super().start_kernel(**kw)

        def client(self, **kw):
            # nbclient does not stop the client it makes for a kernel it does not own: note it.
            kc = super().client(**kw)
            self.handed_out.append(kc)
            return kc

    return CurrentInterpreterKernelManager


# --- one kernel per worker process, reset between notebooks ---------------------------------------
# What the kernel imports once, before its first notebook: the notebooks' own imports then cost
# nothing. A module that is missing is skipped.
WARM_IMPORTS = ("pandas", "matplotlib", "matplotlib.pyplot", "IPython.display", "pyarrow.parquet",
                "mtqg_analysis", "mtqg_analysis.store", "mtqg_analysis.report_helpers", "mtqg_analysis.html")
KERNEL_START_SECONDS = 120  # start and warm-up of a kernel
KERNEL_RESET_SECONDS = 60

# (In the kernel) the state just after the warm-up, which every notebook starts from.
_fresh: dict = {}


def _kernel_warm_up() -> None:
    """Run inside a new kernel, once: import :data:`WARM_IMPORTS` and note the state to restore."""
    import importlib
    import warnings

    for name in WARM_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    _fresh.update(environ=dict(os.environ), path=list(sys.path),
                  warnings=list(warnings.filters))
    if "matplotlib" in sys.modules:
        import matplotlib

        _fresh["rc"] = matplotlib.rcParams.copy()  # copy(): the backend stays as it is, unresolved


def _kernel_reset(cwd: str) -> None:
    """Run inside the kernel before each notebook: the state of a fresh kernel working in ``cwd``,
    its imported modules kept. Ends with the namespace reset, which also removes anything this
    call defined."""
    import gc
    import warnings

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "rc" in _fresh:
        import matplotlib

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rc = dict(_fresh["rc"])
            backend = rc.pop("backend")
            matplotlib.rcParams.update(rc)
            if dict.__getitem__(matplotlib.rcParams, "backend") != backend:
                matplotlib.use(backend)  # e.g. inline again after a notebook chose Agg
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated options warn when set, even to their default
            sys.modules["pandas"].reset_option("all")
    warnings.filters[:] = _fresh["warnings"]
    os.environ.clear()
    os.environ.update(_fresh["environ"])
    sys.path[:] = _fresh["path"]
    os.chdir(cwd)
    get_ipython = sys.modules["IPython"].get_ipython
    get_ipython().reset(new_session=True)  # user namespace, Out, history; In [1] again
    gc.collect()


class WarmKernel:
    """One kernel kept for successive notebooks of one process.

    :meth:`prepare` starts it when there is none (and imports :data:`WARM_IMPORTS` in it), then
    resets it to the state of a fresh kernel in the notebook's folder: user namespace, execution
    count, matplotlib figures and settings, pandas options, warning filters, environment,
    ``sys.path`` and working directory. Imported modules stay, which is the point; a module a
    notebook changes in place (other than matplotlib's and pandas's settings) stays changed.
    :meth:`discard` after a failure: the next :meth:`prepare` starts a new kernel."""

    def __init__(self):
        self.km = None
        self._kc = None  # our own client, shell channel only: runs the warm-up and the resets
        self.started = 0  # kernels started so far

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.shutdown()

    def prepare(self, cwd: str):
        """A started kernel manager, its kernel ready for a new notebook working in ``cwd``."""
        if self.km is not None:
            try:
                self._run(f"__import__('mtqg_analysis.runner', fromlist=['_'])._kernel_reset({cwd!r})",
                          KERNEL_RESET_SECONDS)
                return self.km
            except Exception as exc:  # noqa: BLE001  (a kernel that died between notebooks)
                log.debug("kernel reset failed, starting another: %s", exc)
                self.discard()
        try:
            self._start(cwd)
            self._run("__import__('mtqg_analysis.runner', fromlist=['_'])._kernel_warm_up()\n"
                      f"__import__('mtqg_analysis.runner', fromlist=['_'])._kernel_reset({cwd!r})",
                      KERNEL_START_SECONDS)
        except BaseException:
            self.discard()
            raise
        return self.km

    def _start(self, cwd: str) -> None:
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_core.utils import run_sync

        self.km = _kernel_manager_class()(kernel_name="python3")
        self.started += 1
        # the in-memory history nbclient gives the kernels it starts itself
        run_sync(self.km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"], cwd=cwd)
        self._kc = BlockingKernelClient()
        self._kc.load_connection_info(self.km.get_connection_info())
        self._kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)

    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return run_sync(self.km.is_alive)()

    def _run(self, code: str, timeout: float) -> None:
        """Execute ``code`` silently (no output, no history) and wait for its reply."""
        import queue

        msg_id = self._kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"the kernel did not answer within {timeout} s")
            try:
                reply = self._kc.get_shell_msg(timeout=min(left, 1.0))
            except queue.Empty:
                if not self._alive():
                    raise RuntimeError("the kernel died") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = reply["content"]
            if content.get("status") != "ok":
                raise RuntimeError(f"kernel preparation failed: {content.get('ename')}: {content.get('evalue')}")
            return

    def release_clients(self) -> None:
        """Close the clients nbclient opened on the kernel (it leaves them open: it does not own it)."""
        if self.km is None:
            return
        while self.km.handed_out:
            kc = self.km.handed_out.pop()
            try:
                kc.stop_channels()
            except Exception as exc:  # noqa: BLE001
                log.debug("closing a kernel client: %s", exc)

    def discard(self) -> None:
        """Shut the kernel down (if any); the next :meth:`prepare` starts a new one."""
        from jupyter_core.utils import run_sync

        if self.km is None:
            return
        self.release_clients()
        km, kc, self.km, self._kc = self.km, self._kc, None, None
        if kc is not None:
            kc.stop_channels()
        try:
            alive = run_sync(km.is_alive)()
            run_sync(km.shutdown_kernel)(now=not alive)
        except Exception as exc:  # noqa: BLE001  (already gone: nothing more to stop)
            log.debug("kernel shutdown: %s", exc)
            try:
                run_sync(km.cleanup_resources)()
            except Exception:  # noqa: BLE001
                pass

    shutdown = discard


# This worker process's kernel (set by :func:`_start_worker` in processes of the pool).
_worker_kernel: WarmKernel | None = None


def _start_worker() -> None:
    """ProcessPoolExecutor initializer: the process keeps one kernel for all its renders and shuts
    it down when it exits."""
    global _worker_kernel
    _worker_kernel = WarmKernel()
    atexit.register(_worker_kernel.shutdown)


def _failure_message(exc, nb_path: Path) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = next((line for line in (exc.source or "").splitlines() if line.strip()), "")
        return (f"cell {exc.cell_index} (In [{exc.exec_count}]: {first.strip()[:80]}) failed: "
                f"{exc.ename}: {exc.evalue}; executed notebook kept in {nb_path}")
    return f"{type(exc).__name__}: {exc}; executed notebook (if any) kept in {nb_path}"


def render(job: Job, kernel: WarmKernel | None = None) -> Outcome:
    """Execute, convert and write one report. Never raises: failures come back as an Outcome.

    The notebook runs in ``kernel``, else in this worker process's kernel, else in a kernel started
    for it alone."""
    import nbformat
    import papermill as pm

    if kernel is None:
        kernel = _worker_kernel
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
        return Outcome(job, "failed", time.perf_counter() - start, _failure_message(exc, failed))
    kernel.release_clients()
    try:
        from .html import notebook_to_html

        nb = nbformat.read(running, as_version=4)
        atomic.write_text(job.html_path, notebook_to_html(nb, job.title, job.lang))
        if job.stem == REPORT:
            from .excel_export import write_summary

            write_summary(job.period, job.parameters["data_dir"] or None, out_dir / "summary.xlsx", job.lang)
        os.replace(running, out_dir / f"{job.stem}.ipynb")
        record = {"inputs": job.fingerprint, "title": job.title, "period": job.period, "stem": job.stem,
                  "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        atomic.write_text(_fingerprint_path(job), json.dumps(record, ensure_ascii=False, indent=1))
        _readable(job.html_path, out_dir / "summary.xlsx", _fingerprint_path(job))
        if failed.exists():
            failed.unlink()
    except Exception as exc:  # noqa: BLE001
        if running.exists():
            os.replace(running, failed)
        return Outcome(job, "failed", time.perf_counter() - start, f"export failed: {type(exc).__name__}: {exc}")
    return Outcome(job, "rendered", time.perf_counter() - start)


# --- planning ------------------------------------------------------------------------------------
@dataclass
class Plan:
    jobs: list[Job]
    errors: list[str]


def plan(periods: list[str], unit_args: list[str] | None, data_dir: Path, reports_dir: Path, lang: str,
         notebooks: Path | None = None) -> Plan:
    """Validate everything and list the renders. Builds each period's processed table first (in
    this process, so that parallel notebooks only read it); a period whose raw data has errors
    becomes an error line and the other periods go on."""
    from .store import load_period, raw_periods

    notebooks = notebooks or notebooks_dir()
    data_dir = data_dir.resolve()
    units = _units(data_dir)
    known = set(units.frame["code"])
    wanted = None
    if unit_args:
        wanted = "all" if unit_args == ["all"] else validate_unit_codes(unit_args, known)
    package = package_hash()
    notebook_hash = {name: atomic.file_sha256(notebooks / f"{name}.ipynb") for name in ("period_report", "unit_scorecard")}
    jobs, errors = [], []
    for period in periods:
        try:
            for q in [q for q in raw_periods(data_dir) if q.year == parse_period(period).year and q <= parse_period(period)]:
                funding = load_period(q, data_dir)
            funding = load_period(period, data_dir)
        except (InputError, InputErrors) as problem:
            errors.append(f"{period}: {problem}")
            continue
        inputs = input_hashes(period, data_dir)
        out_dir = reports_dir / period
        common = {"period": period, "data_dir": str(data_dir), "lang": lang}
        base = {"inputs": inputs, "package": package}
        title = (f"Báo cáo {label(period)}" if lang == "vi" else f"Report, {label(period, 'en')}")
        jobs.append(Job(period, REPORT, str(notebooks / "period_report.ipynb"), str(out_dir), dict(common),
                        title, lang, dict(base, notebook=notebook_hash["period_report"], parameters=common)))
        if wanted is None:
            continue
        present = sorted(set(funding["unit_code"]))
        codes = present if wanted == "all" else wanted
        for code in codes:
            if not _UNIT_CODE.match(code) or ".." in code:  # units.csv is checked on load; belt and braces
                errors.append(f"{period}: unit code {code!r} is not a plain code; it is not rendered")
                continue
            if code not in present:
                errors.append(f"{period}: unit {code} ({units.name(code)}) reported nothing in this period")
                continue
            params = dict(common, unit_code=code)
            jobs.append(Job(period, code, str(notebooks / "unit_scorecard.ipynb"), str(out_dir), params,
                            f"{units.name(code)}, {label(period, lang)}", lang,
                            dict(base, notebook=notebook_hash["unit_scorecard"], parameters=params)))
    return Plan(jobs, errors)


# --- progress --------------------------------------------------------------------------------------
class Progress:
    """A text bar on a terminal; one log line per finished render otherwise (CI, cron)."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        what = f"{outcome.status} {outcome.job.name} ({outcome.seconds:.1f} s)"
        if self.tty:
            width = 30
            filled = width * self.done // max(self.total, 1)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {what:<50}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        else:
            log.info("[%d/%d] %s", self.done, self.total, what)


def run_jobs(jobs: list[Job], n_jobs: int, progress: Progress | None = None) -> list[Outcome]:
    """Render ``jobs`` in ``n_jobs`` processes (in this process when one job or ``n_jobs`` is 1)."""
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
    with ProcessPoolExecutor(max_workers=min(n_jobs, len(jobs)), mp_context=context,
                             initializer=_start_worker) as pool:
        futures = {pool.submit(render, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001  (a worker that died)
                outcome = Outcome(futures[future], "failed", 0.0, f"worker failed: {type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            if progress:
                progress.update(outcome)
    return outcomes


# --- index -------------------------------------------------------------------------------------------
def write_index(reports_dir: Path) -> Path:
    """``reports/index.html``: every rendered period, its report, summary and scorecards."""
    from .html import page
    from .periods import is_period

    sections = []
    folders = sorted((p for p in reports_dir.iterdir() if p.is_dir() and is_period(p.name)), reverse=True) \
        if reports_dir.is_dir() else []
    for folder in folders:
        records = []
        for fp in sorted(folder.glob(f"*{FINGERPRINT}")):
            try:
                record = json.loads(fp.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            stem = record.get("stem", "")
            if (folder / f"{stem}.html").exists():
                records.append(record)
        if not records:
            continue
        period = folder.name
        items = []
        for record in sorted(records, key=lambda r: (r["stem"] != REPORT, r.get("title", ""))):
            href = html.escape(f"{period}/{record['stem']}.html")
            items.append(f'<li><a href="{href}">{html.escape(record.get("title", record["stem"]))}</a></li>')
        if (folder / "summary.xlsx").exists():
            items.insert(1, f'<li><a href="{html.escape(period)}/summary.xlsx">summary.xlsx</a></li>')
        sections.append(f"<h2>{html.escape(period)}: {html.escape(label(period))}</h2><ul>{''.join(items)}</ul>")
    body = "<h1>Báo cáo Chương trình MTQG DTTS&amp;MN</h1>" + ("".join(sections) or "<p>Chưa có báo cáo.</p>")
    target = reports_dir / "index.html"
    atomic.write_text(target, page(body, "mtqg-analysis: báo cáo", "vi"))
    _readable(target)
    return target


# --- CLI ----------------------------------------------------------------------------------------------
def _periods_from_args(args) -> list[str]:
    from .store import raw_periods

    if args.all_periods:
        found = [str(p) for p in raw_periods(args.data_dir)]
        if not found:
            raise ParameterError(f"no period folder under {args.data_dir / 'raw'}")
        return found
    if not args.period:
        raise ParameterError("give --period P (e.g. 2024-06) or --all-periods")
    return list(dict.fromkeys(validate_period(p) for p in args.period))


def _run_report(args) -> int:
    lang = validate_lang(args.lang)
    if args.jobs is not None and args.jobs < 1:
        raise ParameterError("--jobs must be at least 1")
    periods = _periods_from_args(args)
    notebooks = Path(args.notebooks_dir) if args.notebooks_dir else None
    planned = plan(periods, args.units, args.data_dir, args.reports_dir, lang, notebooks)
    for error in planned.errors:
        print(f"mtqg report: {error}", file=sys.stderr)
    with contextlib.ExitStack() as held:
        # Runs on the same periods take turns; whoever holds a period's lock may delete the
        # temporary files a killed run left in its folder.
        for period in sorted({job.period for job in planned.jobs}):
            held.enter_context(period_lock(args.reports_dir / period))
            atomic.remove_leftovers(args.reports_dir / period)
        held.enter_context(period_lock(args.reports_dir / INDEX_LOCK))
        atomic.remove_leftovers(args.reports_dir)
        todo = [job for job in planned.jobs if args.force or not is_current(job)]
        unchanged = [Outcome(job, "unchanged") for job in planned.jobs if job not in todo]
        for outcome in unchanged:
            log.info("unchanged %s", outcome.job.name)
        outcomes = run_jobs(todo, args.jobs or os.cpu_count() or 1, Progress(len(todo)) if todo else None)
        if todo or not (args.reports_dir / "index.html").exists():
            write_index(args.reports_dir)
    failed = [o for o in outcomes if o.status == "failed"]
    for outcome in sorted(outcomes + unchanged, key=lambda o: (o.job.period, o.job.stem != REPORT, o.job.stem)):
        if outcome.status != "failed":
            print(outcome.job.html_path)
    for outcome in failed:
        print(f"mtqg report: {outcome.job.name} FAILED: {outcome.message}", file=sys.stderr)
    if failed or planned.errors:
        print(f"mtqg report: {len(failed) + len(planned.errors)} problem(s); "
              f"{len(outcomes) - len(failed)} rendered, {len(unchanged)} unchanged", file=sys.stderr)
        return 1
    return 0


def period_status(data_dir: Path, reports_dir: Path) -> list[dict]:
    """One row per raw period folder: files, processed table state, rendered reports."""
    from .read import period_folder, report_files
    from .store import is_stale, processed_dir, raw_periods

    rows = []
    for p in raw_periods(data_dir):
        folder = period_folder(data_dir / "raw", p)
        out = reports_dir / str(p)
        built = (processed_dir(p, data_dir) / "funding.parquet").exists()
        rendered = sorted(f.name[: -len(FINGERPRINT)] for f in out.glob(f"*{FINGERPRINT}")) if out.is_dir() else []
        rows.append({
            "period": str(p), "folder": folder.name, "label": label(p), "raw_files": len(report_files(folder)),
            "processed": ("stale" if is_stale(p, data_dir) else "fresh") if built else "missing",
            "report": "yes" if REPORT in rendered and (out / "report.html").exists() else "no",
            "scorecards": len([s for s in rendered if s != REPORT]),
            "failed": len(list(out.glob(f"*{FAILED}"))) if out.is_dir() else 0,
        })
    return rows


def _run_periods(args) -> int:
    rows = period_status(args.data_dir, args.reports_dir)
    if not rows:
        print(f"no period folder under {args.data_dir / 'raw'}")
        return 0
    header = f"{'period':<8} {'folder':<10} {'raw files':>9} {'processed':<9} {'report':<6} {'scorecards':>10} {'failed':>6}  label"
    print(header)
    for r in rows:
        print(f"{r['period']:<8} {r['folder']:<10} {r['raw_files']:>9} {r['processed']:<9} {r['report']:<6} "
              f"{r['scorecards']:>10} {r['failed']:>6}  {r['label']}")
    return 0


def add_cli(subparsers, common) -> None:
    """Register ``mtqg report`` and ``mtqg periods`` (called by :mod:`mtqg_analysis.cli`)."""
    p = subparsers.add_parser("report", help="render reports/<period>/report.html (and unit scorecards)",
                              description="Render the district report of a period and, with --units, "
                                          "unit scorecards; skip renders whose inputs are unchanged.")
    common(p)
    p.add_argument("--period", action="append", help="YYYY-MM or an alias such as 2024-H1 (repeatable)")
    p.add_argument("--all-periods", action="store_true", help="every period folder under <data-dir>/raw/")
    p.add_argument("--units", nargs="+", metavar="CODE", help="'all' or unit codes: also render scorecards")
    p.add_argument("--jobs", "-j", type=int, default=None, help="parallel renders (default: CPU count)")
    p.add_argument("--force", action="store_true", help="render even when nothing changed")
    p.add_argument("--lang", default="vi", help="vi (default) or en")
    p.add_argument("--notebooks-dir", default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=_run_report)

    q = subparsers.add_parser("periods", help="list periods with their raw and rendered status")
    common(q)
    q.set_defaults(func=_run_periods)


__all__ = ["add_cli", "plan", "render", "run_jobs", "validate_period", "validate_unit_codes", "write_index",
           "period_status", "Job", "Outcome", "WarmKernel"]
