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
funding, units, catalog = year.funding, year.units, year.catalog
unit_code = units.code_of(unit_code)  # plain papermill's `-p unit_code 01975` passes the number 1975
mine = an.unit_rows(funding, unit_code)

# %%
rp.show_markdown(rp.unit_headline_markdown(funding, unit_code, year.period, units, lang))

# %%
rp.section("unit_lines", lang)
comparison = an.unit_vs_district(funding, unit_code, catalog, lang)
rp.show_table(comparison[rp.LEVEL_COLUMNS + ["district_rate", "gap"]], lang)

# %%
rp.section("unit_rank", lang)
rp.show_figure(rp.ranking_figure(an.ranking(funding, units), lang, highlight=unit_code))

# %%
rp.section("lagging", lang)
rp.show_table(an.lagging(comparison)[rp.LAGGING_COLUMNS], lang)

# %%
rp.section("unit_trajectory", lang)
rp.show_table(an.trajectory(year.periods, unit_code=unit_code)[rp.TRAJECTORY_COLUMNS], lang)

# %%
rp.section("unit_notes", lang)
rp.show_table(an.unit_notes(mine), lang)

# %%
rp.section("provenance", lang, level=3)
rp.show_markdown(rp.provenance_markdown({"period": period, "unit_code": unit_code, "lang": lang}, year.data_name, lang))
rp.show_table(year.inputs, lang)
