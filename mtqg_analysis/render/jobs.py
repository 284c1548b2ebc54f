"""What ``mtqg report`` renders, and whether each render is already current.

A :class:`Job` is one notebook run for one period (and unit), or for one phase (its summary,
``reports/<phase>/report.html``). Its fingerprint records what the
render is made from: the SHA-256 of the raw files of the period's year so far and units.csv (as
the processed tables' manifests record them, :mod:`mtqg_analysis.store.manifest`; a scorecard one
SHA-256 of that list, :func:`inputs_digest`), the package, the notebook and the parameters. A job whose fingerprint is the one stored beside its HTML is
skipped, so a nightly run with nothing new costs a fraction of a second.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import place_name
from ..domain.labels import fill
from ..domain.periods import label, parse_period, phase_label
from ..domain.units import is_unit_code
from ..errors import InputError, InputErrors
from ..report.headline import with_place
from ..store import load_phase, load_year, periods as raw_periods, units_for
from ..store.atomic import file_sha256
from ..store.manifest import package_hash
from .params import validate_unit_codes

REPORT = "report"
FINGERPRINT = ".fingerprint.json"
FAILED = ".failed.ipynb"
NOTEBOOKS = {"report": "period_report", "scorecard": "unit_scorecard", "phase": "phase_report"}


def notebooks_dir() -> Path:
    """``$MTQG_NOTEBOOKS_DIR``, else the project's ``notebooks/`` folder."""
    env = os.environ.get("MTQG_NOTEBOOKS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "notebooks"


def title(period: str, lang: str, unit_name: str | None = None, place: str = "") -> str:
    """The page title of a period's report ("Báo cáo 6 tháng đầu năm 2024 – Huyện Bạch Thông"), or
    of a unit's scorecard when ``unit_name`` is given."""
    when = label(parse_period(period), lang)
    if unit_name is None:
        return with_place(fill("title.report", lang, label=when), place)
    return fill("title.scorecard", lang, unit=unit_name, label=when)


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
    kind: str = "report"  # "report" (a period's), "scorecard" or "phase": a key of NOTEBOOKS
    programme: str = ""  # the programme's name, for the index page
    neighbours: dict = field(default_factory=dict)  # "previous"/"next" period with raw data, for the page's links

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


INPUTS_DIGEST = "sha256_of_all"  # the key of a scorecard's one digest of its inputs


def inputs_digest(hashes: dict[str, str]) -> str:
    """One SHA-256 of ``{raw file: sha256}``: it changes when any file, its name or its hash does."""
    text = json.dumps(sorted(hashes.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
         notebooks: Path | None = None, phases: list[str] = ()) -> Plan:
    """Validate everything and list the renders. Builds each period's processed tables first (in
    this process, so that parallel notebooks only read them); a period whose raw data has errors
    becomes an error line and the other periods go on. ``phases`` adds a phase summary each."""
    notebooks = notebooks or notebooks_dir()
    data_dir = data_dir.resolve()
    units = units_for(data_dir)
    known = set(units.history["code"])  # every unit of units.csv, whatever its dates
    wanted = None
    if unit_args:
        wanted = "all" if unit_args == ["all"] else validate_unit_codes(unit_args, known)
    package = package_hash()
    notebook_hash = {kind: file_sha256(notebooks / f"{name}.ipynb") for kind, name in NOTEBOOKS.items()}
    jobs, errors = [], []
    with_raw = [str(p) for p in raw_periods(data_dir)]
    for period in periods:
        try:
            year = load_year(period, data_dir)
        except (InputError, InputErrors) as problem:
            errors.append(f"{period}: {problem}")
            continue
        out_dir = reports_dir / period
        # load_year above rebuilt whatever of the year was stale: the notebooks of this run only read
        # (each scorecard would otherwise check every raw file of the year again)
        common = {"period": period, "data_dir": str(data_dir), "lang": lang, "rebuild": "never"}
        neighbours = neighbours_of(period, with_raw)
        base = {"inputs": year.input_hashes(), "package": package, "neighbours": neighbours}
        # a scorecard records one digest of the same files: with a workbook a commune, the list of
        # every file of the year in each of thousands of scorecards' records would grow as units²
        card_base = dict(base, inputs={INPUTS_DIGEST: inputs_digest(base["inputs"])})
        place = place_name(year.funding, year.units)
        programme = year.catalog.programme_name(lang)
        present = sorted(set(year.funding["unit_code"]))
        # The report links the scorecards beside it: those already there and those rendered now.
        cards = sorted({c for c in present if (out_dir / f"{c}.html").exists()}
                       | (set(present) if wanted == "all" else set(wanted or []) & set(present)))
        report_params = dict(common, scorecards=" ".join(cards))
        jobs.append(Job(period, REPORT, str(notebooks / f"{NOTEBOOKS['report']}.ipynb"), str(out_dir), report_params,
                        title(period, lang, place=place), lang,
                        dict(base, notebook=notebook_hash["report"], parameters=report_params),
                        programme=programme, neighbours=neighbours))
        if wanted is None:
            continue
        for code in present if wanted == "all" else wanted:
            if not is_unit_code(code):  # units.csv is checked on load; belt and braces
                errors.append(f"{period}: unit code {code!r} is not a plain code; it is not rendered")
                continue
            if code not in present:
                errors.append(f"{period}: unit {code} ({year.units.name(code)}) reported nothing in this period")
                continue
            params = dict(common, unit_code=code)
            jobs.append(Job(period, code, str(notebooks / f"{NOTEBOOKS['scorecard']}.ipynb"), str(out_dir), params,
                            title(period, lang, year.units.name(code)), lang,
                            dict(card_base, notebook=notebook_hash["scorecard"], parameters=params), kind="scorecard",
                            programme=programme, neighbours=neighbours))
    for phase in phases:
        try:
            data = load_phase(phase, data_dir)
        except (InputError, InputErrors) as problem:
            errors.append(f"{phase}: {problem}")
            continue
        params = {"phase": phase, "data_dir": str(data_dir), "lang": lang}
        place = place_name(data.periods[str(data.latest)], data.units)
        jobs.append(Job(phase, REPORT, str(notebooks / f"{NOTEBOOKS['phase']}.ipynb"), str(reports_dir / phase), params,
                        with_place(fill("title.phase", lang, label=phase_label(phase, lang)), place), lang,
                        {"inputs": data.input_hashes(), "package": package, "notebook": notebook_hash["phase"],
                         "parameters": params}, kind="phase", programme=data.catalog.programme_name(lang)))
    return Plan(jobs, errors)


def neighbours_of(period: str, periods: list[str]) -> dict:
    """The periods before and after ``period`` among ``periods`` (canonical texts), for links."""
    ordered = sorted(set(periods) | {period}, key=parse_period)
    at = ordered.index(period)
    return {"previous": ordered[at - 1] if at > 0 else "", "next": ordered[at + 1] if at + 1 < len(ordered) else ""}
