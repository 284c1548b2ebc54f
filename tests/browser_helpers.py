"""Headless Chromium driven over the DevTools protocol on a pipe, with the standard library only.

``--remote-debugging-pipe``: JSON messages separated by NUL bytes on file descriptors 3 and 4. The
network is cut twice: an unreachable proxy with no bypass, and (by :func:`open_offline`) the
protocol's offline emulation. Missing Chromium is a failure, never a skip: CI installs it.
One Chromium serves a test process (started at the first page, closed at the end of the session);
each page opens in a browser context of its own (its own cache, storage and cookies, as a fresh
profile has), which is closed with the page.
Used by tests/test_browser.py, tests/test_report_safety.py and tests/test_documents.py.
"""
from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("Chromium is not installed: apt-get install chromium fonts-dejavu-core (CI does this in .ci/run)")


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, executable: str, profile: str):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_pipes():  # in the child: fd 3 reads commands, fd 4 writes replies
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
             f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
             "--remote-debugging-pipe", "--allow-file-access-from-files", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.session: str | None = None  # the open page's: events of other (closed) pages are dropped

    def _keep(self, event: dict) -> None:
        if event.get("sessionId") in (None, self.session):
            self.events.append(event)

    def _read_message(self, deadline: float) -> dict:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the debugging pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._keep(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read_message(deadline)
            self._keep(event)
            if event.get("method") == method:
                return event

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001  (closing anyway)
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


_shared: tuple[DevTools, tempfile.TemporaryDirectory] | None = None


def shared_browser() -> DevTools:
    """This process's headless Chromium (started at the first call; :func:`close_shared` ends it)."""
    global _shared
    if _shared is None or _shared[0].process.poll() is not None:
        profile = tempfile.TemporaryDirectory(prefix="mtqg-chromium-")
        _shared = (DevTools(chromium(), profile.name), profile)
    return _shared[0]


@atexit.register
def close_shared() -> None:
    """Close this process's Chromium, if one was started, and remove its profile."""
    global _shared
    if _shared is not None:
        browser, profile = _shared
        _shared = None
        browser.close()
        profile.cleanup()


@contextlib.contextmanager
def open_offline(path: Path, width: int = 1280, height: int = 900) -> Iterator[tuple[DevTools, str]]:
    """Open ``path`` (a file on disk) in a new browser context of headless Chromium with the network
    cut; yields the browser (its ``events`` those of this page only) and the session id of the page
    once its load event fired."""
    browser = shared_browser()
    context = browser.send("Target.createBrowserContext")["browserContextId"]
    browser.events = []
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank", "browserContextId": context})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.session = session
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": 0,
                                                           "uploadThroughput": 0}, session=session)
        browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                             "deviceScaleFactor": 1, "mobile": False},
                     session=session)
        browser.send("Page.navigate", {"url": Path(path).as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")
        yield browser, session
    finally:
        browser.session = None
        browser.events = []
        browser.send("Target.disposeBrowserContext", {"browserContextId": context})


def evaluate(browser: DevTools, session: str, expression: str):
    """The value of a JavaScript expression in the page (returned by value)."""
    reply = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
    if "exceptionDetails" in reply:
        raise RuntimeError(f"{expression[:60]}: {reply['exceptionDetails']}")
    return reply["result"].get("value")


def first_page_png(pdf: bytes, target: Path) -> None:
    """The first page of a PDF as a PNG at ``target`` (poppler's pdftoppm), for the artifacts."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.fail("pdftoppm is not installed: apt-get install poppler-utils (CI does this in .ci/run)")
    done = subprocess.run([tool, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-",
                           str(Path(target).with_suffix(""))], input=pdf, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
