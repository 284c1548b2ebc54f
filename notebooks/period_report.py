# %% [markdown] tags=["remove-cell"]
# # District report for one period (spec §5)
#
# Rendered by `mtqg report --period P`; the code is hidden in the HTML. To run it by hand in JupyterLab, edit the parameters below. The notebook only loads the period once (`load_year`) and shows what `mtqg_analysis.analysis` computes; every word comes from the label files.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"
scorecards: str = ""  # unit codes whose scorecards sit beside this report, space-separated (the ranking links them)
rebuild: str = "auto"  # processed tables: rebuilt when stale ("auto"); "never" when mtqg report checked them for its run

# %%
from mtqg_analysis import analysis as an, load_year, report as rp

year = load_year(period, data_dir, rebuild=rebuild, reuse=True)  # reuse: one load of the period for the report and the scorecards of a worker
funding, units, catalog = year.funding, year.units, year.catalog  # units: those in force at the period's end
periods = an.placed_periods(year.periods, units)  # the year's periods within today's boundaries (spec §5)
overview = an.overview(funding, units, catalog, year.period, lang)
captions = rp.Captions(lang)

# %% [markdown] tags=["remove-cell"]
# ## Headline and section 2 of the notice

# %%
rp.show_html(rp.headline_html(overview, catalog, lang, funding=funding))

# %%
rp.section("narrative", lang)
rp.show_markdown(rp.narrative(funding, year.period, previous=year.previous, units=units, catalog=catalog,
                              lang=lang, heading=False))

# %% [markdown] tags=["remove-cell"]
# ## Totals by project, sub-project and line, in one table

# %%
rp.section("tree", lang)
rp.show_html(rp.tree_table(funding, catalog, captions, lang))
tree_number = captions.tables
rp.show_html(rp.capital_section(funding, year.period, captions, lang))  # where capital was carried over

# %% [markdown] tags=["remove-cell"]
# ## How the communes stand

# %%
rp.section("ranking", lang)
rp.show_html(rp.ranking_section(funding, units, captions, lang, overview.place, scorecards.split()))
rp.show_html(rp.place_section(funding, units, captions, lang))  # where more than one level of place reports

# %%
rp.section("full_none", lang)
rp.show_html(rp.full_none_table(funding, catalog, units, captions, lang))

# %%
rp.section("heatmap", lang)
rp.show_html(rp.heatmap_section(funding, catalog, units, captions, lang))

# %% [markdown] tags=["remove-cell"]
# ## The year so far

# %%
rp.section("trajectory", lang)
previous = periods.get(str(year.previous_period)) if year.previous_period else None
rp.show_html(rp.change_section(periods, funding, previous, year.period, year.previous_period, catalog, captions, lang,
                               tree_number, note=rp.across_change_note(an.reorganisation(periods, units), lang)))

# %% [markdown] tags=["remove-cell"]
# ## Notes, data quality, provenance

# %%
rp.section("notes", lang)
rp.show_html(rp.notes_table(funding, catalog, captions, lang))

# %%
rp.section("quality", lang)
rp.show_html(rp.quality_section(year.quality, units, catalog, captions, lang))

# %%
rp.section("provenance", lang, level=3)
rp.show_html(rp.provenance_section({"period": period, "lang": lang}, year.data_name, year.inputs, lang))
