# %% [markdown] tags=["remove-cell"]
# # Scorecard of one unit for one period (spec §5)
#
# Its lines against the district, its rank among the communes, what is lagging, its own notes. Rendered by `mtqg report --period P --units CODE`; to run it by hand, edit the parameters below.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
unit_code: str = "01975"  # GSO code of the unit (data/raw/units.csv), as text: keep leading zeros
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"
rebuild: str = "auto"  # processed tables: rebuilt when stale ("auto"); "never" when mtqg report checked them for its run

# %%
from mtqg_analysis import analysis as an, load_year, report as rp

# reuse: the scorecards a worker renders share one load of the period, and what year.once keeps
year = load_year(period, data_dir, rebuild=rebuild, reuse=True)
funding, units, catalog = year.funding, year.units, year.catalog  # units: those in force at the period's end
unit_code = units.code_of(unit_code)  # plain papermill's `-p unit_code 01975` passes the number 1975
periods = year.once(an.placed_periods, year.periods, units)  # the year's periods within today's boundaries (spec §5)
ranked = year.once(an.ranking, funding, units)  # the same for every unit of the period: computed once
district = year.once(an.by_level, funding, "line", catalog, lang)
whole, communes = year.once(an.total, funding), year.once(an.communes_total, funding, units)
at = year.once(an.unit_positions, funding)  # where each unit's rows are: a lookup, not a scan, per scorecard
lines = year.once(an.by_level_per_unit, funding, "line", catalog, lang)  # every unit's lines, grouped once
totals = year.once(an.totals_by, funding)  # every unit's totals, in one grouping
mine = an.unit_rows(funding, unit_code, at)
unit = an.unit_overview(funding, unit_code, units, catalog, year.period, lang, ranked=ranked, district=district,
                        whole=whole, communes=communes, positions=at, lines=lines, totals=totals)
place = year.once(an.place_of, funding, units)
captions = rp.Captions(lang)
rp.show_html(rp.unit_headline_html(unit, place, catalog, lang, mine=mine))

# %%
# each section one output: its heading and its table shown together
rp.show_html(rp.heading_html("unit_lines", lang),
             rp.unit_lines_table(funding, unit_code, catalog, captions, lang, place, unit.unit_name, district,
                                 whole, at, lines, totals))

# %%
rp.show_html(rp.heading_html("unit_rank", lang),
             rp.ranking_bars_html(ranked, lang, highlight=unit_code, average=communes["financial_rate"],
                                  caption=captions.figure("unit_rank", unit=unit.unit_name)))

# %%
rp.show_html(rp.heading_html("unit_notes", lang),
             rp.notes_table(mine, catalog, captions, lang, "unit_notes", unit=unit.unit_name))

# %% [markdown] tags=["remove-cell"]
# The year so far: only from the second period of a year (in the first, it is the table above).

# %%
# the unit's rows in each period of the year (placed within today's boundaries), each found by a lookup
own = {p: an.rows_of_unit(frame, unit_code, year.once(an.unit_positions, frame)) for p, frame in periods.items()}
if year.previous is not None:
    moved = year.once(an.reorganisation, periods, units)
    totals_of = {p: year.once(an.totals_by, frame) for p, frame in periods.items()}  # each period grouped once
    rp.show_html(rp.heading_html("unit_trajectory", lang),
                 rp.paragraph_html(rp.across_change_note(moved[moved["unit_code"] == unit_code], lang)),
                 rp.table_or_text_html(an.trajectory(own, unit_code=unit_code, totals=totals_of)[rp.TRAJECTORY_COLUMNS],
                                       lang, caption=captions.table("unit_trajectory", unit=unit.unit_name)))

# %%
rp.show_html(rp.heading_html("provenance", lang, level=3),
             rp.provenance_section({"period": period, "unit_code": unit_code, "lang": lang}, year.data_name,
                                   year.inputs_of(unit_code, own), lang))
