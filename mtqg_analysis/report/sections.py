"""The blocks of the report and the scorecard, each as HTML, so that a notebook cell is one call.

Each takes the frames a notebook loaded and a :class:`.display.Captions` that numbers the tables and
figures in the order they are shown. The figures are those of :mod:`mtqg_analysis.analysis`.
"""
from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from .. import analysis as an
from ..domain.catalog import Catalog
from ..domain.labels import fill, label
from ..domain.periods import label as period_label
from ..domain.units import Units
from .charts import MAX_BARS, heatmap_figure, ranking_figure, trajectory_figure
from .display import Captions, figure_html
from .findings import findings_table
from .format import (CAPITAL_COLUMNS, CHANGE_COLUMNS, RANKING_COLUMNS, TRAJECTORY_COLUMNS, cell_text, header,
                     level_columns, short_line_name)
from .headline import capital_caption, capital_table, place_table, place_words, provenance_text
from .tables import table_html


def _total(frame: pd.DataFrame) -> dict:
    return dict(an.total(frame))


def _paragraph(text: str, css_class: str = "") -> str:
    cls = f' class="{css_class}"' if css_class else ""
    return f"<p{cls}>{html.escape(text)}</p>"


def tree_table(funding: pd.DataFrame, catalog: Catalog, captions: Captions, lang: str = "vi") -> str:
    """Every project, sub-project and line with figures in one table, with a "Tổng cộng" row; the
    own-year and carried-over rates beside the combined one where the reports split them."""
    carried = an.has_carried(funding)
    tree = an.by_tree(funding, catalog, lang, carried)
    classes = [f"lvl-{level} depth-{depth}" + (" line" if is_line else "")
               for level, depth, is_line in zip(tree["level"], tree["depth"], tree["is_line"])]
    total = _total(funding) | (_capital_totals(funding) if carried else {})
    return table_html(tree[level_columns(carried)], lang, caption=captions.table("tree"), total=total,
                      total_label=label("text.total", lang), row_classes=classes, css_class="tree")


def _capital_totals(frame: pd.DataFrame) -> dict:
    rates = an.capital_rates(frame.assign(_all="total"), ["_all"]).iloc[0]
    return {"own_financial_rate": rates["own_financial_rate"], "carried_financial_rate": rates["carried_financial_rate"]}


def capital_section(funding: pd.DataFrame, period, captions: Captions, lang: str = "vi") -> str:
    """The year's own capital and the capital carried over into it, each with its rate (spec §5);
    empty where the reports do not split them."""
    if not an.has_carried(funding):
        return ""
    return _paragraph(capital_caption(period, lang)) + table_html(
        capital_table(funding, period, lang), lang, caption=captions.table("capital"))


def place_section(funding: pd.DataFrame, units: Units | None, captions: Captions, lang: str = "vi") -> str:
    """Units grouped by their parent where more than one level of place reports (spec §5); empty
    otherwise."""
    if units is None or funding.empty or not an.has_levels(funding, units):
        return ""
    return table_html(place_table(funding, units, lang), lang, caption=captions.table("places"))


def ranking_section(funding: pd.DataFrame, units: Units | None, captions: Captions, lang: str = "vi",
                    place: dict | None = None, scorecards=()) -> str:
    """The communes ranked by financial rate (a link to each scorecard that exists), the district's
    own budget after them unranked, the total, and the ranking chart with the communes' average."""
    ranked = an.ranking(funding, units)
    own = an.own_budget(funding, units)
    words = place_words(place, lang)
    own = own.assign(rank=pd.NA, unit_name=[f"{words['own']} ({n})" for n in own["unit_name"]])
    table = pd.concat([ranked[RANKING_COLUMNS], own[RANKING_COLUMNS]], ignore_index=True)
    wanted = set(scorecards)
    links = {i: f"{code}.html" for i, code in enumerate(table["unit_code"]) if code in wanted}
    classes = [""] * len(ranked) + ["own"] * len(own)
    out = table_html(table, lang, caption=captions.table("ranking"), total=_total(funding),
                     total_label=label("text.total", lang), links=links, row_classes=classes)
    average = an.communes_total(funding, units)["financial_rate"]
    fig = ranking_figure(ranked, lang, average=average)
    return out + figure_html(fig, captions.figure("ranking_chart"))


def full_none_table(funding: pd.DataFrame, catalog: Catalog, units: Units | None, captions: Captions,
                    lang: str = "vi") -> str:
    table = an.full_and_none(funding, catalog, units, lang)
    table = table.assign(name=[short_line_name(c, catalog, lang) for c in table["code"]])
    return table_html(table[["name", "code", "full", "none"]], lang, caption=captions.table("full_none"))


def heatmap_section(funding: pd.DataFrame, catalog: Catalog, units: Units | None, captions: Captions,
                    lang: str = "vi") -> str:
    """Units x lines: the financial rate of each unit on each line it has a plan for. Past
    :data:`MAX_BARS` ranked communes (a province, the country), the slowest of them only: a row
    each for thousands of communes is neither readable nor cheap to draw; every unit's rates stay
    in the annex tables and ``summary.xlsx``."""
    own_budget = an.own_budget(funding, units)
    ranked = an.ranking(funding, units)
    caption = captions.figure("heatmap")
    if len(ranked) > MAX_BARS:
        shown = set(ranked["unit_code"].tail(MAX_BARS)) | set(own_budget["unit_code"])
        funding = funding[funding["unit_code"].isin(shown)]
        caption = captions.figure("heatmap_slowest", shown=MAX_BARS, units=len(ranked))
    rates = an.pivot_rates(funding, catalog, level="line")
    names = {c: short_line_name(c, catalog, lang) for c in rates.columns}
    own = list(own_budget["unit_name"])
    return figure_html(heatmap_figure(rates, names, lang, last=own), caption, css_class="wide")


def change_section(periods: dict, current: pd.DataFrame, previous: pd.DataFrame | None, period, previous_period,
                   catalog: Catalog, captions: Captions, lang: str = "vi", tree_number: int | None = None,
                   note: str = "") -> str:
    """The year so far: the trajectory (table and bars) when the year has more than one period,
    and what was added since the previous period; for the first period of a year, one sentence.
    ``periods`` and ``previous`` are within today's boundaries (:func:`analysis.placed_periods`);
    ``note`` says so where units moved (:func:`.headline.across_change_note`)."""
    if previous is None:
        return _paragraph(fill("text.no_previous", lang, table=tree_number or 1))
    trajectory = an.trajectory(periods)
    out = (_paragraph(note) if note else "") + table_html(trajectory[TRAJECTORY_COLUMNS], lang, caption=captions.table("trajectory"))
    out += figure_html(trajectory_figure(trajectory, lang), captions.figure("trajectory_chart"))
    change = an.line_change(current, previous, catalog, lang)
    change = change.assign(name=[short_line_name(c, catalog, lang) if c in catalog.frame.index else c
                                 for c in change["code"]])
    totals = {"plan_vnd_change": int(change["plan_vnd_change"].sum()),
              "disbursed_vnd_change": int(change["disbursed_vnd_change"].sum())}
    out += table_html(change[CHANGE_COLUMNS], lang, total=totals, total_label=label("text.total", lang),
                      caption=captions.table("change", label=period_label(period, lang),
                                             previous=period_label(previous_period, lang)))
    return out


def notes_table(funding: pd.DataFrame, catalog: Catalog, captions: Captions, lang: str = "vi", caption_key: str = "notes",
                **caption_values) -> str:
    notes = an.unit_notes(funding)
    if notes.empty:
        return _paragraph(label("text.nothing", lang))
    notes = an.by_name(notes.assign(name=[short_line_name(c, catalog, lang) if c in catalog.frame.index else c
                                          for c in notes["line_code"]]))
    columns = ["unit_name", "name", "note"] if notes["unit_name"].nunique() > 1 else ["name", "note"]
    return table_html(notes[columns], lang, caption=captions.table(caption_key, **caption_values))


def quality_section(quality: pd.DataFrame, units: Units | None, catalog: Catalog, captions: Captions,
                    lang: str = "vi") -> str:
    """How many findings, then each one in the report's language (:mod:`.findings`)."""
    if quality.empty:
        return _paragraph(label("text.no_findings", lang))
    table = findings_table(quality, units, catalog, lang)
    warnings = int((quality["severity"] == "warning").sum())
    return (_paragraph(fill("text.findings_count", lang, count=len(quality), warnings=warnings))
            + table_html(table, lang, caption=captions.table("quality")))


def provenance_section(parameters: dict, data_name: str, inputs: pd.DataFrame, lang: str = "vi", when=None) -> str:
    """The provenance, set small at the end: who made the report, when, from which files (name,
    size, SHA-256)."""
    text = provenance_text(parameters, data_name, lang, when)
    files = "".join(f"<li><span>{html.escape(str(r.file))}</span> <span>{html.escape(cell_text(r.size, 'integer', lang))}"
                    f" {html.escape(header('size', lang))}</span> <code>{html.escape(str(r.sha256))}</code></li>"
                    for r in inputs.itertuples())
    return (f'<div class="provenance">{_paragraph(text)}<p class="inputs-title">{html.escape(label("caption.inputs", lang))}'
            f'</p><ul class="inputs">{files}</ul></div>')


def unit_lines_table(funding: pd.DataFrame, unit_code: str, catalog: Catalog, captions: Captions, lang: str = "vi",
                     place: dict | None = None, unit_name: str = "", district: pd.DataFrame | None = None,
                     whole: pd.Series | None = None, positions: dict | None = None, lines: Mapping | None = None,
                     totals: pd.DataFrame | None = None, rows: pd.DataFrame | None = None,
                     comparison: pd.DataFrame | None = None) -> str:
    """The unit's lines beside the whole place's rate on the same line, with the unit's total
    (``district``, ``positions``, ``lines``: see :func:`mtqg_analysis.analysis.unit_vs_district`;
    ``whole``: ``total(funding)``; ``totals``: ``totals_by(funding)``; ``rows``: the unit's rows;
    ``comparison``: its ``unit_vs_district`` with ``capital_years=True`` (the table shows the
    capital years' rates where the unit's rows have carried-over capital); each passed when
    already computed)."""
    mine = an.rows_of_unit(funding, unit_code, positions) if rows is None else rows
    carried = an.has_carried(mine)
    if comparison is None:
        comparison = an.unit_vs_district(funding, unit_code, catalog, lang, carried, district, positions, lines)
    comparison = comparison.assign(name=[short_line_name(c, catalog, lang) if c in catalog.frame.index else c
                                         for c in comparison["code"]])
    whole_name = place_words(place, lang)["whole"]
    headers = {"district_rate": fill("column.district_rate", lang, whole=whole_name)}
    columns = ["name", "code", "measure_unit", "plan_qty", "done_qty", "plan_vnd", "disbursed_vnd",
               "financial_rate", *(CAPITAL_COLUMNS if carried else []), "district_rate", "gap"]
    total = {**an.unit_total(funding, unit_code, positions, totals),
             "district_rate": (an.total(funding) if whole is None else whole)["financial_rate"]}
    total["gap"] = total["financial_rate"] - total["district_rate"]
    behind = (comparison["gap"] < 0) | ((comparison["plan_vnd"] > 0) & (comparison["disbursed_vnd"] == 0))
    return table_html(comparison[columns], lang, headers, total=total, total_label=label("text.total", lang),
                      row_classes=["behind" if b else "" for b in behind],
                      caption=captions.table("unit_lines", unit=unit_name or unit_code, whole=whole_name))
