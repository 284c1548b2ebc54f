# %% [markdown] tags=["remove-cell"]
# # District report for one period (spec §5)
#
# Rendered by `mtqg report --period P`; the code is hidden in the HTML. To run it by hand in JupyterLab, edit the parameters below. The notebook only loads the period once (`load_year`) and shows what `mtqg_analysis.analysis` computes; every word comes from the label files.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"

# %%
from mtqg_analysis import analysis as an, load_year, report as rp

year = load_year(period, data_dir)
funding, units, catalog = year.funding, year.units, year.catalog  # units: those in force at the period's end
periods = an.placed_periods(year.periods, units)  # earlier periods within today's boundaries (spec §5)
carried = an.has_carried(funding)  # the reports split off capital carried over from earlier years

# %% [markdown] tags=["remove-cell"]
# ## Headline and section 2 of the notice

# %%
rp.show_markdown(rp.headline_markdown(funding, year.period, units, lang, catalog=catalog))

# %%
if carried:
    rp.section("capital", lang, level=3)
    rp.show_markdown(rp.capital_caption(year.period, lang))
    rp.show_table(rp.capital_table(funding, year.period, lang), lang)

# %%
rp.section("narrative", lang)
rp.show_markdown(rp.narrative(funding, year.period, previous=year.previous, units=units, catalog=catalog,
                              lang=lang, heading=False))

# %% [markdown] tags=["remove-cell"]
# ## Totals at each level of the catalog

# %%
rp.section("projects", lang)
rp.show_table(an.by_level(funding, "project", catalog, lang, carried)[rp.level_columns(carried)], lang)

# %%
rp.section("subprojects", lang)
rp.show_table(an.by_level(funding, "subproject", catalog, lang, carried)[rp.level_columns(carried)], lang)

# %%
rp.section("lines", lang)
rp.show_table(an.by_level(funding, "line", catalog, lang, carried)[rp.level_columns(carried)], lang)

# %% [markdown] tags=["remove-cell"]
# ## How the communes stand

# %%
rp.section("ranking", lang)
ranking = an.ranking(funding, units)
rp.show_table(ranking[rp.RANKING_COLUMNS], lang)
rp.show_figure(rp.ranking_figure(ranking, lang))

# %%
if an.has_levels(funding, units):  # own budgets beside communes, or communes of several parents
    rp.section("places", lang, level=3)
    rp.show_table(rp.place_table(funding, units, lang), lang)

# %%
rp.section("full_none", lang)
rp.show_table(an.full_and_none(funding, catalog, units, lang), lang)

# %%
rp.section("heatmap", lang)
rp.show_figure(rp.heatmap_figure(an.pivot_rates(funding, catalog), lang))

# %% [markdown] tags=["remove-cell"]
# ## The year so far

# %%
rp.section("trajectory", lang)
rp.show_markdown(rp.across_change_note(an.reorganisation(periods, units), lang))
trajectory = an.trajectory(periods)
rp.show_table(trajectory[rp.TRAJECTORY_COLUMNS], lang)
rp.show_figure(rp.trajectory_figure(trajectory, lang))

# %%
rp.section("change", lang)
rp.show_markdown(rp.change_caption(year.period, year.previous_period, lang))
rp.show_table(an.line_change(funding, year.previous, catalog, lang), lang)

# %% [markdown] tags=["remove-cell"]
# ## Notes, data quality, provenance

# %%
rp.section("notes", lang)
rp.show_table(an.unit_notes(funding), lang)

# %%
rp.section("quality", lang)
rp.show_table(year.quality, lang, empty=rp.label("text.no_findings", lang))

# %%
rp.section("provenance", lang, level=3)
rp.show_markdown(rp.provenance_markdown({"period": period, "lang": lang}, year.data_name, lang))
rp.show_table(year.inputs, lang)
