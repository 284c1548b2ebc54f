"""The text blocks of a report: its headline, a scorecard's headline, captions, provenance, and
what a reader needs to read figures across a reorganisation or across budget years.

Every word comes from ``data/labels.csv`` (the ``headline.*``, ``text.*``, ``place.*``,
``capital_kind.*`` and ``provenance.*`` entries); the figures come from
:mod:`mtqg_analysis.analysis`. The title names the programme (from its catalog, spec §2.2) and
the top unit in force (a district before 2025-07-01, a province after, spec §5).
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from .. import analysis as an
from ..analysis import ranking, total
from ..domain.catalog import Catalog, packaged_catalog
from ..domain.labels import fill, label, labels
from ..domain.notation import amount, percent
from ..domain.periods import label as period_label
from ..domain.periods import parse_period
from ..domain.units import Units

TIMEZONE = "Asia/Ho_Chi_Minh"  # the reports are read in Vietnam, whatever the server's clock says


def programme_name(catalog: Catalog | None, lang: str = "vi") -> str:
    """The programme's name from its catalog (the packaged default when none is given)."""
    return (catalog if catalog is not None else packaged_catalog()).programme_name(lang)


def place_kind(funding: pd.DataFrame, units: Units | None, lang: str = "vi") -> str:
    """What the report's top unit is ("huyện", "tỉnh"; the ``kind.*`` labels)."""
    code = an.top_unit(funding, units) if units is not None else None
    kind = an.seen_at(units, funding).kind(code) if code else "other"
    return labels(lang).get(f"kind.{kind}", label("kind.other", lang))


def headline_markdown(funding: pd.DataFrame, period, units: Units | None = None, lang: str = "vi",
                      place: str | None = None, catalog: Catalog | None = None) -> str:
    """The title and the headline figures of a period's report. The title names the programme and
    ``place`` (default: the top unit of the units that reported, :func:`analysis.place_name`)."""
    whole = total(funding)
    units = an.seen_at(units, funding)
    communes = funding["unit_code"].drop_duplicates()
    if units is not None:
        communes = communes[communes.map(units.is_commune)]
    if place is None:
        place = an.place_name(funding, units) if units is not None else ""
    lines = _title_and_totals(fill("section.report", lang, programme=programme_name(catalog, lang)), place,
                              fill("text.year_to_date", lang, label=period_label(period, lang)), whole, lang)
    lines += capital_rates_lines(funding, period, lang)
    lines.append("- " + fill("headline.counts", lang, units=len(communes), lines=funding["line_code"].nunique()))
    return "\n".join(lines)


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


def capital_rates_lines(funding: pd.DataFrame, period, lang: str = "vi") -> list[str]:
    """A headline bullet with the rates of the year's own and carried-over capital, where the
    reports split them (spec §5); none otherwise."""
    if not an.has_carried(funding):
        return []
    kinds = an.by_capital_kind(funding).set_index("capital_kind")
    return ["- " + fill("headline.capital_rates", lang, year=parse_period(period).year,
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


def unit_headline_markdown(funding: pd.DataFrame, unit_code: str, period, units: Units | None = None,
                           lang: str = "vi") -> str:
    """The title and headline figures of a unit's scorecard: its totals, the district's rate, its
    rank among the communes."""
    mine = funding[funding["unit_code"] == unit_code]
    me, whole = total(mine), total(funding)
    ranked = ranking(funding, units)
    row = ranked[ranked["unit_code"] == unit_code]
    rank = str(int(row["rank"].iloc[0])) if len(row) else "–"
    name = mine["unit_name"].iloc[0] if len(mine) else unit_code
    lines = [
        f"# {label('section.scorecard', lang)}: {name}", "",
        f"**{fill('text.year_to_date', lang, label=period_label(period, lang))}**.", "",
        f"## {label('section.unit_headline', lang)}", "",
        "- " + fill("headline.unit_money", lang, plan=amount(me["plan_vnd"], lang),
                    disbursed=amount(me["disbursed_vnd"], lang)),
        "- " + fill("headline.unit_rate", lang, rate=percent(me["financial_rate"], lang),
                    district_rate=percent(whole["financial_rate"], lang), place_kind=place_kind(funding, units, lang)),
        *capital_rates_lines(mine, period, lang),
        "- " + fill("headline.unit_rank", lang, rank=rank, of=len(ranked)),
    ]
    return "\n".join(lines)


def change_caption(period, previous, lang: str = "vi") -> str:
    """What the in-period change table shows (or that the period is the first of its year)."""
    if previous is None:
        return label("text.no_previous", lang)
    return fill("text.change_caption", lang, label=period_label(period, lang),
                previous=period_label(previous, lang))


def local_now() -> datetime:
    """Now, in Vietnam's time zone."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(TIMEZONE))


def provenance_markdown(parameters: dict, data_name: str = "", lang: str = "vi", when: datetime | None = None) -> str:
    """A footer line: package version, local time, the parameters and the data folder's name (never
    a path of the machine that rendered it). The input files go in a table beside it."""
    from .. import __version__

    when = when or local_now()
    shown = "; ".join(f"{key}: {value}" for key, value in parameters.items() if key != "data_dir" and value != "")
    return fill("provenance.line", lang, version=__version__, time=when.strftime("%d/%m/%Y %H:%M"),
                parameters=shown, data=data_name or "data")


# --- a phase summary (spec §1) -------------------------------------------------------------------------
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
    """:func:`analysis.phase_by_year` with its periods named ("năm 2024 (giải ngân đến 31/01/2025)")
    and its last row named as the whole phase."""
    table = years.copy()
    table["period"] = [period_label(p, lang) if p else "" for p in table["period"]]
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
