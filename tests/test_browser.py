"""Open the rendered report in headless Chromium, offline, as a reader would (file://).

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON messages
separated by NUL bytes on file descriptors 3 and 4), with the Python standard library only. The
network is cut twice: an unreachable proxy with no bypass and the protocol's offline emulation.
Missing Chromium is a failure, never a skip: CI installs it (``.ci/run``).
"""
from __future__ import annotations

import base64
import pytest

from browser_helpers import evaluate, open_offline
HEADLINE = ["31.804,4", "11.685,233", "36,74%", "2.041", "616", "30,43%", "30,18%", "807,463", "1.066,4"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def page(sample, artifacts):
    """The 2024-06 report loaded in Chromium: its text, its images and what the console said."""
    with open_offline(sample["report"]) as (browser, session):
        result = evaluate(browser, session, """({
            text: document.body.innerText,
            images: Array.from(document.images).map(i => ({complete: i.complete, width: i.naturalWidth})),
            scripts: document.scripts.length,
            title: document.title})""")
        shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                            session=session)
        (artifacts / "report-2024-06.png").write_bytes(base64.b64decode(shot["data"]))
        errors = [e for e in browser.events
                  if (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
                  or e.get("method") == "Runtime.exceptionThrown"
                  or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
                  or e.get("method") == "Network.loadingFailed"]
        requests = [e["params"]["request"]["url"] for e in browser.events
                    if e.get("method") == "Network.requestWillBeSent"]
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


def test_a_screenshot_is_saved(page, artifacts):
    assert (artifacts / "report-2024-06.png").stat().st_size > 10_000
