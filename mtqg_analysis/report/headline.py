"""The text blocks of a report: its headline, a scorecard's headline, provenance, and what a
reader needs to read figures across a reorganisation or across budget years.

The headline gives the state of the period in ten seconds: the place and the period, the local
date, one sentence on the state, the key figures (plan, disbursed, rate, amount still to
disburse), the lines and communes that lag most, and the communes counted apart from the
district's own budget. Its figures are those of :func:`mtqg_analysis.analysis.overview`; every
word comes from ``data/labels.csv``; the block is ``data/templates/headline.html.j2``. The title
names the programme (from its catalog, spec §2.2) and the top unit in force (a district before
2025-07-01, a province after, spec §5).
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from .. import analysis as an
from ..analysis.overview import Overview, UnitOverview
from ..domain.catalog import Catalog, packaged_catalog
from ..domain.labels import fill, label, labels
from ..domain.notation import amount, percent
from ..domain.periods import label as period_label
from ..domain.periods import parse_period
from ..domain.units import Units, short_name
from .format import short_line_name

TIMEZONE = "Asia/Ho_Chi_Minh"  # the reports are read in Vietnam, whatever the server's clock says


def local_now() -> datetime:
    """Now, in Vietnam's time zone."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(TIMEZONE))


def programme_name(catalog: Catalog | None, lang: str = "vi") -> str:
    """The programme's name from its catalog (the packaged default when none is given)."""
    return (catalog if catalog is not None else packaged_catalog()).programme_name(lang)


def place_words(place: dict | None, lang: str = "vi") -> dict[str, str]:
    """How the report names its place: ``name`` ("Huyện Bạch Thông"), ``whole`` ("toàn huyện")
    and ``own`` ("Ngân sách cấp huyện"), by the kind of its top unit (a kind without its own words,
    e.g. a single commune, gets the general ones: "toàn địa bàn")."""
    kind = (place or {}).get("kind", "")
    words = labels(lang)

    def word(prefix: str) -> str:
        return words.get(f"{prefix}.{kind}", words[f"{prefix}."])

    return {"name": (place or {}).get("name", ""), "whole": word("place.whole"), "own": word("place.own")}


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


def headline_html(ov: Overview, catalog: Catalog, lang: str = "vi", when: datetime | None = None,
                  funding: pd.DataFrame | None = None) -> str:
    """The headline block of a period's report (HTML, the data's text escaped)."""
    from .page import stylesheet, templates

    words = place_words(ov.place, lang)
    period = period_label(ov.period, lang)
    values = {"label": period, "whole": words["whole"], "rate": percent(ov.whole["financial_rate"], lang),
              "time": percent(ov.time_share, lang), "remaining": amount(ov.remaining_vnd, lang)}
    facts = [fill("headline.communes", lang, count=ov.commune_count, plan=amount(ov.communes["plan_vnd"], lang),
                  disbursed=amount(ov.communes["disbursed_vnd"], lang),
                  rate=percent(ov.communes["financial_rate"], lang))]
    if funding is not None:
        facts += capital_facts(funding, ov.period, lang)
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
    report = fill("section.report", lang, programme=programme_name(catalog, lang))
    return templates().get_template("headline.html.j2").render(
        title=fill("headline.title", lang, report=report, place=words["name"]) if words["name"] else report,
        meta=fill("headline.meta", lang, label=period, date=_date(when)),
        heading=label("section.headline", lang), anchor="headline",
        state=_state(ov.whole["financial_rate"], ov.time_share, lang, **values),
        kpis=_kpis(ov.whole, ov.remaining_vnd, lang), facts=facts, css=stylesheet("headline.css"))


def unit_headline_html(uo: UnitOverview, place: dict | None, catalog: Catalog, lang: str = "vi",
                       when: datetime | None = None, mine: pd.DataFrame | None = None) -> str:
    """The headline block of a unit's scorecard: the unit against the whole place, its rank among
    the communes (the district's own budget is not ranked), its most lagging lines."""
    from .page import stylesheet, templates

    words = place_words(place, lang)
    period = period_label(uo.period, lang)
    state = fill("headline.unit_state", lang, label=period, unit=uo.unit_name,
                 rate=percent(uo.mine["financial_rate"], lang), whole=words["whole"],
                 whole_rate=percent(uo.whole["financial_rate"], lang), remaining=amount(uo.remaining_vnd, lang))
    facts = [fill("headline.unit_rank", lang, rank=uo.rank, of=uo.ranked) if uo.rank is not None
             else fill("headline.unit_not_ranked", lang, own=words["own"])]
    if mine is not None:
        facts += capital_facts(mine, uo.period, lang)
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
        kpis=_kpis(uo.mine, uo.remaining_vnd, lang), facts=facts, css=stylesheet("headline.css"))


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


# --- budget years and levels of place (spec §5) -------------------------------------------------------
def capital_facts(funding: pd.DataFrame, period, lang: str = "vi") -> list[str]:
    """A headline fact with the rates of the year's own and carried-over capital, where the
    reports split them (spec §5); none otherwise."""
    if not an.has_carried(funding):
        return []
    kinds = an.by_capital_kind(funding).set_index("capital_kind")
    return [fill("headline.capital_rates", lang, year=parse_period(period).year,
                        own_rate=percent(kinds.at["own", "financial_rate"] if "own" in kinds.index else float("nan"), lang),
                        carried_rate=percent(kinds.at["carried", "financial_rate"], lang),
                        carried_plan=amount(kinds.at["carried", "plan_vnd"], lang))]


def capital_table(funding: pd.DataFrame, period, lang: str = "vi") -> pd.DataFrame:
    """The year's own capital, the carried-over capital and their total, named as a report names
    them ("Vốn năm 2025", "Vốn các năm trước kéo dài (2024)", "Cộng")."""
    table = an.by_capital_kind(funding)
    year = parse_period(period).year
    years = ", ".join(map(str, an.carried_years(funding)))
    names = {"own": fill("capital_kind.own", lang, year=year), "carried": fill("capital_kind.carried", lang, years=years),
             "total": label("capital_kind.total", lang)}
    table["capital_kind"] = table["capital_kind"].map(names)
    return table[["capital_kind", "plan_vnd", "disbursed_vnd", "financial_rate"]]


def capital_caption(period, lang: str = "vi") -> str:
    return fill("text.capital_caption", lang, year=parse_period(period).year)


def place_table(funding: pd.DataFrame, units: Units, lang: str = "vi") -> pd.DataFrame:
    """Units grouped by their parent (:func:`analysis.by_place`) as the report shows them: a
    group's total, the parent's own budget ("Cấp huyện (Huyện Bạch Thông)"), then its communes."""
    units = an.seen_at(units, funding)
    table = an.by_place(funding, units)
    kinds = labels(lang)

    def shown(row) -> str:
        if row["row"] == "group":
            return fill("place.group", lang, name=row["group_name"])
        if row["row"] == "own":
            kind = kinds.get(f"kind.{units.kind(row['unit_code'])}", label("kind.other", lang))
            return fill("place.own", lang, kind=kind, name=row["place"])
        return "\u2003" + row["place"]  # indented under its group

    table["place"] = table.apply(shown, axis=1)
    return table[["place", "plan_vnd", "disbursed_vnd", "financial_rate"]]


def across_change_note(reorganisation: pd.DataFrame, lang: str = "vi") -> str:
    """What a reader must know when earlier periods are shown within today's boundaries (spec §5):
    "Số liệu các kỳ trước ngày 01/07/2025 được tính theo địa giới hành chính từ 01/07/2025 ...", and
    for which units the comparison is partial. Empty when nothing moved."""
    if reorganisation is None or reorganisation.empty:
        return ""
    since = min(d for d in reorganisation["since"] if d) if any(reorganisation["since"]) else ""
    date = datetime.strptime(since, "%Y-%m-%d").strftime("%d/%m/%Y") if since else ""
    moves = "; ".join(fill("text.across_change_move", lang, unit=r.unit_name, old=", ".join(r.from_names))
                      for r in reorganisation.itertuples())
    text = fill("text.across_change", lang, date=date, moves=moves)
    partial = reorganisation[reorganisation["partial"].astype(bool)]
    if len(partial):
        text += " " + fill("text.across_change_partial", lang, units=", ".join(partial["unit_name"]))
    return text


# --- a phase summary (spec §1) -------------------------------------------------------------------------
def with_place(title: str, place: str) -> str:
    """"Báo cáo … – Tỉnh Thái Nguyên": a title naming its place, where there is one."""
    return f"{title} – {place}" if place else title


def _title_and_totals(title: str, place: str, subtitle: str, whole, lang: str,
                      plan_key: str = "headline.plan") -> list[str]:
    """The title, its subtitle and the three headline totals (plan, disbursed, rate)."""
    return [
        f"# {with_place(title, place)}", "",
        f"**{subtitle}**.", "",
        f"## {label('section.headline', lang)}", "",
        "- " + fill(plan_key, lang, plan=amount(whole["plan_vnd"], lang)),
        "- " + fill("headline.disbursed", lang, disbursed=amount(whole["disbursed_vnd"], lang)),
        "- " + fill("headline.rate", lang, rate=percent(whole["financial_rate"], lang)),
    ]


def phase_headline_markdown(years: pd.DataFrame, phase, lang: str = "vi", catalog: Catalog | None = None,
                            place: str = "") -> str:
    """The title and headline figures of a phase summary; ``years`` is
    :func:`analysis.phase_by_year` (its last row is the phase)."""
    from ..domain.periods import phase_label

    whole = years.iloc[-1] if len(years) else pd.Series({"plan_vnd": 0, "disbursed_vnd": 0,
                                                          "financial_rate": float("nan")})
    title = fill("section.phase", lang, programme=programme_name(catalog, lang))
    return "\n".join(_title_and_totals(title, place, phase_label(phase, lang), whole, lang, plan_key="headline.phase_plan"))


def phase_year_table(years: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """:func:`analysis.phase_by_year` with its last row named as the whole phase (its periods are
    shown by their labels, "năm 2024 (giải ngân đến 31/01/2025)", as every table shows periods)."""
    table = years.copy()  # the periods stay codes: the tables show a "period" column by its label
    table["year"] = table["year"].replace({"total": label("phase.total", lang)})
    return table


def phase_method(periods, missing_years, lang: str = "vi") -> str:
    """How the phase adds its years up, which period each year comes from, and which years have no
    data."""
    shown = ", ".join(period_label(p, lang) for p in periods)
    text = fill("text.phase_method", lang, periods=shown)
    if missing_years:
        text += " " + fill("text.phase_missing", lang, years=", ".join(map(str, missing_years)))
    return text


def phase_units_caption(latest, lang: str = "vi") -> str:
    return fill("text.phase_units", lang, label=period_label(latest, lang))


def project_year_headers(table: pd.DataFrame, lang: str = "vi") -> dict[str, str]:
    """Headers of :func:`analysis.project_years` ("Giải ngân năm 2024 (triệu đồng)")."""
    return {c: fill("column.disbursed_year_vnd", lang, year=c.split("_")[1]) for c in table.columns
            if c.startswith("disbursed_") and c.endswith("_vnd")}
