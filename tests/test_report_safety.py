"""Hostile text in the data renders as text, never runs; parameters cannot reach a kernel or a path
(docs/robustness.md, "Report safety").

The sample data is copied to a tmp folder and made hostile: Vi Hương (01975) gets a unit name and
an alias carrying HTML and JavaScript in ``units.csv`` (its sheet "Xã Vi Hương" still matches
through an alias), and notes (the free-text "Ghi chú" column) of its sheet in the 2024-06 workbook
get the same kind of text. The district report and the unit's scorecard are rendered once with the
real ``mtqg report``; then

- the HTML source holds that text only escaped;
- headless Chromium opens the files from disk, offline: ``window.__pwned`` stays undefined, no
  link has a ``javascript:`` target, no element has an ``on*`` attribute, and the text is visible
  as text on the page;
- periods and unit codes with quotes, newlines, code, ``../`` or absolute paths are refused before
  any notebook runs (papermill cannot even be imported in that child), with exit status 2, a clear
  message, no traceback and nothing written (tests/test_runner.py covers the validators and one
  quote through the command; these are the rest through the command);
- a unit code can never make the runner write outside the reports folder, not even a code that
  comes from ``units.csv`` with ``--units all``.
"""
from __future__ import annotations

import html
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser_helpers import evaluate, open_offline
from conftest import tree_bytes as tree
from sample_render import NAME, PAYLOADS, UNIT, copy_sample, set_unit

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def hostile(sample) -> dict:
    return sample


# --- (a) the HTML source ----------------------------------------------------------------------------
class Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's tokenizer sees them."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


@pytest.mark.parametrize("which", ["report", "card", "index"])
def test_the_source_holds_the_hostile_text_only_escaped(hostile, which):
    source = hostile[which].read_text(encoding="utf-8")
    for payload in PAYLOADS:
        assert payload not in source, payload
    tags = Tags(source).tags
    assert not [t for t, _ in tags if t in ("script", "svg", "iframe", "object", "embed")]
    assert not [(t, a) for t, attrs in tags for a, _ in attrs if a.startswith("on")]
    assert not [v for _, attrs in tags for a, v in attrs
                if a in ("href", "src") and (v or "").strip().lower().startswith("javascript:")]
    assert not [v for t, attrs in tags for a, v in attrs if t == "img" and a == "src" and not v.startswith("data:")]
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in source  # the unit's name, at least


@pytest.mark.parametrize("which", ["report", "card"])
def test_every_note_is_in_the_source_escaped(hostile, which):
    source = hostile[which].read_text(encoding="utf-8")
    for payload in PAYLOADS:
        escaped = {html.escape(payload, quote=True), html.escape(payload, quote=False)}
        assert any(e in source for e in escaped), (which, payload)


# --- (b) in a browser --------------------------------------------------------------------------------
PROBE = """({
    pwned: typeof window.__pwned,
    javascriptLinks: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))
        .filter(h => h.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase().startsWith('javascript:')),
    handlers: Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)
        .filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + ' ' + a.name)),
    scripts: document.scripts.length,
    svgs: document.querySelectorAll('svg').length,
    text: document.body.innerText,
})"""


@pytest.fixture(scope="session")
def pages(hostile) -> dict:
    found = {}
    for which in ("report", "card", "index"):
        with open_offline(hostile[which]) as (browser, session):
            found[which] = evaluate(browser, session, PROBE)
    return found


@pytest.mark.parametrize("which", ["report", "card", "index"])
def test_nothing_from_the_data_runs_in_the_browser(pages, which):
    probe = pages[which]
    assert probe["pwned"] == "undefined"
    assert probe["javascriptLinks"] == []
    assert probe["handlers"] == []
    assert probe["scripts"] == 0 and probe["svgs"] == 0


@pytest.mark.parametrize("which", ["report", "card"])
def test_the_hostile_text_is_shown_as_text(pages, which):
    text = pages[which]["text"]
    assert NAME in text
    for payload in PAYLOADS:
        assert payload in text, (which, payload)


def test_the_index_shows_the_unit_name_as_text(pages):
    assert NAME in pages["index"]["text"]


# --- (c) parameters ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def clean_data(tmp_path_factory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("params") / "data")


@pytest.mark.parametrize("args", [
    ["--period", "2024-06\nprint('x')"],
    ["--period", "__import__('os').system('id')"],
    ["--period", "2024-06\"); import os; ("],
    ["--period", "../2024-06"],
    ["--period", "../../etc/2024-06"],
    ["--period", "/tmp/2024-06"],
    ["--period", "/etc/passwd"],
    ["--period", "2024-06/../../x"],
    ["--period", "2024-06", "--units", "01975'"],
    ["--period", "2024-06", "--units", '01975"'],
    ["--period", "2024-06", "--units", "01975\nimport os"],
    ["--period", "2024-06", "--units", "__import__('os')"],
    ["--period", "2024-06", "--units", "../01975"],
    ["--period", "2024-06", "--units", "../../../etc/x"],
    ["--period", "2024-06", "--units", "/tmp/01975"],
    ["--period", "2024-06", "--units", "/etc/passwd"],
    ["--period", "2024-06", "--units", "01975/../../x"],
    ["--period", "2024-06", "--units", "01975", "063;id"],
], ids=lambda a: repr(a[-1]))
def test_hostile_parameters_are_refused_before_papermill(clean_data, tmp_path, args, mtqg, monkeypatch):
    before = tree(clean_data)
    reports = tmp_path / "reports"
    monkeypatch.setitem(sys.modules, "papermill", None)  # importing papermill now fails loudly
    result = mtqg("report", *args, "--data-dir", clean_data, "--reports-dir", reports)
    assert result.code == 2, (result.code, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("mtqg report: "), result.stderr
    value = args[-1].strip()
    assert ("not allowed" in result.stderr or "not a reporting period" in result.stderr
            or "is not a code" in result.stderr or "not in units.csv" in result.stderr), result.stderr
    assert repr(value) in result.stderr or f"'{value}'" in result.stderr, result.stderr  # names the value
    assert result.stdout == ""
    assert not reports.exists()
    assert tree(clean_data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_data_and_reports_dirs_are_used_as_given(hostile):
    """Odd but legitimate folder names (spaces, quotes, "$(id)", non-ASCII): the session's render
    used them as paths, not code, and wrote nothing beside them."""
    assert hostile["report"].exists() and hostile["card"].exists()
    assert sorted(p.name for p in hostile["base"].iterdir()) == sorted([hostile["data"].name, hostile["reports"].name])


def test_a_unit_code_from_units_csv_cannot_write_outside_the_reports_dir(tmp_path, mtqg):
    """``--units all`` takes the codes from the data: a code such as ``/../../x`` in units.csv must
    not become a path. It is refused, or at least everything stays inside the reports folder."""
    data = copy_sample(tmp_path / "data")
    escape = tmp_path / "escaped"
    code = "/.." * (len(tmp_path.parts) + 4) + str(escape)  # absolute, and enough ../ to reach /
    set_unit(data, UNIT, code=code)
    reports = tmp_path / "reports"
    result = mtqg("report", "--period", "2024-06", "--units", "all", "--jobs", "2", "--data-dir", data,
                  "--reports-dir", reports)  # in this process: a bug raises here instead of a traceback
    assert "Traceback" not in result.stderr, result.stderr
    outside = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("data", "reports"))
    assert outside == [], f"the runner wrote outside the reports folder: {outside}\n{result.stderr}"
    assert not any(tmp_path.glob("escaped*"))
