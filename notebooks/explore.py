# %% [markdown]
# # Exploring a period
#
# For analysts in JupyterLab (`make lab`). It loads one period through the library (spec §4.1) and shows a few ways to slice it. Runs top to bottom with its defaults; change `period` and re-run.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"

# %%
import pandas as pd
from mtqg_analysis import analysis as an, load_year, report as rp

year = load_year(period, data_dir)  # every table the report of the period uses, rebuilt from data/raw/ when stale
funding = year.funding
funding.head()

# %% [markdown]
# One row per unit, catalog line and split. Money is in whole đồng (`plan_vnd`, `disbursed_vnd`); quantities are NaN where not reported.

# %%
funding.dtypes

# %% [markdown]
# ## Totals by line
#
# A plain `groupby`; `an.by_level` adds catalog names, quantities and both rates.

# %%
funding.groupby("line_code")[["plan_vnd", "disbursed_vnd"]].sum()

# %%
an.by_level(funding, "project", year.catalog, lang)

# %% [markdown]
# ## One unit
#
# Filter on `unit_code` (text: keep the leading zeros).

# %%
funding[funding["unit_code"] == "01975"][["line_code", "plan_vnd", "disbursed_vnd", "plan_qty", "done_qty", "note"]]

# %% [markdown]
# ## Units × projects
#
# The financial rate of each unit on each project, as in the district report's heat map.

# %%
an.pivot_rates(funding, year.catalog).round(3)

# %% [markdown]
# ## By capital type
#
# `dtpt` = đầu tư phát triển, `sn` = sự nghiệp; where a report does not split, the catalog's usual type.

# %%
an.by_capital_type(funding, year.catalog)

# %% [markdown]
# ## In Vietnamese notation
#
# `rp.formatted` turns numbers into the notation of the reports.

# %%
rp.formatted(an.ranking(funding, year.units)[rp.RANKING_COLUMNS], lang)

# %% [markdown]
# ## Data quality
#
# Findings of spec §4.2 (`data/processed/<period>/quality.csv`).

# %%
year.quality
