"""Acceptance: the shipped sample data (data/raw/2024-06) gives the figures of
../shared/spec/figures-2024-H1.md, in the tables and in the narrative; 2024-09 shows the change
against 2024-06."""
from pathlib import Path

import pytest

from mtqg_analysis import load_period
from mtqg_analysis import indicators as ind
from mtqg_analysis.narrative import narrative
from mtqg_analysis.units import load_units
from test_aggregate import check_h1_communes, check_h1_lines
from test_narrative import check_h1_narrative, paragraph

DATA = Path("data")


@pytest.fixture(scope="module")
def h1():
    return load_period("2024-06", data_dir=DATA)


@pytest.fixture(scope="module")
def q3():
    return load_period("2024-09", data_dir=DATA)


def test_shipped_2024_06_lines_and_total(h1):
    check_h1_lines(h1)


def test_shipped_2024_06_communes(h1):
    check_h1_communes(h1)


def test_shipped_2024_06_narrative(h1):
    units = load_units(DATA / "raw" / "units.csv")
    check_h1_narrative(narrative(h1, units=units))


def test_narrative_by_period_name_loads_the_period():
    text = narrative("2024-06", data_dir=DATA)
    check_h1_narrative(text)


def test_shipped_2024_09_shows_change_against_2024_06(h1, q3):
    change = ind.district_change(q3, h1)
    assert change["disbursed_vnd_change"] == q3["disbursed_vnd"].sum() - h1["disbursed_vnd"].sum()
    assert change["disbursed_vnd_change"] > 0
    text = narrative("2024-09", data_dir=DATA)
    overall = paragraph(text, "Tổng kế hoạch vốn")
    assert "So với 6 tháng đầu năm 2024, giải ngân thêm 7.995,297 triệu đồng" in overall
    housing = paragraph(text, "- Nội dung số 02: Hỗ trợ nhà ở.")
    assert "Trong 9 tháng" in housing and "So với 6 tháng đầu năm 2024, giải ngân thêm 537,972 triệu đồng" in housing
    table = ind.change_against_previous({"2024-06": h1, "2024-09": q3}, "2024-09")
    assert int(table["disbursed_vnd_change"].sum()) == 7_995_297_000


def test_cli_narrative_on_shipped_data(capsys):
    from mtqg_analysis.cli import main
    assert main(["narrative", "--period", "2024-H1", "--data-dir", str(DATA), "-q"]) == 0
    check_h1_narrative(capsys.readouterr().out)
