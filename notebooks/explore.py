# %% [markdown]
# # Exploring a period
#
# For analysts in JupyterLab (`make lab`, or your own Jupyter: README "Notebooks in JupyterLab"). It loads a period once through the library and looks at it the ways a district office does: by project, one commune, one line across the communes, both rates, the year so far, what changed since the previous period, and the data-quality findings. Every cell is plain pandas or one call to `mtqg_analysis.analysis`: copy what you need. It runs top to bottom with its defaults; change the parameters and re-run.
#
# If the first code cell stops with `ModuleNotFoundError: No module named 'mtqg_analysis'`, this kernel's Python does not have the package: pick the kernel "mtqg-analysis (.venv)" (after `make kernel`) or install the package where your Jupyter runs.

# %% tags=["parameters"]
period: str = "2024-12"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
unit_code: str = "01975"  # the commune to look at: its GSO code in data/raw/units.csv, as text (keep leading zeros)
line_code: str = "DA1.ND2"  # the catalog line to follow across communes (catalog.csv; DA1.ND2 = housing support)
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of catalog names and number notation: "vi" or "en"

# %%
import pandas as pd
from mtqg_analysis import analysis as an, load_year, report as rp

year = load_year(period, data_dir)  # the period, its year so far, findings, units and catalog, loaded once
units, catalog = year.units, year.catalog
unit_code = units.code_of(unit_code)  # "01975" even when a tool passed the number 1975
funding = an.with_line_names(year.funding, catalog, lang)  # + line_name and project, joined from the catalog
funding.head()

# %% [markdown]
# One row per unit, catalog line and split (spec §4.1). Money is whole đồng (`plan_vnd`, `disbursed_vnd`, int64, so sums are exact); quantities are NaN where not reported; `capital_type` and `budget_source` are missing where the report does not split (`groupby(..., dropna=False)` keeps those rows).

# %%
funding.dtypes

# %% [markdown]
# ## By project
#
# `an.by_level` sums every level of the catalog with both rates: financial (disbursed / plan) and physical (done / planned quantity, only where the quantities share one unit). The same with plain pandas, as a pattern for your own groupings: `groupby` with named aggregations, then `assign` a rate.

# %%
an.by_level(funding, "project", catalog, lang)

# %%
(funding.groupby(["project", "capital_type"], dropna=False)
        .agg(plan_vnd=("plan_vnd", "sum"), disbursed_vnd=("disbursed_vnd", "sum"), lines=("line_code", "nunique"))
        .assign(financial_rate=lambda t: t["disbursed_vnd"] / t["plan_vnd"]))

# %% [markdown]
# ## One commune
#
# Filter with a boolean mask on `unit_code` (text: keep the leading zeros). `an.unit_vs_district` puts the commune's rates beside the district's on each line; `gap` < 0 means behind.

# %%
mine = funding[funding["unit_code"] == unit_code]
mine[["line_code", "line_name", "plan_vnd", "disbursed_vnd", "plan_qty", "done_qty", "measure_unit", "note"]]

# %%
comparison = an.unit_vs_district(year.funding, unit_code, catalog, lang)
comparison[["code", "name", "plan_vnd", "disbursed_vnd", "financial_rate", "physical_rate", "district_rate", "gap"]]

# %%
ax = (comparison.set_index("code")[["financial_rate", "district_rate"]].mul(100)
                .plot.barh(figsize=(7, 4), xlabel="%", title=f"{units.name(unit_code)}: disbursed / plan"))
ax.legend(loc="upper left", bbox_to_anchor=(1, 1));

# %% [markdown]
# ## One line across the communes
#
# `an.line_units` gives each commune's plan, disbursed, quantities and both rates on the line, with flags (`disbursed_full`, `disbursed_none`, `outputs_done`) the notice's lists come from.

# %%
line = an.line_units(year.funding, line_code, units)
line[["unit_name", "plan_vnd", "disbursed_vnd", "plan_qty", "done_qty", "financial_rate", "physical_rate",
      "disbursed_full", "disbursed_none"]]

# %%
ax = (line.set_index("unit_name")[["financial_rate", "physical_rate"]].mul(100).sort_values("financial_rate")
          .plot.barh(figsize=(7, 5), xlabel="%", title=f"{line_code}: {catalog.name(line_code, lang)}"))
ax.legend(loc="upper left", bbox_to_anchor=(1, 1));

# %% [markdown]
# ## How the communes stand
#
# The ranking by financial rate (communes, wards and towns; the district's own budget is not ranked), the five furthest behind with `nsmallest`, and the rate of every commune on every project as a coloured table (pandas `Styler`).

# %%
ranking = an.ranking(year.funding, units)
ranking[["rank", "unit_code", "unit_name", "plan_vnd", "disbursed_vnd", "financial_rate"]]

# %%
ranking.nsmallest(5, "financial_rate")[["unit_name", "financial_rate"]]

# %%
an.pivot_rates(year.funding, catalog).style.format("{:.0%}", na_rep="").background_gradient(cmap="YlGn", axis=None)

# %% [markdown]
# ## The year so far
#
# Periods are year to date (spec §1): `an.trajectory` gives the district's plan, disbursed and rates at each period of the year, and with `unit_code=` one commune's.

# %%
trajectory = an.trajectory(year.periods)
trajectory[["period", "plan_vnd", "disbursed_vnd", "financial_rate"]]

# %%
ax = (trajectory.set_index("period")[["plan_vnd", "disbursed_vnd"]].div(1e6)
                .plot(marker="o", figsize=(7, 3.5), ylabel="triệu đồng", title="Year to date"))

# %%
an.trajectory(year.periods, unit_code=unit_code)[["period", "plan_vnd", "disbursed_vnd", "financial_rate"]]

# %% [markdown]
# ## What changed since the previous period
#
# The change during the period: this period minus the previous one of the same year (for the first period of a year, the period itself). Per line with names, per commune, and the plans that were adjusted.

# %%
print(f"{year.period} against {year.previous_period or 'nothing (first period of the year)'}")
an.line_change(year.funding, year.previous, catalog, lang)

# %%
by_commune = an.in_period_change(year.funding, year.previous, ["unit_code"])
by_commune = by_commune.assign(unit_name=by_commune["unit_code"].map(units.name))
ax = (by_commune.set_index("unit_name")["disbursed_vnd_change"].div(1e6).sort_values()
                .plot.barh(figsize=(7, 5), xlabel="triệu đồng", title=f"Disbursed during {year.period}"))

# %%
an.plan_adjustments(year.periods)

# %% [markdown]
# ## Data quality
#
# The findings of spec §4.2 (`data/processed/<period>/quality.csv`) of every period of the year so far, in one table: `pd.concat` of a dict keeps the period as the first level of the index. Then how many of each check, the units with most, and this commune's (`query` reads like a sentence).

# %%
from mtqg_analysis import load_quality

findings = pd.concat({p: load_quality(p, data_dir, rebuild="never") for p in year.periods}, names=["period", None])
findings[["severity", "check", "unit_code", "line_code", "source_sheet", "source_row", "message"]]

# %%
an.counts_by_check(findings)

# %%
an.worst_units(findings, units=units)

# %%
findings.query("unit_code == @unit_code")[["severity", "check", "line_code", "source_sheet", "source_row", "message"]]

# %% [markdown]
# ## In the reports' notation
#
# `rp.formatted` writes numbers as the reports do ("2.041", "30,43%"). To take any table to Excel: `table.to_excel("my-table.xlsx")`.

# %%
rp.formatted(an.by_level(funding, "project", catalog, lang)[rp.LEVEL_COLUMNS], lang)
