# %% [markdown] tags=["remove-cell"]
# # Scorecard of one unit for one period (spec §5)
#
# Its lines against the district, its rank among the communes, what is lagging, its own notes. Rendered by `mtqg report --period P --units CODE`; to run it by hand, edit the parameters below.
#
# One code cell, one output: a province renders a scorecard for each of thousands of communes, and each cell and each output costs a round trip to the kernel, as much as the scorecard's own figures (`benchmarks/README.md`). Each section of the page is one block of the cell.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
unit_code: str = "01975"  # GSO code of the unit (data/raw/units.csv), as text: keep leading zeros
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"
rebuild: str = "auto"  # processed tables: rebuilt when stale ("auto"); "never" when mtqg report checked them for its run

# %%
from mtqg_analysis import analysis as an, load_year, report as rp

# reuse: the scorecards a worker renders share one load of the period, and what year.once keeps:
# what is the same for every unit of the period is computed once, each unit's part looked up
year = load_year(period, data_dir, rebuild=rebuild, reuse=True)
funding, units, catalog = year.funding, year.units, year.catalog  # units: those in force at the period's end
unit_code = units.code_of(unit_code)  # plain papermill's `-p unit_code 01975` passes the number 1975
periods = year.once(an.placed_periods, year.periods, units)  # the year's periods within today's boundaries (spec §5)
ranked = year.once(an.ranking, funding, units)
district = year.once(an.by_level, funding, "line", catalog, lang)
whole, communes = year.once(an.total, funding), year.once(an.communes_total, funding, units)
totals = year.once(an.totals_by, funding)  # every unit's totals
lines = year.once(an.units_vs_district, year.once(an.by_level_per_unit, funding, "line", catalog, lang), district)
mine = an.unit_rows(funding, unit_code, year.once(an.unit_positions, funding))
compared = an.unit_vs_district(funding, unit_code, catalog, lang, capital_years=True, lines=lines)
unit = an.unit_overview(funding, unit_code, units, catalog, year.period, lang, ranked=ranked, whole=whole,
                        communes=communes, totals=totals, rows=mine, comparison=compared,
                        ranked_at=year.once(an.unit_positions, ranked))
place = year.once(an.place_of, funding, units)
captions = rp.Captions(lang)
page = [rp.unit_headline_html(unit, place, catalog, lang, mine=mine)]

# its lines beside the whole place's
page += [rp.heading_html("unit_lines", lang),
         rp.unit_lines_table(funding, unit_code, catalog, captions, lang, place, unit.unit_name, whole=whole,
                             totals=totals, rows=mine, comparison=compared)]

# its rank among the communes
bars = year.once(rp.RankingBars, ranked, lang, communes["financial_rate"])
page += [rp.heading_html("unit_rank", lang),
         bars.html(unit_code, captions.figure("unit_rank", unit=unit.unit_name))]

# what it wrote beside its lines
page += [rp.heading_html("unit_notes", lang),
         rp.notes_table(mine, catalog, captions, lang, "unit_notes", unit=unit.unit_name)]

# the year so far: only from the second period of a year (in the first, it is the table of its lines)
if year.previous is not None:
    moved = year.once(an.reorganisation, periods, units)
    page += [rp.heading_html("unit_trajectory", lang),
             rp.paragraph_html(rp.across_change_note(moved[moved["unit_code"] == unit_code], lang)),
             rp.table_or_text_html(year.once(an.trajectories, periods)[unit_code][rp.TRAJECTORY_COLUMNS],
                                   lang, caption=captions.table("unit_trajectory", unit=unit.unit_name))]

# where it comes from: its own files of the year's periods (placed within today's boundaries)
page += [rp.heading_html("provenance", lang, level=3),
         rp.provenance_section({"period": period, "unit_code": unit_code, "lang": lang}, year.data_name,
                               year.inputs_of(unit_code, periods), lang)]
rp.show_html(*page)
