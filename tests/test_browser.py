"""Open the rendered report in headless Chromium, offline, as a reader would (file://).

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON messages
separated by NUL bytes on file descriptors 3 and 4), with the Python standard library only. The
network is cut twice: an unreachable proxy with no bypass and the protocol's offline emulation.
Missing Chromium is a failure, never a skip: CI installs it (``.ci/run``).
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from test_notebooks import render_all

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
HEADLINE = ["31.804,4", "11.685,233", "36,74%", "2.041", "616", "30,43%", "30,18%", "807,463", "1.066,4"]

pytestmark = pytest.mark.slow


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
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
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


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The 2024-06 report loaded in Chromium: its text, its images and what the console said."""
    rendered = render_all(tmp_path_factory.getbasetemp() / "rendered")
    report = rendered["reports"] / "2024-06" / "report.html"
    with tempfile.TemporaryDirectory(prefix="mtqg-chromium-") as profile:
        browser = DevTools(chromium(), profile)
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(f"{domain}.enable", session=session)
            browser.send("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": 0,
                                                               "uploadThroughput": 0}, session=session)
            browser.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1,
                                                                 "mobile": False}, session=session)
            browser.send("Page.navigate", {"url": report.as_uri()}, session=session)
            browser.wait_for("Page.loadEventFired")
            result = browser.send("Runtime.evaluate", {"returnByValue": True, "expression": """({
                text: document.body.innerText,
                images: Array.from(document.images).map(i => ({complete: i.complete, width: i.naturalWidth})),
                scripts: document.scripts.length,
                title: document.title})"""}, session=session)["result"]["value"]
            shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                                session=session)
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / "report-2024-06.png").write_bytes(base64.b64decode(shot["data"]))
            errors = [e for e in browser.events
                      if (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
                      or e.get("method") == "Runtime.exceptionThrown"
                      or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
                      or e.get("method") == "Network.loadingFailed"]
            requests = [e["params"]["request"]["url"] for e in browser.events
                        if e.get("method") == "Network.requestWillBeSent"]
        finally:
            browser.close()
    return {"result": result, "errors": errors, "requests": requests}


def test_headline_numbers_are_in_the_rendered_text(page):
    text = page["result"]["text"]
    for figure in HEADLINE:
        assert figure in text, figure
    assert "6 tháng đầu năm 2024" in text


def test_every_image_loaded(page):
    images = page["result"]["images"]
    assert len(images) >= 3
    assert all(image["complete"] and image["width"] > 0 for image in images), images


def test_no_console_errors_and_no_request_outside_the_file(page):
    assert page["errors"] == []
    assert all(url.startswith(("file://", "data:")) for url in page["requests"]), page["requests"]
    assert page["result"]["scripts"] == 0


def test_a_screenshot_is_saved():
    assert (ARTIFACTS / "report-2024-06.png").stat().st_size > 10_000
