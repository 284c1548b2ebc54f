"""``reports/index.html``: every rendered phase summary and period, its report, summary and
scorecards (``data/templates/index.html.j2``), under the programme's name."""
from __future__ import annotations

import json
from pathlib import Path

from ..domain.catalog import packaged_catalog
from ..domain.labels import fill, label
from ..domain.periods import is_period, is_phase, label as period_label, parse_period, parse_phase, phase_label
from ..report.page import page
from ..store import atomic
from .execute import SUMMARY
from .jobs import FINGERPRINT, REPORT


def rendered(folder: Path) -> list[dict]:
    """The fingerprint records of the renders whose HTML is in ``folder``, report first."""
    records = []
    for fp in sorted(folder.glob(f"*{FINGERPRINT}")):
        try:
            record = json.loads(fp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (folder / f"{record.get('stem', '')}.html").exists():
            records.append(record)
    return sorted(records, key=lambda r: (r["stem"] != REPORT, r.get("title", "")))


def write_index(reports_dir: Path, lang: str = "vi") -> Path:
    """Write ``reports/index.html`` (atomically) and return its path: phase summaries first (latest
    phase first), then periods, newest first."""
    folders = [p for p in reports_dir.iterdir() if p.is_dir()] if reports_dir.is_dir() else []
    phases = sorted((p for p in folders if is_phase(p.name)), key=lambda p: parse_phase(p.name), reverse=True)
    periods_ = sorted((p for p in folders if is_period(p.name)), key=lambda p: parse_period(p.name), reverse=True)
    periods, programme = [], ""
    for folder in phases + periods_:
        records = rendered(folder)
        if not records:
            continue
        programme = programme or next((r["programme"] for r in records if r.get("programme")), "")
        items = [{"href": f"{folder.name}/{r['stem']}.html", "title": r.get("title", r["stem"])} for r in records]
        if (folder / SUMMARY).exists():
            items.insert(1, {"href": f"{folder.name}/{SUMMARY}", "title": label("index.summary", lang)})
        name = phase_label(folder.name, lang) if is_phase(folder.name) else period_label(folder.name, lang)
        periods.append({"period": folder.name, "label": name, "links": items})
    target = reports_dir / "index.html"
    heading = fill("index.heading", lang, programme=programme or packaged_catalog().programme_name(lang))
    html = page("", label("index.title", lang), lang, template="index.html.j2",
                heading=heading, periods=periods, empty=label("index.empty", lang))
    atomic.write_text(target, html)
    return target
