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

import csv
import html
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser_helpers import evaluate, open_offline

REPO = Path(__file__).resolve().parents[1]
UNIT = "01975"
SHEET = "Xã Vi Hương"
PAYLOADS = ["<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=2">',
            '<a href="javascript:window.__pwned=3">xem</a>', '"><svg onload=window.__pwned=4>']
NAME = f"Xã Vi Hương {PAYLOADS[0]}"
ALIAS = PAYLOADS[3]

pytestmark = pytest.mark.slow


def mtqg(*args: str, env: dict | None = None, prelude: str = "") -> subprocess.CompletedProcess:
    """``mtqg ARGS`` in a child process; ``prelude`` runs in that child before the command."""
    code = f"import sys\n{prelude}\nfrom mtqg_analysis.cli import main\nsys.exit(main(sys.argv[1:]))"
    environment = {**os.environ, **(env or {})}
    environment.pop("MTQG_DATA_DIR", None)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO,
                          env=environment, timeout=600)


def copy_data(target: Path) -> Path:
    shutil.copytree(REPO / "data" / "raw", target / "raw")
    return target


def set_unit(data: Path, which: str, **values: str) -> None:
    """Change columns of one unit of ``data/raw/units.csv`` (written back with proper CSV quoting)."""
    path = data / "raw" / "units.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    row = next(r for r in rows if r["code"] == which)
    row.update(values)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def hostile_notes(data: Path) -> int:
    """Write the payloads into the notes column of Vi Hương's 2024-06 sheet, one per data row."""
    from openpyxl import load_workbook

    path = next((data / "raw" / "2024-06").glob("*.xlsx"))
    book = load_workbook(path)
    sheet = book[SHEET]
    header = next(row for row in sheet.iter_rows() if row[0].value == "STT")
    notes = next(c.column for c in header if c.value == "Ghi chú")
    rows = [row for row in sheet.iter_rows(min_row=header[0].row + 2) if isinstance(row[4].value, (int, float))]
    for payload, row in zip(PAYLOADS, rows[-len(PAYLOADS):]):
        sheet.cell(row=row[0].row, column=notes, value=payload)
    book.save(path)
    return len(PAYLOADS)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("hostile")
    data = copy_data(base / "data")
    set_unit(data, UNIT, name=NAME, aliases=f"Vi Hương|{SHEET}|{ALIAS}")
    hostile_notes(data)
    reports = base / "reports"
    result = mtqg("report", "--period", "2024-06", "--units", UNIT, "--jobs", "2", "--data-dir", str(data),
                  "--reports-dir", str(reports))
    assert result.returncode == 0, result.stderr
    folder = reports / "2024-06"
    return {"report": folder / "report.html", "card": folder / f"{UNIT}.html", "index": reports / "index.html"}


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


@pytest.fixture(scope="module")
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
NO_PAPERMILL = "sys.modules['papermill'] = None  # importing papermill now fails loudly"


@pytest.fixture(scope="module")
def clean_data(tmp_path_factory) -> Path:
    return copy_data(tmp_path_factory.mktemp("params") / "data")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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
def test_hostile_parameters_are_refused_before_papermill(clean_data, tmp_path, args):
    before = tree(clean_data)
    reports = tmp_path / "reports"
    result = mtqg("report", *args, "--data-dir", str(clean_data), "--reports-dir", str(reports),
                  prelude=NO_PAPERMILL)
    assert result.returncode == 2, (result.returncode, result.stderr)
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


def test_data_and_reports_dirs_are_used_as_given(clean_data, tmp_path):
    """Odd but legitimate folder names (spaces, quotes, non-ASCII) are paths, not code."""
    data = tmp_path / "dữ liệu 'x' $(id)"
    shutil.copytree(clean_data, data)
    reports = tmp_path / "báo cáo \"y\" ; z"
    result = mtqg("report", "--period", "2024-H1", "--units", UNIT, "--jobs", "2", "--data-dir", str(data),
                  "--reports-dir", str(reports))
    assert result.returncode == 0, result.stderr
    assert (reports / "2024-06" / "report.html").exists() and (reports / "2024-06" / f"{UNIT}.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([data.name, reports.name])


def test_a_unit_code_from_units_csv_cannot_write_outside_the_reports_dir(tmp_path):
    """``--units all`` takes the codes from the data: a code such as ``/../../x`` in units.csv must
    not become a path. It is refused, or at least everything stays inside the reports folder."""
    data = copy_data(tmp_path / "data")
    escape = tmp_path / "escaped"
    code = "/.." * (len(tmp_path.parts) + 4) + str(escape)  # absolute, and enough ../ to reach /
    set_unit(data, UNIT, code=code)
    reports = tmp_path / "reports"
    result = mtqg("report", "--period", "2024-06", "--units", "all", "--jobs", "2", "--data-dir", str(data),
                  "--reports-dir", str(reports))
    assert "Traceback" not in result.stderr, result.stderr
    outside = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("data", "reports"))
    assert outside == [], f"the runner wrote outside the reports folder: {outside}\n{result.stderr}"
    assert not any(tmp_path.glob("escaped*"))
