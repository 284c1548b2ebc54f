"""``reports/index.html``: every rendered period, its report, summary and scorecards
(``data/templates/index.html.j2``)."""
from __future__ import annotations

import json
from pathlib import Path

from ..domain.labels import label
from ..domain.periods import is_period, label as period_label
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
    """Write ``reports/index.html`` (atomically) and return its path."""
    folders = sorted((p for p in reports_dir.iterdir() if p.is_dir() and is_period(p.name)), reverse=True) \
        if reports_dir.is_dir() else []
    periods = []
    for folder in folders:
        records = rendered(folder)
        if not records:
            continue
        items = [{"href": f"{folder.name}/{r['stem']}.html", "title": r.get("title", r["stem"])} for r in records]
        if (folder / SUMMARY).exists():
            items.insert(1, {"href": f"{folder.name}/{SUMMARY}", "title": label("index.summary", lang)})
        periods.append({"period": folder.name, "label": period_label(folder.name, lang), "links": items})
    target = reports_dir / "index.html"
    html = page("", label("index.title", lang), lang, template="index.html.j2",
                heading=label("index.heading", lang), periods=periods, empty=label("index.empty", lang))
    atomic.write_text(target, html)
    return target
