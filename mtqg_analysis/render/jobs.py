"""What ``mtqg report`` renders, and whether each render is already current.

A :class:`Job` is one notebook run for one period (and unit). Its fingerprint records what the
render is made from: the SHA-256 of the raw files of the period's year so far and units.csv (as
the processed tables' manifests record them, :mod:`mtqg_analysis.store.manifest`), the package,
the notebook and the parameters. A job whose fingerprint is the one stored beside its HTML is
skipped, so a nightly run with nothing new costs a fraction of a second.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.labels import fill
from ..domain.periods import label, parse_period
from ..domain.units import is_unit_code
from ..errors import InputError, InputErrors
from ..store import load_year, units_for
from ..store.atomic import file_sha256
from ..store.manifest import package_hash
from .params import validate_unit_codes

REPORT = "report"
FINGERPRINT = ".fingerprint.json"
FAILED = ".failed.ipynb"
NOTEBOOKS = {"report": "period_report", "scorecard": "unit_scorecard"}


def notebooks_dir() -> Path:
    """``$MTQG_NOTEBOOKS_DIR``, else the project's ``notebooks/`` folder."""
    env = os.environ.get("MTQG_NOTEBOOKS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "notebooks"


@dataclass
class Job:
    period: str
    stem: str  # "report" or a unit code
    notebook: str
    out_dir: str
    parameters: dict
    title: str
    lang: str
    fingerprint: dict = field(default_factory=dict)

    @property
    def html_path(self) -> Path:
        return Path(self.out_dir) / f"{self.stem}.html"

    @property
    def fingerprint_path(self) -> Path:
        return Path(self.out_dir) / f"{self.stem}{FINGERPRINT}"

    @property
    def name(self) -> str:
        return f"{self.period} {self.stem}"


@dataclass
class Outcome:
    job: Job
    status: str  # rendered, unchanged, failed
    seconds: float = 0.0
    message: str = ""


def is_current(job: Job) -> bool:
    """Whether the HTML exists and was rendered from exactly these inputs."""
    try:
        stored = json.loads(job.fingerprint_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return job.html_path.exists() and stored.get("inputs") == job.fingerprint


@dataclass
class Plan:
    jobs: list[Job]
    errors: list[str]


def plan(periods: list[str], unit_args: list[str] | None, data_dir: Path, reports_dir: Path, lang: str,
         notebooks: Path | None = None) -> Plan:
    """Validate everything and list the renders. Builds each period's processed tables first (in
    this process, so that parallel notebooks only read them); a period whose raw data has errors
    becomes an error line and the other periods go on."""
    notebooks = notebooks or notebooks_dir()
    data_dir = data_dir.resolve()
    units = units_for(data_dir)
    known = set(units.frame["code"])
    wanted = None
    if unit_args:
        wanted = "all" if unit_args == ["all"] else validate_unit_codes(unit_args, known)
    package = package_hash()
    notebook_hash = {kind: file_sha256(notebooks / f"{name}.ipynb") for kind, name in NOTEBOOKS.items()}
    jobs, errors = [], []
    for period in periods:
        try:
            year = load_year(period, data_dir)
        except (InputError, InputErrors) as problem:
            errors.append(f"{period}: {problem}")
            continue
        out_dir = reports_dir / period
        common = {"period": period, "data_dir": str(data_dir), "lang": lang}
        base = {"inputs": year.input_hashes(), "package": package}
        jobs.append(Job(period, REPORT, str(notebooks / f"{NOTEBOOKS['report']}.ipynb"), str(out_dir), dict(common),
                        fill("title.report", lang, label=label(parse_period(period), lang)), lang,
                        dict(base, notebook=notebook_hash["report"], parameters=common)))
        if wanted is None:
            continue
        present = sorted(set(year.funding["unit_code"]))
        for code in present if wanted == "all" else wanted:
            if not is_unit_code(code):  # units.csv is checked on load; belt and braces
                errors.append(f"{period}: unit code {code!r} is not a plain code; it is not rendered")
                continue
            if code not in present:
                errors.append(f"{period}: unit {code} ({year.units.name(code)}) reported nothing in this period")
                continue
            params = dict(common, unit_code=code)
            jobs.append(Job(period, code, str(notebooks / f"{NOTEBOOKS['scorecard']}.ipynb"), str(out_dir), params,
                            fill("title.scorecard", lang, unit=year.units.name(code), label=label(period, lang)), lang,
                            dict(base, notebook=notebook_hash["scorecard"], parameters=params)))
    return Plan(jobs, errors)
