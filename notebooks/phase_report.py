# %% [markdown] tags=["remove-cell"]
# # Summary of a phase (spec §1, §5)
#
# Rendered by `mtqg report --phase 2021-2025`; the code is hidden in the HTML. Each year of the phase is represented by its last period present (`YYYY-EXT`, else `YYYY-12`, else the latest). Plans count each year's own capital only, so that capital carried over into the next year is not counted twice; every disbursed đồng counts once. Units are those of the latest period: old units appear under their first successor.

# %% tags=["parameters"]
phase: str = "2021-2025"  # the phase: first and last year, YYYY-YYYY (spec §1)
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"

# %%
from mtqg_analysis import analysis as an, load_phase, report as rp

data = load_phase(phase, data_dir)
periods, units, catalog = data.periods, data.units, data.catalog  # units: those in force at the latest period's end
placed = an.placed_periods(periods, units)  # every year within the latest period's boundaries
years = an.phase_by_year(periods)

# %% [markdown] tags=["remove-cell"]
# ## Headline and how the years are added up

# %%
rp.show_markdown(rp.phase_headline_markdown(years, data.phase, lang, catalog,
                                            an.place_name(periods[str(data.latest)], units)))
rp.show_markdown(rp.phase_method(list(periods), data.missing_years(), lang))

# %%
rp.section("phase_years", lang)
rp.show_table(rp.phase_year_table(years, lang), lang)

# %% [markdown] tags=["remove-cell"]
# ## Projects and physical results over the phase

# %%
rp.section("phase_projects", lang)
rp.show_table(an.phase_by_project(periods, catalog, lang)[rp.LEVEL_COLUMNS], lang)

# %%
rp.section("phase_project_years", lang)
project_years = an.project_years(periods, catalog, lang)
rp.show_table(project_years, lang, headers=rp.project_year_headers(project_years, lang))

# %%
rp.section("phase_results", lang)
results = an.phase_by_project(periods, catalog, lang, level="line")
rp.show_table(results[results["plan_qty"].notna()][rp.LEVEL_COLUMNS], lang)

# %% [markdown] tags=["remove-cell"]
# ## Units, within the boundaries of the latest period

# %%
rp.section("phase_units", lang)
rp.show_markdown(rp.phase_units_caption(data.latest, lang))
rp.show_markdown(rp.across_change_note(an.reorganisation(placed, units), lang))
rp.show_table(an.by_unit(an.phase_rows(placed))[rp.RANKING_COLUMNS[1:]], lang)

# %%
rp.section("provenance", lang, level=3)
rp.show_html(rp.provenance_section({"phase": phase, "lang": lang}, data.data_name, data.inputs, lang))
