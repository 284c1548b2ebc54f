"""Acceptance: the shipped sample data (data/raw/2024-06) gives the figures of
../shared/spec/figures-2024-H1.md, in the tables and in the narrative; 2024-09 shows the change
against 2024-06."""
import shutil

import pytest

from conftest import REPO
from mtqg_analysis import analysis as ind
from mtqg_analysis import load_period, load_year
from mtqg_analysis.report.notice import narrative
from test_aggregate import check_h1_communes, check_h1_lines
from test_narrative import check_h1_narrative, paragraph


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A copy of the shipped data/raw (tests never write into the checkout)."""
    target = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(REPO / "data" / "raw", target / "raw")
    return target


@pytest.fixture(scope="module")
def h1(data):
    return load_period("2024-06", data_dir=data)


@pytest.fixture(scope="module")
def q3(data):
    return load_period("2024-09", data_dir=data)


def test_shipped_2024_06_lines_and_total(h1):
    check_h1_lines(h1)


def test_shipped_2024_06_communes(h1):
    check_h1_communes(h1)


def test_shipped_2024_06_narrative(data):
    year = load_year("2024-06", data)
    check_h1_narrative(narrative(year.funding, units=year.units))


def test_shipped_2024_09_shows_change_against_2024_06(data, h1, q3):
    change = ind.district_change(q3, h1)
    assert change["disbursed_vnd_change"] == q3["disbursed_vnd"].sum() - h1["disbursed_vnd"].sum()
    assert change["disbursed_vnd_change"] > 0
    year = load_year("2024-09", data)
    text = narrative(year.funding, previous=year.previous, units=year.units)
    overall = paragraph(text, "Tổng kế hoạch vốn")
    assert "So với 6 tháng đầu năm 2024, giải ngân thêm 7.995,297 triệu đồng" in overall
    housing = paragraph(text, "- Nội dung số 02: Hỗ trợ nhà ở.")
    assert "Trong 9 tháng" in housing and "So với 6 tháng đầu năm 2024, giải ngân thêm 537,972 triệu đồng" in housing
    table = ind.change_against_previous({"2024-06": h1, "2024-09": q3}, "2024-09")
    assert int(table["disbursed_vnd_change"].sum()) == 7_995_297_000


def test_cli_narrative_on_shipped_data(data, mtqg):
    run = mtqg("narrative", "--period", "2024-H1", "--data-dir", data, "-q")
    assert run.code == 0, run.stderr
    check_h1_narrative(run.stdout)
