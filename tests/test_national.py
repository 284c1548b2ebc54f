"""National size: a period's tables loaded once per process and the figures common to its
scorecards computed once (and never served stale), and a ranking chart that stays readable and
of one size with thousands of units."""
from __future__ import annotations

import re
import shutil

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import REPO
from mtqg_analysis import analysis as an
from mtqg_analysis.report.bars import RankingBars, ranking_bars_html
from mtqg_analysis.report.charts import MAX_BARS, NEIGHBOURS, ranking_figure
from mtqg_analysis.store import load_year


@pytest.fixture
def sample_data(tmp_path):
    """A copy of the shipped data of the test's own, for the tests that change it."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "raw", data / "raw")
    return data


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory):
    """A copy of the shipped data that the module's tests read and never change: its periods are
    cleaned once, by the first test that loads them."""
    data = tmp_path_factory.mktemp("national") / "data"
    shutil.copytree(REPO / "data" / "raw", data / "raw")
    return data


def test_a_reused_year_is_loaded_once_until_its_tables_are_rebuilt(sample_data):
    first = load_year("2024-06", sample_data, reuse=True)
    assert load_year("2024-06", sample_data, reuse=True) is first  # the second scorecard of a worker
    assert load_year("2024-06", sample_data) is not first  # without reuse: a fresh load, as before
    calls = []

    def ranked(frame, units):
        calls.append(1)
        return an.ranking(frame, units)

    table = first.once(ranked, first.funding, first.units)
    assert first.once(ranked, first.funding, first.units) is table and len(calls) == 1
    assert first.once(ranked, first.funding.copy(), first.units) is not table  # another frame: computed
    assert len(calls) == 2
    pd.testing.assert_frame_equal(table, an.ranking(first.funding, first.units))

    # A commune's workbook changes: the period is rebuilt and the next reuse reads the new tables.
    path = next((sample_data / "raw" / "2024-06").glob("*.xlsx"))
    book = load_workbook(path)
    sheet = book["Xã Vi Hương"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "STT")
    line = next(r for r in sheet.iter_rows(min_row=header[0].row + 2)
                if r[2].value and isinstance(r[4].value, (int, float)))  # a line (with its measure unit), not a total
    line[4].value += 1000  # its plan, in million đồng
    book.save(path)
    again = load_year("2024-06", sample_data, reuse=True)
    assert again is not first
    before, after = an.total(first.funding)["plan_vnd"], an.total(again.funding)["plan_vnd"]
    assert after == before + 1_000_000_000
    assert again.once(ranked, again.funding, again.units) is not table


def test_a_period_of_another_folder_is_another_year(sample_copy, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(sample_copy / "raw", other / "raw")
    assert load_year("2024-06", sample_copy, reuse=True) is not load_year("2024-06", other, reuse=True)
    assert load_year("2024-09", sample_copy, reuse=True) is not load_year("2024-06", sample_copy, reuse=True)


def _ranked(n: int) -> pd.DataFrame:
    rates = np.linspace(0.95, 0.05, n)
    return pd.DataFrame({"rank": np.arange(1, n + 1), "unit_code": [f"{30000 + i:05d}" for i in range(n)],
                         "unit_name": [f"Xã Mẫu Số {i + 1:04d}" for i in range(n)], "financial_rate": rates,
                         "disbursed_vnd": np.arange(n, 0, -1) * 1000})


@pytest.mark.parametrize("n", [MAX_BARS + 1, 3000])
def test_with_thousands_of_units_the_scorecard_chart_shows_the_unit_its_neighbours_and_all(n):
    ranked = _ranked(n)
    unit = ranked["unit_code"].iloc[n // 2]
    fig = ranking_figure(ranked, "vi", highlight=unit, average=0.5, compact=True)
    assert tuple(fig.get_size_inches()) == (7.0, 2.9)  # the same size at any number of units
    near, spread = fig.axes
    names = [t.get_text() for t in near.get_yticklabels()]
    assert len(names) == 2 * NEIGHBOURS + 1
    assert f"{n // 2 + 1}. Mẫu Số {n // 2 + 1:04d}" == names[NEIGHBOURS]  # the unit in the middle, with its rank
    assert [p.get_facecolor()[:3] for p in near.patches].count((192 / 255, 57 / 255, 43 / 255)) == 1  # it alone in red
    assert sum(p.get_height() for p in spread.patches) == n  # every unit counted in the histogram
    assert f"{n} đơn vị" in spread.get_title() and "bình quân: 50,00%" in spread.get_legend_handles_labels()[1]


def _rows(page: str) -> list[tuple[str, str, str]]:
    """The bars of :func:`ranking_bars_html`: (css class, name, value) a row."""
    return re.findall(r'<div class="bar-row( mine)?"><span class="bar-name">([^<]*)</span>.*?'
                      r'<span class="bar-value">([^<]*)</span>', page)


def test_the_scorecards_ranking_is_html_bars_a_unit_each_up_to_forty():
    ranked = _ranked(15)
    page = ranking_bars_html(ranked, "vi", highlight="30003", average=0.5, caption="Hình 1. Vị trí")
    rows = _rows(page)
    assert [name for _, name, _ in rows] == [f"{i + 1}. Mẫu Số {i + 1:04d}" for i in range(15)]  # best first
    assert [name for mine, name, _ in rows if mine] == ["4. Mẫu Số 0004"]  # the unit alone in red
    assert rows[0][2] == "95,00%" and rows[-1][2] == "5,00%"
    assert 'class="bar" style="width:95.00%"' in page  # the scale: 0 to 100%
    assert page.count('class="bar-average" style="left:50.00%"') == 15 and "bình quân: 50,00%" in page
    assert "<figcaption>Hình 1. Vị trí</figcaption>" in page and 'class="hist-bin' not in page and "<img" not in page


@pytest.mark.parametrize("n", [MAX_BARS + 1, 3000])
def test_past_forty_the_scorecards_bars_show_the_unit_its_neighbours_and_the_distribution(n):
    ranked = _ranked(n)
    unit = ranked["unit_code"].iloc[n // 2]
    page = ranking_bars_html(ranked, "en", highlight=unit, average=0.5)
    rows = _rows(page)
    assert len(rows) == 2 * NEIGHBOURS + 1 and rows[NEIGHBOURS] == (" mine", f"{n // 2 + 1}. Mẫu Số {n // 2 + 1:04d}",
                                                                     f"{ranked['financial_rate'].iloc[n // 2] * 100:.2f}%")
    assert f"Ranks {n // 2 + 1 - NEIGHBOURS}–{n // 2 + 1 + NEIGHBOURS} of {n} units" in page
    counts = [int(c) for c in re.findall(r'class="hist-bin(?: mine)?" style="height:[0-9.]+%" title="[^"]*: (\d+)"', page)]
    assert sum(counts) == n and len(counts) == 20  # every unit in a 5-point bin from 0 to 100%
    assert page.count('class="hist-bin mine"') == 1 and f"{n} units by financial rate" in page
    assert len(page) < 8_000  # the same size for 41 units or 3,000


def test_the_district_sized_chart_keeps_a_bar_per_unit_and_the_report_gets_the_distribution():
    small = ranking_figure(_ranked(15), "vi", highlight="30003", compact=True)
    assert len(small.axes) == 1 and len(small.axes[0].patches) == 15
    whole = ranking_figure(_ranked(500), "en", average=0.4)  # the report's chart: no unit to highlight
    assert len(whole.axes) == 1 and sum(p.get_height() for p in whole.axes[0].patches) == 500
    assert whole.axes[0].get_title() == "500 units by financial rate"


def test_a_scorecard_lists_the_files_of_its_unit_and_the_tables_of_the_folder(sample_copy):
    year = load_year("2024-06", sample_copy)
    workbook = next(f for f in year.inputs["file"] if f.startswith("2024-06/"))
    assert list(year.inputs_of("01975")["file"]) == [workbook, "units.csv"]  # the sample: one workbook for all
    # one workbook a commune: another commune's file is not this scorecard's input
    apart = year.funding.assign(source_file=year.funding["source_file"].where(year.funding["unit_code"] == "01975",
                                                                              "2024-06/other.xlsx"))
    year.inputs = pd.concat([year.inputs, pd.DataFrame([["2024-06/other.xlsx", 1, "0" * 64]],
                                                       columns=year.inputs.columns)], ignore_index=True)
    assert list(year.inputs_of("01975", {"2024-06": apart})["file"]) == [workbook, "units.csv"]
    assert sorted(year.inputs_of("01978", {"2024-06": apart})["file"]) == ["2024-06/other.xlsx", "units.csv"]


def test_past_forty_communes_the_heat_map_shows_the_slowest_and_the_own_budget(sample_copy, monkeypatch):
    from mtqg_analysis.report import sections
    from mtqg_analysis.report.display import Captions

    year = load_year("2024-06", sample_copy)
    funding = year.periods["2024-06"]
    own = an.own_budget(funding, year.units)
    communes = funding[~funding["unit_code"].isin(own["unit_code"])]
    # the 14 communes five times over, under codes and names of their own: 70 communes
    copies = [communes.assign(unit_code=communes["unit_code"] + f"-{i}", unit_name=communes["unit_name"] + f" {i}")
              for i in range(4)]
    province = pd.concat([funding, *copies], ignore_index=True)
    drawn, draw = [], sections.heatmap_figure

    def heatmap_figure(rates, *args, **kwargs):  # the real drawing; the rows it was given are kept
        drawn.append(rates)
        return draw(rates, *args, **kwargs)

    monkeypatch.setattr(sections, "heatmap_figure", heatmap_figure)
    html = sections.heatmap_section(province, year.catalog, year.units, Captions("vi"), "vi")
    ranked = an.ranking(province, year.units)
    assert len(ranked) == 70
    slowest = set(ranked.tail(MAX_BARS)["unit_name"])
    assert set(drawn[0].index) == slowest | set(own["unit_name"])
    assert f"{MAX_BARS} trong 70 xã, phường, thị trấn có tỷ lệ thấp nhất" in html

    # at district size every unit has its row, and the caption is the plain one
    html = sections.heatmap_section(funding, year.catalog, year.units, Captions("vi"), "vi")
    assert set(drawn[1].index) == set(an.ranking(funding, year.units)["unit_name"]) | set(own["unit_name"])
    assert "thấp nhất" not in html


@pytest.mark.parametrize("n", [15, 3000])
def test_one_ranking_chart_drawn_for_unit_after_unit_is_each_units_own(n):
    """A worker makes the ranking chart's base once a period and draws it for each scorecard: each
    drawing is the one made for that unit alone, nothing of the unit before kept."""
    ranked = _ranked(n)
    bars = RankingBars(ranked, "vi", average=0.5)
    for unit in [ranked["unit_code"].iloc[n // 2], ranked["unit_code"].iloc[0], "99999", ranked["unit_code"].iloc[-1]]:
        page = bars.html(unit, "Hình 2. Vị trí")
        assert page == ranking_bars_html(ranked, "vi", highlight=unit, average=0.5, caption="Hình 2. Vị trí")
        assert page.count(" mine") == (0 if unit == "99999" else 1 + (n > MAX_BARS))  # its bar, and its bin past forty


def test_a_scorecards_blocks_name_the_unit_and_refuse_one_without_rows(sample_copy):
    from mtqg_analysis.errors import ParameterError
    from mtqg_analysis.report import unit_scorecard

    year = load_year("2024-09", sample_copy)
    blocks = unit_scorecard(year, 1975, "en")  # a code that lost its leading zero (plain papermill's -p)
    page = "".join(blocks)
    assert len(blocks) == 12 and "Vi Hương" in page and "Unit: 01975" in page  # the trajectory: a second period
    assert page.index("Table 1.") < page.index("Figure 1.") < page.index("Table 3.")  # numbered in order
    with pytest.raises(ParameterError, match="no reported lines"):
        unit_scorecard(year, "06", "en")  # the province: in units.csv, no rows of its own


def test_a_units_rows_looked_up_are_the_rows_a_filter_gives_and_the_scorecard_figures_the_same(sample_copy):
    from mtqg_analysis.report.display import Captions
    from mtqg_analysis.report.sections import unit_lines_table

    year = load_year("2024-12", sample_copy)
    funding, units, catalog = year.funding, year.units, year.catalog
    at = an.unit_positions(funding)
    for code in [*sorted(set(funding["unit_code"])), "99999"]:  # every unit, and one without rows
        pd.testing.assert_frame_equal(an.rows_of_unit(funding, code, at), funding[funding["unit_code"] == code])
    with pytest.raises(Exception, match="no reported lines"):
        an.unit_rows(funding, "99999", at)
    ranked, district = an.ranking(funding, units), an.by_level(funding, "line", catalog, "vi")
    whole, communes = an.total(funding), an.communes_total(funding, units)
    for code in ("01975", "063"):  # a commune and the district's own budget
        given = an.unit_overview(funding, code, units, catalog, year.period, "vi", ranked=ranked, district=district,
                                 whole=whole, communes=communes, positions=at)
        alone = an.unit_overview(funding, code, units, catalog, year.period, "vi")
        for name in ("mine", "whole", "communes"):
            pd.testing.assert_series_equal(getattr(given, name), getattr(alone, name))
        pd.testing.assert_frame_equal(given.lagging_lines, alone.lagging_lines)
        assert (given.rank, given.ranked, given.unit_name) == (alone.rank, alone.ranked, alone.unit_name)
        assert (unit_lines_table(funding, code, catalog, Captions("vi"), "vi", None, "", district, whole, at)
                == unit_lines_table(funding, code, catalog, Captions("vi"), "vi"))


def _change_a_plan(data, period: str) -> None:
    path = next((data / "raw" / period).glob("*.xlsx"))
    book = load_workbook(path)
    sheet = book["Xã Vi Hương"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "STT")
    line = next(r for r in sheet.iter_rows(min_row=header[0].row + 2)
                if r[2].value and isinstance(r[4].value, (int, float)))
    line[4].value += 1000  # a line's plan, in million đồng
    book.save(path)


def _scorecard_alone(data, out, period="2024-06"):
    """The scorecard run by papermill alone, as an analyst runs it in JupyterLab (its default
    parameters but the data folder)."""
    import papermill as pm

    from mtqg_analysis.render.kernel import kernel_manager_class

    notebooks = REPO / "notebooks"
    pm.execute_notebook(str(notebooks / "unit_scorecard.ipynb"), str(out),
                        parameters={"period": period, "unit_code": "01975", "data_dir": str(data)},
                        kernel_name="python3", progress_bar=False, cwd=str(notebooks),
                        kernel_manager_class=kernel_manager_class())


def test_a_run_checks_staleness_once_for_its_notebooks_and_a_notebook_alone_still_rebuilds_or_refuses(
        sample_data, tmp_path):
    import papermill as pm

    from mtqg_analysis.render.jobs import plan
    from mtqg_analysis.store.build import is_stale

    built = load_year("2024-06", sample_data)
    plan_before = an.total(built.funding)["plan_vnd"]
    _change_a_plan(sample_data, "2024-06")
    assert is_stale("2024-06", sample_data)
    # mtqg report's plan rebuilds the stale period, then tells its notebooks not to check it again
    planned = plan(["2024-06"], ["01975"], sample_data, tmp_path / "reports", "vi")
    assert not is_stale("2024-06", sample_data)
    assert {job.parameters["rebuild"] for job in planned.jobs} == {"never"}
    assert [job.kind for job in planned.jobs] == ["report", "scorecard"]
    rebuilt = load_year("2024-06", sample_data, rebuild="never", reuse=True)
    assert an.total(rebuilt.funding)["plan_vnd"] == plan_before + 1_000_000_000

    # the scorecard alone (no rebuild parameter given): a period that went stale is rebuilt first
    _change_a_plan(sample_data, "2024-06")
    assert is_stale("2024-06", sample_data)
    _scorecard_alone(sample_data, tmp_path / "alone.ipynb")
    assert not is_stale("2024-06", sample_data)
    assert an.total(load_year("2024-06", sample_data).funding)["plan_vnd"] == plan_before + 2_000_000_000

    # and a period whose raw data went bad is refused, not read from the tables built before
    bad = next((sample_data / "raw" / "2024-06").glob("*.xlsx"))
    bad.write_bytes(b"not a workbook")
    with pytest.raises(pm.PapermillExecutionError) as refused:
        _scorecard_alone(sample_data, tmp_path / "refused.ipynb")
    assert refused.value.ename == "InputErrors" and "period 2024-06" in refused.value.evalue
    assert "could not be read" in refused.value.evalue


def test_a_scorecard_records_one_digest_of_the_years_files_that_changes_with_any_of_them(sample_data, tmp_path):
    from mtqg_analysis.render.jobs import INPUTS_DIGEST, inputs_digest, plan

    def fingerprints():
        planned = plan(["2024-09"], ["01975"], sample_data, tmp_path / "reports", "vi")
        report, card = planned.jobs
        return report.fingerprint["inputs"], card.fingerprint["inputs"]

    files, digest = fingerprints()
    assert any(name.startswith("2024-06/") for name in files)  # the report lists every file of the year so far
    assert digest == {INPUTS_DIGEST: inputs_digest(files)} and len(digest[INPUTS_DIGEST]) == 64
    assert fingerprints() == (files, digest)  # nothing changed: the same
    _change_a_plan(sample_data, "2024-06")  # an earlier period's workbook: the ranking of this one is not touched
    files_after, digest_after = fingerprints()
    assert files_after != files and digest_after != digest
    renamed = dict(files_after)
    renamed["units.csv.bak"] = renamed.pop("units.csv")
    assert inputs_digest(renamed) != inputs_digest(files_after)  # a file's name counts, not only its hash


@pytest.mark.parametrize("period", ["2024-12", "2025-12"])
def test_what_a_scorecard_reads_from_the_period_once_equals_what_it_computed_per_unit(sample_copy, period):
    """Every unit's lines, totals and trajectory from one grouping of the period are the figures
    the per-unit computations give (2024-12: the third period of its year; 2025-12: carried-over
    capital and merged communes)."""
    year = load_year(period, sample_copy)
    funding, catalog, units = year.funding, year.catalog, year.units
    lines, totals = an.by_level_per_unit(funding, "line", catalog, "vi"), an.totals_by(funding)
    district = an.by_level(funding, "line", catalog, "vi")
    compared = an.units_vs_district(lines, district)
    trajectories = an.trajectories(year.periods)
    ranked = an.ranking(funding, units)
    codes = sorted(set(funding["unit_code"]))
    assert sorted(lines) == codes == sorted(totals.index) == sorted(compared)
    for code in codes:
        rows = funding[funding["unit_code"] == code]
        for capital in (False, True):
            one_unit = an.unit_vs_district(funding, code, catalog, "vi", capital, district)
            pd.testing.assert_frame_equal(
                an.unit_vs_district(funding, code, catalog, "vi", capital, district, lines=lines), one_unit)
            pd.testing.assert_frame_equal(an.unit_vs_district(funding, code, catalog, "vi", capital, lines=compared),
                                          one_unit)
        pd.testing.assert_series_equal(totals.loc[code], an.total(rows), check_names=False)
        pd.testing.assert_frame_equal(trajectories[code], an.trajectory(year.periods, unit_code=code))
        # the overview from the unit's rows and lines already cut out: the same figures
        alone = an.unit_overview(funding, code, units, catalog, period, "vi", ranked=ranked, district=district)
        given = an.unit_overview(funding, code, units, catalog, period, "vi", ranked=ranked, totals=totals, rows=rows.copy(),
                                 ranked_at=an.unit_positions(ranked),
                                 comparison=an.unit_vs_district(funding, code, catalog, "vi", True, lines=compared))
        assert (given.unit_name, given.rank, given.ranked, given.is_commune) == (
            alone.unit_name, alone.rank, alone.ranked, alone.is_commune)
        pd.testing.assert_series_equal(given.mine, alone.mine, check_names=False)
        shown = ["code", "financial_rate", "district_rate", "gap"]
        pd.testing.assert_frame_equal(given.lagging_lines[shown], alone.lagging_lines[shown])
