"""The text blocks of a report: its headline, a scorecard's headline, provenance.

The headline gives the state of the period in ten seconds: the place and the period, the local
date, one sentence on the state, the key figures (plan, disbursed, rate, amount still to
disburse), the lines and communes that lag most, and the communes counted apart from the
district's own budget. Its figures are those of :func:`mtqg_analysis.analysis.overview`; every
word comes from ``data/labels.csv``; the block is ``data/templates/headline.html.j2``.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from ..analysis.overview import Overview, UnitOverview
from ..domain.catalog import Catalog
from ..domain.labels import fill, label
from ..domain.notation import amount, percent
from ..domain.periods import label as period_label
from ..domain.units import short_name
from .format import short_line_name

TIMEZONE = "Asia/Ho_Chi_Minh"  # the reports are read in Vietnam, whatever the server's clock says


def local_now() -> datetime:
    """Now, in Vietnam's time zone."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(TIMEZONE))


def place_words(place: dict | None, lang: str = "vi") -> dict[str, str]:
    """How the report names its place: ``name`` ("Huyện Bạch Thông"), ``whole`` ("toàn huyện")
    and ``own`` ("Ngân sách cấp huyện"), by the kind of its top unit."""
    kind = (place or {}).get("kind", "")
    return {"name": (place or {}).get("name", ""), "whole": label(f"place.whole.{kind}", lang),
            "own": label(f"place.own.{kind}", lang)}


def _date(when: datetime | None) -> str:
    return (when or local_now()).strftime("%d/%m/%Y")


def _state(financial_rate: float, time_share: float, lang: str, **values) -> str:
    """One sentence on the state: done, keeping up with the time elapsed, or behind it."""
    known = financial_rate is not None and not pd.isna(financial_rate)
    if known and financial_rate >= 1:
        return fill("headline.state_done", lang, **values)
    on_pace = known and financial_rate >= time_share
    return fill(f"headline.state_{'on_pace' if on_pace else 'behind'}", lang, **values)


def _kpis(totals: pd.Series, remaining: int, lang: str) -> list[dict]:
    unit = label("headline.kpi_unit", lang)
    return [
        {"label": label("headline.kpi_plan", lang), "value": amount(totals["plan_vnd"], lang), "unit": unit},
        {"label": label("headline.kpi_disbursed", lang), "value": amount(totals["disbursed_vnd"], lang), "unit": unit},
        {"label": label("headline.kpi_rate", lang), "value": percent(totals["financial_rate"], lang), "unit": "",
         "main": True},
        {"label": label("headline.kpi_remaining", lang), "value": amount(remaining, lang), "unit": unit},
    ]


def _items(names, rates, lang: str) -> str:
    return ", ".join(fill("headline.item", lang, name=n, rate=percent(r, lang)) for n, r in zip(names, rates))


def headline_html(ov: Overview, catalog: Catalog, lang: str = "vi", when: datetime | None = None) -> str:
    """The headline block of a period's report (HTML, the data's text escaped)."""
    from .page import templates

    words = place_words(ov.place, lang)
    period = period_label(ov.period, lang)
    values = {"label": period, "whole": words["whole"], "rate": percent(ov.whole["financial_rate"], lang),
              "time": percent(ov.time_share, lang), "remaining": amount(ov.remaining_vnd, lang)}
    facts = [fill("headline.communes", lang, count=ov.commune_count, plan=amount(ov.communes["plan_vnd"], lang),
                  disbursed=amount(ov.communes["disbursed_vnd"], lang),
                  rate=percent(ov.communes["financial_rate"], lang))]
    for own in ov.own.itertuples():
        facts.append(fill("headline.own", lang, own=words["own"], name=own.unit_name, plan=amount(own.plan_vnd, lang),
                          disbursed=amount(own.disbursed_vnd, lang), rate=percent(own.financial_rate, lang)))
    if len(ov.lagging_lines):
        facts.append(fill("headline.lagging_lines", lang, items=_items(
            [short_line_name(c, catalog, lang) for c in ov.lagging_lines["code"]], ov.lagging_lines["financial_rate"],
            lang)))
    if len(ov.lagging_units):
        facts.append(fill("headline.lagging_units", lang, items=_items(
            ov.lagging_units["unit_name"].map(short_name), ov.lagging_units["financial_rate"], lang)))
    report = label("section.report", lang)
    return templates().get_template("headline.html.j2").render(
        title=fill("headline.title", lang, report=report, place=words["name"]) if words["name"] else report,
        meta=fill("headline.meta", lang, label=period, date=_date(when)),
        heading=label("section.headline", lang), anchor="headline",
        state=_state(ov.whole["financial_rate"], ov.time_share, lang, **values),
        kpis=_kpis(ov.whole, ov.remaining_vnd, lang), facts=facts)


def unit_headline_html(uo: UnitOverview, place: dict | None, catalog: Catalog, lang: str = "vi",
                       when: datetime | None = None) -> str:
    """The headline block of a unit's scorecard: the unit against the whole place, its rank among
    the communes (the district's own budget is not ranked), its most lagging lines."""
    from .page import templates

    words = place_words(place, lang)
    period = period_label(uo.period, lang)
    state = fill("headline.unit_state", lang, label=period, unit=uo.unit_name,
                 rate=percent(uo.mine["financial_rate"], lang), whole=words["whole"],
                 whole_rate=percent(uo.whole["financial_rate"], lang), remaining=amount(uo.remaining_vnd, lang))
    facts = [fill("headline.unit_rank", lang, rank=uo.rank, of=uo.ranked) if uo.rank is not None
             else fill("headline.unit_not_ranked", lang, own=words["own"])]
    if len(uo.lagging_lines):
        facts.append(fill("headline.unit_lagging", lang, whole=words["whole"], items=_items(
            [short_line_name(c, catalog, lang) for c in uo.lagging_lines["code"]],
            uo.lagging_lines["financial_rate"], lang)))
    else:
        facts.append(fill("headline.unit_none_lagging", lang, whole=words["whole"]))
    return templates().get_template("headline.html.j2").render(
        title=f"{label('section.scorecard', lang)}: {uo.unit_name}",
        meta=fill("headline.unit_meta", lang, place=words["name"], label=period, date=_date(when)),
        heading=label("section.unit_headline", lang), anchor="headline", state=state,
        kpis=_kpis(uo.mine, uo.remaining_vnd, lang), facts=facts)


def provenance_text(parameters: dict, data_name: str = "", lang: str = "vi", when: datetime | None = None) -> str:
    """A footer line: package version, local time, the parameters in words and the data folder's
    name (never a path of the machine that rendered it)."""
    from .. import __version__

    when = when or local_now()
    shown = []
    for key, value in parameters.items():
        if key == "data_dir" or value in ("", None):
            continue
        if key == "period":
            value = period_label(value, lang)
        elif key == "lang":
            value = label(f"lang.{value}", lang)
        shown.append(fill(f"param.{key}", lang, value=value))
    return fill("provenance.line", lang, version=__version__, time=when.strftime("%d/%m/%Y %H:%M"),
                parameters="; ".join(shown), data=data_name or "data")
