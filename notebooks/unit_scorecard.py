# %% [markdown] tags=["remove-cell"]
# # Scorecard of one unit for one period (spec §5)
#
# Its lines against the district, its rank among the communes, what is lagging, its own notes. Rendered by `mtqg report --period P --units CODE`; to run it by hand, edit the parameters below.
#
# The page is made by `mtqg_analysis.report.unit_scorecard` (`mtqg_analysis/report/scorecard.py`: a block a section, each from the figures of `mtqg_analysis.analysis`) and shown here in one short cell: a province renders a scorecard for each of thousands of communes, and each cell, each output and each line of a cell cost the kernel about as much as a scorecard's own figures (`benchmarks/README.md`). To look at one part, call the function it names there, e.g. `mtqg_analysis.analysis.unit_vs_district`.

# %% tags=["parameters"]
period: str = "2024-06"  # reporting period: YYYY-MM or an alias such as 2024-H1 (spec §1)
unit_code: str = "01975"  # GSO code of the unit (data/raw/units.csv), as text: keep leading zeros
data_dir: str = ""  # data root holding raw/ and processed/; empty: $MTQG_DATA_DIR or the nearest data/ folder
lang: str = "vi"  # language of labels and number notation: "vi" or "en"
rebuild: str = "auto"  # processed tables: rebuilt when stale ("auto"); "never" when mtqg report checked them for its run

# %%
from mtqg_analysis import load_year, report as rp

# reuse: the scorecards a worker renders share one load of the period and what is computed once for it
year = load_year(period, data_dir, rebuild=rebuild, reuse=True)
rp.show_html(*rp.unit_scorecard(year, unit_code, lang))
