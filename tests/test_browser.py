"""Open the rendered report in headless Chromium, offline, as a reader would (file://), on a
desktop screen, on a phone (390 px wide) and printed to PDF on A4.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON messages
separated by NUL bytes on file descriptors 3 and 4), with the Python standard library only. The
network is cut twice: an unreachable proxy with no bypass and the protocol's offline emulation.
Missing Chromium (or poppler's pdftoppm, which draws the first PDF page for the artifacts) is a
failure, never a skip: CI installs both (``.ci/run``). Screenshots and PDFs go to ``artifacts``.
"""
from __future__ import annotations

import base64
import io

import pytest

from browser_helpers import evaluate, first_page_png, open_offline

HEADLINE = ["31.804,4", "11.685,233", "36,74%", "2.041", "616", "30,43%", "30,18%", "807,463", "1.066,4"]
A4_POINTS = (595.3, 841.9)
PAGES = {"report": 6, "card": 1}  # at most, on A4 (issue: the district report on 6 pages, a scorecard on one)

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
    assert len(images) >= 2  # ranking and heat map (2024-06 opens its year: no trajectory chart)
    assert all(image["complete"] and image["width"] > 0 for image in images), images


def test_no_console_errors_and_no_request_outside_the_file(page):
    assert page["errors"] == []
    assert all(url.startswith(("file://", "data:")) for url in page["requests"]), page["requests"]
    assert page["result"]["scripts"] == 0


def test_a_screenshot_is_saved(page, artifacts):
    assert (artifacts / "report-2024-06.png").stat().st_size > 10_000


# --- print: A4, page counts ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def printed(sample, artifacts):
    """The report and the scorecard printed to PDF by Chromium, as a reader's "Print" would (the
    page's own @page size), kept as artifacts with a PNG of their first page."""
    from pypdf import PdfReader

    out = {}
    for which in PAGES:
        with open_offline(sample[which]) as (browser, session):
            pdf = base64.b64decode(browser.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                                                session=session, timeout=120)["data"])
        name = f"{'report' if which == 'report' else 'scorecard'}-2024-06"
        (artifacts / f"{name}.pdf").write_bytes(pdf)
        first_page_png(pdf, artifacts / f"{name}-pdf-page1.png")
        reader = PdfReader(io.BytesIO(pdf))
        out[which] = {"pages": len(reader.pages), "text": [p.extract_text() for p in reader.pages],
                      "sizes": [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]}
    return out


@pytest.mark.parametrize("which", list(PAGES))
def test_printed_on_a4_within_its_page_count(printed, which):
    pdf = printed[which]
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in pdf["sizes"]), pdf["sizes"]
    assert 1 <= pdf["pages"] <= PAGES[which], pdf["pages"]


def test_print_keeps_the_figures_and_leaves_out_the_sidebar(printed, artifacts):
    text = "\n".join(printed["report"]["text"])
    for figure in HEADLINE:
        assert figure in text, figure
    assert "Mục lục" not in text and "Danh mục báo cáo" not in text  # sidebar and links are screen-only
    assert "Nguồn gốc số liệu" in printed["report"]["text"][-1]  # provenance at the end ...
    assert len(printed["report"]["text"][-1].strip()) > 600  # ... not alone on a last page
    assert (artifacts / "report-2024-06-pdf-page1.png").stat().st_size > 10_000
    assert (artifacts / "scorecard-2024-06-pdf-page1.png").stat().st_size > 10_000


# --- phone: 390 px ------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", list(PAGES))
def test_on_a_phone_the_page_does_not_scroll_sideways(sample, artifacts, which):
    with open_offline(sample[which], width=390, height=844) as (browser, session):
        browser.send("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2,
                                                             "mobile": True}, session=session)
        found = evaluate(browser, session, """(() => {
            const doc = document.documentElement;
            const wraps = Array.from(document.querySelectorAll('.table-wrap'));
            const charts = Array.from(document.querySelectorAll('figure.chart img'));
            const bars = Array.from(document.querySelectorAll('figure.chart.bars .bar-track'));
            const codeHeaders = Array.from(document.querySelectorAll('th')).filter(
                th => ['Mã', 'Mã đơn vị'].includes(th.innerText.trim()));
            const folded = Array.from(document.querySelectorAll('td.name-col .code'));
            return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
                    wraps: wraps.map(w => ({overflow: getComputedStyle(w).overflowX, right: w.getBoundingClientRect().right})),
                    charts: charts.map(i => ({width: i.getBoundingClientRect().width, natural: i.naturalWidth})),
                    bars: bars.map(t => ({width: t.getBoundingClientRect().width, right: t.getBoundingClientRect().right})),
                    codeColumns: codeHeaders.length,
                    foldedCodes: folded.filter(c => getComputedStyle(c).display !== 'none').length};
        })()""")
        shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                            session=session)
        name = "report" if which == "report" else "scorecard"
        (artifacts / f"{name}-2024-06-phone.png").write_bytes(base64.b64decode(shot["data"]))
    assert found["scrollWidth"] <= found["clientWidth"] == 390, found
    assert found["wraps"] and all(w["overflow"] == "auto" and w["right"] <= 390 for w in found["wraps"]), found["wraps"]
    assert found["codeColumns"] == 0 and found["foldedCodes"] > 0  # the code column folds into the name
    assert found["charts" if which == "report" else "bars"], found  # the report's PNGs, the scorecard's bars
    # charts shrink, but to no less than 70% of their size (their 8.5-10 pt text stays legible); a wide
    # one scrolls in its own box
    assert all(c["width"] / (c["natural"] / 150 * 96) >= 0.7 for c in found["charts"]), found["charts"]
    # the scorecard's ranking is HTML bars: they fit the screen, each track wide enough to compare
    assert all(b["right"] <= 390 and b["width"] >= 80 for b in found["bars"]), found["bars"]


# --- the notebook's own outputs, outside the report page ---------------------------------------------
def test_the_scorecards_outputs_draw_their_boxes_and_bars_without_the_reports_stylesheet(sample, tmp_path):
    """What JupyterLab (or any viewer of the executed notebook) shows: the HTML outputs alone, with
    none of the report page's CSS. The headline's key figures and the ranking's bars carry their
    own stylesheets."""
    import nbformat

    executed = nbformat.read(sample["card"].with_suffix(".ipynb"), as_version=4)
    outputs = "".join(o["data"]["text/html"] for c in executed.cells if c.cell_type == "code"
                      for o in c.get("outputs", []) if "text/html" in o.get("data", {}))
    bare = tmp_path / "outputs.html"
    bare.write_text(f'<!DOCTYPE html><html lang="vi"><meta charset="utf-8"><body>{outputs}</body></html>',
                    encoding="utf-8")
    with open_offline(bare) as (browser, session):
        found = evaluate(browser, session, """(() => {
            const kpis = document.querySelector('.kpis');
            const boxes = Array.from(document.querySelectorAll('.kpi')).map(k => k.getBoundingClientRect());
            const bars = Array.from(document.querySelectorAll('.bar')).map(b => b.getBoundingClientRect().width);
            return {display: getComputedStyle(kpis).display, tops: boxes.map(b => Math.round(b.top)),
                    border: getComputedStyle(document.querySelector('.kpi')).borderTopStyle, bars: bars};
        })()""")
    assert found["display"] == "grid" and found["border"] == "solid"
    assert len(found["tops"]) == 4 and len(set(found["tops"])) == 1  # four boxes side by side, not lines of text
    assert len(found["bars"]) == 14 and max(found["bars"]) > 100 and min(found["bars"]) > 0
