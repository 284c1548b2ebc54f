# %% [markdown]
# # Exploring a period
#
# For analysts in JupyterLab (`make lab`). It loads one period's tidy table through the library (spec §4.1) and shows a few ways to slice it. Runs top to bottom with its defaults; change `period` and re-run.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"

# %%
import pandas as pd
from mtqg_analysis import load_period, report_helpers as h

h.setup(lang)
funding = load_period(period, data_dir or None)  # rebuilt from data/raw/ when stale
funding.head()

# %% [markdown]
# One row per unit, catalog line and split. Money is in whole đồng (`plan_vnd`, `disbursed_vnd`); quantities are NaN where not reported.

# %%
funding.dtypes

# %% [markdown]
# ## Totals by line
#
# A plain `groupby`; `h.line_table` adds catalog names, quantities and both rates.

# %%
funding.groupby("line_code")[["plan_vnd", "disbursed_vnd"]].sum()

# %%
h.line_table(funding, "project", lang)

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
h.unit_project_rates(funding).round(3)

# %% [markdown]
# ## By capital type
#
# `dtpt` = đầu tư phát triển, `sn` = sự nghiệp; empty where the report does not split.

# %%
funding.groupby("capital_type")[["plan_vnd", "disbursed_vnd"]].sum().assign(rate=lambda d: h.rate(d.disbursed_vnd, d.plan_vnd))

# %% [markdown]
# ## In Vietnamese notation
#
# `h.formatted` turns numbers into the notation of the reports.

# %%
h.formatted(h.unit_ranking(funding), lang)

# %% [markdown]
# ## Data quality
#
# Findings of spec §4.2 (`data/processed/<period>/quality.csv`).

# %%
h.quality(period, data_dir or None)
