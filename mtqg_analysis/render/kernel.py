"""One kernel per worker process, kept between notebooks and reset before each.

The kernel is started from the interpreter running this code: no kernelspec needs registering,
and a user-level ``python3`` kernelspec pointing at another Python is never used (papermill
#251). The kernel start and the imports of pandas, matplotlib and this package are paid once per
process, not once per notebook; before each notebook the kernel is put back in the state of a
fresh one (:class:`WarmKernel`), and after a failure it is replaced.
"""
from __future__ import annotations

import atexit
import logging
import os
import subprocess
import sys
import time

log = logging.getLogger("mtqg.report")


def kernel_manager_class():
    """A kernel manager whose ``python3`` is always the interpreter running this code.

    jupyter_client would otherwise take the first ``python3`` kernelspec on the Jupyter path, which
    may be a user-level one pointing at another Python without this package (papermill #251)."""
    import zmq
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import List, default

    class KeptClient(AsyncKernelClient):
        """The client of every notebook run in one kernel (see ``client()`` below)."""

        ready = False

        def start_channels(self, *args, **kw):
            if not self.channels_running:  # the same client again, for the next notebook
                super().start_channels(*args, **kw)

        async def wait_for_ready(self, timeout=None):
            # Once only: its ending flush of IOPub waits until no message came for 0.2 s. The
            # kernel answered the reset just before each later notebook, and nbclient skips
            # the IOPub messages of other requests.
            if not self.ready:
                await super().wait_for_ready(timeout)
                self.ready = True

    class CurrentInterpreterSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name == "python3":
                return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())
            return super().get_kernel_spec(kernel_name)

    class CurrentInterpreterKernelManager(AsyncKernelManager):
        handed_out = List()  # the client made by client(), kept for the next notebooks, for WarmKernel to close

        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            return CurrentInterpreterSpecs(data_dir=self.data_dir)

        @default("client_factory")
        def _client_factory_default(self):
            return KeptClient

        @default("transport_encryption")
        def _transport_encryption_default(self):
            return "auto" if zmq.has("curve") else "disabled"

        async def start_kernel(self, **kw):
            # The kernel process's own stderr holds only start/stop chatter; what a cell prints
            # reaches the notebook through the kernel protocol, and a crash raises DeadKernelError.
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super().start_kernel(**kw)

        def client(self, **kw):
            # One client for every notebook run in this kernel: a new client per notebook costs
            # its connection and jupyter_client's wait_for_ready, which ends by waiting for 0.2 s
            # of silence on IOPub. nbclient does not stop a client of a kernel it does not own.
            if not self.handed_out:
                self.handed_out.append(super().client(**kw))
            return self.handed_out[0]

    return CurrentInterpreterKernelManager


# --- one kernel per worker process, reset between notebooks ---------------------------------------
# What the kernel imports once, before its first notebook: the notebooks' own imports then cost
# nothing. A module that is missing is skipped.
WARM_IMPORTS = ("pandas", "matplotlib", "matplotlib.pyplot", "matplotlib.figure", "IPython.display",
                "pyarrow.parquet", "mtqg_analysis", "mtqg_analysis.store", "mtqg_analysis.analysis",
                "mtqg_analysis.report.display", "mtqg_analysis.report.charts", "mtqg_analysis.report.notice")
KERNEL_START_SECONDS = 120  # start and warm-up of a kernel
KERNEL_RESET_SECONDS = 60

# (In the kernel) the state just after the warm-up, which every notebook starts from.
_fresh: dict = {}


def _kernel_warm_up() -> None:
    """Run inside a new kernel, once: import :data:`WARM_IMPORTS` and note the state to restore."""
    import gc
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
    # What the imports made lives as long as the kernel: out of the garbage collector's sight, the
    # full collections of every reset (IPython's and ours) take milliseconds instead of a tenth
    # of a second.
    gc.collect()
    gc.freeze()


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
    # What survives a reset is kept for the next notebooks too (the loaded period and what
    # YearData.once keeps): out of the collector's sight like the imports, or every reset, and
    # IPython's own collection in it, would go over it again (a full collection per reset grew
    # to 5 ms with a 300-unit period kept).
    gc.freeze()


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

    def prepare(self, cwd: str):
        """A started kernel manager, its kernel ready for a new notebook working in ``cwd``."""
        if self.km is not None:
            try:
                self._run(f"__import__('mtqg_analysis.render.kernel', fromlist=['_'])._kernel_reset({cwd!r})",
                          KERNEL_RESET_SECONDS)
                return self.km
            except Exception as exc:  # noqa: BLE001  (a kernel that died between notebooks)
                log.debug("kernel reset failed, starting another: %s", exc)
                self.discard()
        try:
            self._start(cwd)
            self._run("__import__('mtqg_analysis.render.kernel', fromlist=['_'])._kernel_warm_up()\n"
                      f"__import__('mtqg_analysis.render.kernel', fromlist=['_'])._kernel_reset({cwd!r})",
                      KERNEL_START_SECONDS)
        except BaseException:
            self.discard()
            raise
        return self.km

    def _start(self, cwd: str) -> None:
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_core.utils import run_sync

        self.km = kernel_manager_class()(kernel_name="python3")
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
        """Close the client nbclient used on the kernel (it leaves it open: it does not own it). Only
        when the kernel is let go: the next notebook in the same kernel uses the same client."""
        if self.km is None:
            return
        while self.km.handed_out:
            kc = self.km.handed_out.pop()
            try:
                kc.stop_channels()
            except Exception as exc:  # noqa: BLE001
                log.debug("closing a kernel client: %s", exc)

    def _let_go(self):
        """Close every client of the kernel and forget it; returns its manager (None if none)."""
        if self.km is None:
            return None
        self.release_clients()
        km, kc, self.km, self._kc = self.km, self._kc, None, None
        if kc is not None:
            kc.stop_channels()
        return km

    def discard(self) -> None:
        """Shut the kernel down (if any); the next :meth:`prepare` starts a new one."""
        from jupyter_core.utils import run_sync

        km = self._let_go()
        if km is None:
            return
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

    def kill(self) -> None:
        """End the kernel process at once (Ctrl-C, a worker told to stop): no polite shutdown
        request, which would wait for a running cell; its connection file is removed."""
        km = self._let_go()
        if km is None:
            return
        process = getattr(getattr(km, "provisioner", None), "process", None)
        try:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=2)
        except Exception as exc:  # noqa: BLE001  (already gone)
            log.debug("killing the kernel: %s", exc)
        try:
            km.cleanup_connection_file()
        except Exception:  # noqa: BLE001
            pass

    def __exit__(self, exc_type, *exc):
        if exc_type is not None and issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            self.kill()  # interrupted: stop now, not after the running cell
        else:
            self.shutdown()


def skip_iri_grammar() -> None:
    """In a process of our own (the ``mtqg`` command, a worker of its pool or of Dask), before
    nbformat is imported: hide ``rfc3987_syntax`` from it. jsonschema, which nbformat imports,
    imports that package when it is installed (jupyter-events brings it) to check "iri" strings,
    and compiling its grammar costs 1.2 s of every process that imports nbformat; no notebook
    schema asks for such a check. Left alone where jsonschema is already imported."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: importing it fails


# This worker process's kernel (set by :func:`start_worker` in processes of the pool).
_worker_kernel: WarmKernel | None = None


def _stop_worker(signum, _frame) -> None:
    """SIGTERM in a worker (the main process was interrupted): kill its kernel and exit now."""
    if _worker_kernel is not None:
        _worker_kernel.kill()
    os._exit(128 + signum)


def start_worker() -> None:
    """ProcessPoolExecutor initializer: the process keeps one kernel for all its renders and shuts
    it down when it exits. Ctrl-C is the main process's to handle (it stops the workers with
    SIGTERM), so a worker ignores SIGINT instead of failing its render and taking the next one."""
    import signal

    global _worker_kernel
    skip_iri_grammar()
    _worker_kernel = WarmKernel()
    atexit.register(_worker_kernel.shutdown)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)


def adopt_worker_kernel(kernel: WarmKernel | None) -> None:
    """Make ``kernel`` the one this process renders in (a Dask worker's plugin); None forgets it."""
    global _worker_kernel
    _worker_kernel = kernel


def worker_kernel() -> WarmKernel | None:
    """The kernel of this worker process, if it is a worker of the pool."""
    return _worker_kernel
