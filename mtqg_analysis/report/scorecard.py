"""One unit's scorecard (spec §5): the blocks of its page, from a loaded year.

A scorecard is rendered for every commune of a period, thousands of them nationally, one after
another in a worker's kernel. What is the same for every unit of the period (the ranking, the
district's lines, every unit's lines, totals and year so far, the ranking chart's distribution)
comes from ``year.once``, computed once a period in a worker; each unit's part is looked up.
The notebook ``unit_scorecard.ipynb`` shows the blocks as one output in one short cell: each
cell, each output and each line of a cell costs the kernel and IPython about as much as a
scorecard's own figures (``benchmarks/README.md``).
"""
from __future__ import annotations

from .. import analysis as an
from .bars import RankingBars
from .display import Captions, heading_html, paragraph_html, table_or_text_html
from .format import TRAJECTORY_COLUMNS
from .headline import across_change_note, unit_headline_html
from .sections import notes_table, provenance_section, unit_lines_table


def unit_scorecard(year, unit_code: str, lang: str = "vi") -> list[str]:
    """The HTML blocks of ``unit_code``'s scorecard for ``year``'s period, in order: the headline,
    its lines beside the whole place's, its rank among the communes, its notes, the year so far
    (from the second period of a year) and where it comes from. ``year``: a
    :class:`mtqg_analysis.store.YearData`; loaded with ``reuse=True``, the scorecards a worker
    renders share it and what its ``once`` keeps. A :class:`~mtqg_analysis.errors.ParameterError`
    for a unit that reported nothing in the period."""
    funding, units, catalog = year.funding, year.units, year.catalog  # units: those in force at the period's end
    unit_code = units.code_of(unit_code)  # plain papermill's `-p unit_code 01975` passes the number 1975
    periods = year.once(an.placed_periods, year.periods, units)  # the year's periods within today's boundaries
    ranked = year.once(an.ranking, funding, units)
    district = year.once(an.by_level, funding, "line", catalog, lang)
    whole, communes = year.once(an.total, funding), year.once(an.communes_total, funding, units)
    totals = year.once(an.totals_by, funding)
    lines = year.once(an.units_vs_district, year.once(an.by_level_per_unit, funding, "line", catalog, lang), district)
    mine = an.unit_rows(funding, unit_code, year.once(an.unit_positions, funding))
    compared = an.unit_vs_district(funding, unit_code, catalog, lang, capital_years=True, lines=lines)
    unit = an.unit_overview(funding, unit_code, units, catalog, year.period, lang, ranked=ranked, whole=whole,
                            communes=communes, totals=totals, rows=mine, comparison=compared,
                            ranked_at=year.once(an.unit_positions, ranked))
    place = year.once(an.place_of, funding, units)
    captions = Captions(lang)
    page = [unit_headline_html(unit, place, catalog, lang, mine=mine)]

    # its lines beside the whole place's
    page += [heading_html("unit_lines", lang),
             unit_lines_table(funding, unit_code, catalog, captions, lang, place, unit.unit_name, whole=whole,
                              totals=totals, rows=mine, comparison=compared)]

    # its rank among the communes
    bars = year.once(RankingBars, ranked, lang, communes["financial_rate"])
    page += [heading_html("unit_rank", lang), bars.html(unit_code, captions.figure("unit_rank", unit=unit.unit_name))]

    # what it wrote beside its lines
    page += [heading_html("unit_notes", lang),
             notes_table(mine, catalog, captions, lang, "unit_notes", unit=unit.unit_name)]

    # the year so far: from the second period of a year (in the first, it is the table of its lines)
    if year.previous is not None:
        moved = year.once(an.reorganisation, periods, units)
        page += [heading_html("unit_trajectory", lang),
                 paragraph_html(across_change_note(moved[moved["unit_code"] == unit_code], lang)),
                 table_or_text_html(year.once(an.trajectories, periods)[unit_code][TRAJECTORY_COLUMNS], lang,
                                    caption=captions.table("unit_trajectory", unit=unit.unit_name))]

    # where it comes from: its own files of the year's periods (placed within today's boundaries)
    page += [heading_html("provenance", lang, level=3),
             provenance_section({"period": str(year.period), "unit_code": unit_code, "lang": lang}, year.data_name,
                                year.inputs_of(unit_code, periods), lang)]
    return page
