# %% [markdown] tags=["remove-cell"]
# Scorecard of one unit for one period: its lines, its rates against the district, its rank, what is lagging. Rendered by `mtqg report --period P --units CODE`.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
unit_code: str = "01975"  # GSO code of the unit (data/raw/units.csv), as text: keep leading zeros
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"

# %%
from mtqg_analysis import load_period, report_helpers as h
from mtqg_analysis.periods import canonical

h.setup(lang)
period = canonical(period)
data = data_dir or None
funding = load_period(period, data)
h.check_unit(funding, unit_code)
mine = funding[funding["unit_code"] == unit_code]

# %%
h.show_markdown(h.unit_headline_markdown(funding, unit_code, period, lang))

# %%
h.section("unit_lines", lang)
comparison = h.unit_vs_district(funding, unit_code, lang)
h.show_table(comparison, lang)

# %%
h.section("unit_rank", lang)
h.show_figure(h.ranking_figure(h.unit_ranking(funding), lang, highlight=unit_code), h.t("rank_title", lang))

# %%
h.section("lagging", lang)
h.show_table(h.lagging(comparison)[["code", "name", "plan_vnd", "disbursed_vnd", "fin_rate", "district_rate", "gap"]], lang)

# %%
h.section("unit_trajectory", lang)
h.show_table(h.trajectory(period, data, unit_code), lang)

# %%
h.section("unit_notes", lang)
h.show_table(h.notes(mine), lang)

# %%
h.section("provenance", lang, level=3)
h.show_markdown(h.provenance(period, data, {"period": period, "unit_code": unit_code, "data_dir": data_dir, "lang": lang}, lang))
h.show_table(h.input_files(period, data), lang)
