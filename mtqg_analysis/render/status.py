"""The state of every period of a data folder, for ``mtqg periods``: raw files, processed table,
rendered reports."""
from __future__ import annotations

from pathlib import Path

from ..store import period_states
from .jobs import FAILED, FINGERPRINT, REPORT


def period_status(data_dir: Path, reports_dir: Path) -> list[dict]:
    """One row per raw period folder: files, processed table state, rendered reports."""
    rows = []
    for state in period_states(data_dir):
        out = reports_dir / state["period"]
        rendered = sorted(f.name[: -len(FINGERPRINT)] for f in out.glob(f"*{FINGERPRINT}")) if out.is_dir() else []
        rows.append({
            **state,
            "report": "yes" if REPORT in rendered and (out / "report.html").exists() else "no",
            "scorecards": len([s for s in rendered if s != REPORT]),
            "failed": len(list(out.glob(f"*{FAILED}"))) if out.is_dir() else 0,
        })
    return rows
