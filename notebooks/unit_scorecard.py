# %% [markdown] tags=["remove-cell"]
# # Scorecard of one unit for one period (spec §5)
#
# Its lines, its rates against the district, its rank among the communes, what is lagging, its own notes. Rendered by `mtqg report --period P --units CODE`; to run it by hand, edit the parameters below.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
unit_code: str = "01975"  # GSO code of the unit (data/raw/units.csv), as text: keep leading zeros
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"

# %%
from mtqg_analysis import analysis as an, load_year, report as rp

year = load_year(period, data_dir)
funding, units, catalog = year.funding, year.units, year.catalog  # units: those in force at the period's end
mine = an.unit_rows(funding, unit_code)
carried = an.has_carried(mine)  # the unit's report splits off capital carried over from earlier years
periods = an.placed_periods(year.periods, units)  # earlier periods within today's boundaries (spec §5)

# %%
rp.show_markdown(rp.unit_headline_markdown(funding, unit_code, year.period, units, lang))

# %%
rp.section("unit_lines", lang)
comparison = an.unit_vs_district(funding, unit_code, catalog, lang, carried)
rp.show_table(comparison[rp.level_columns(carried) + ["district_rate", "gap"]], lang)

# %%
rp.section("unit_rank", lang)
rp.show_figure(rp.ranking_figure(an.ranking(funding, units), lang, highlight=unit_code))

# %%
rp.section("lagging", lang)
rp.show_table(an.lagging(comparison)[rp.LAGGING_COLUMNS], lang)

# %%
rp.section("unit_trajectory", lang)
reorganisation = an.reorganisation(periods, units)
rp.show_markdown(rp.across_change_note(reorganisation[reorganisation["unit_code"] == unit_code], lang))
rp.show_table(an.trajectory(periods, unit_code=unit_code)[rp.TRAJECTORY_COLUMNS], lang)

# %%
rp.section("unit_notes", lang)
rp.show_table(an.unit_notes(mine), lang)

# %%
rp.section("provenance", lang, level=3)
rp.show_markdown(rp.provenance_markdown({"period": period, "unit_code": unit_code, "lang": lang}, year.data_name, lang))
rp.show_table(year.inputs, lang)
