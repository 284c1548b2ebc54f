# %% [markdown] tags=["remove-cell"]
# District report for one period (spec §5). Rendered by `mtqg report --period P`; the code is hidden in the HTML.
#
# Edit the parameters below to run it by hand in JupyterLab.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"

# %%
from mtqg_analysis import load_period, report_helpers as h
from mtqg_analysis.periods import canonical

h.setup(lang)
period = canonical(period)
data = data_dir or None
funding = load_period(period, data)

# %%
h.show_markdown(h.headline_markdown(funding, period, lang))

# %%
h.section("narrative", lang)
h.show_markdown(h.narrative_markdown(period, funding, data, lang))

# %%
h.section("projects", lang)
h.show_table(h.line_table(funding, "project", lang), lang)

# %%
h.section("subprojects", lang)
h.show_table(h.line_table(funding, "subproject", lang), lang)

# %%
h.section("lines", lang)
h.show_table(h.line_table(funding, "line", lang), lang)

# %%
h.section("ranking", lang)
ranking = h.unit_ranking(funding)
h.show_table(ranking[["rank", "unit_name", "plan_vnd", "disbursed_vnd", "fin_rate"]], lang)
h.show_figure(h.ranking_figure(ranking, lang), h.t("rank_title", lang))

# %%
h.section("full_none", lang)
h.show_table(h.full_and_none(funding, lang), lang)

# %%
h.section("heatmap", lang)
h.show_figure(h.heatmap_figure(h.unit_project_rates(funding), lang), h.t("heat_title", lang))

# %%
h.section("trajectory", lang)
trajectory = h.trajectory(period, data)
h.show_table(trajectory, lang)
h.show_figure(h.trajectory_figure(trajectory, lang), h.t("traj_title", lang))

# %%
h.section("change", lang)
previous, change = h.change_since_previous(period, funding, data, lang)
h.show_markdown(h.change_caption(period, previous, lang))
h.show_table(change, lang, {"plan_vnd": h.t("change_plan", lang), "disbursed_vnd": h.t("change_disbursed", lang)})

# %%
h.section("notes", lang)
h.show_table(h.notes(funding), lang)

# %%
h.section("quality", lang)
h.show_table(h.quality(period, data), lang, empty=h.t("no_findings", lang))

# %%
h.section("provenance", lang, level=3)
h.show_markdown(h.provenance(period, data, {"period": period, "data_dir": data_dir, "lang": lang}, lang))
h.show_table(h.input_files(period, data), lang)
