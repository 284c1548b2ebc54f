"""Reports in today's Vietnam, on the shipped 2025 sample (spec §1, §2.1, §5): the Thái Nguyên report
of 2025-12 (the five communes that succeeded huyện Bạch Thông on 2025-07-01, with 2024 capital
carried over), its scorecards, and the phase summary 2021-2025, rendered once by the real
``mtqg report`` (:func:`sample_render.render_sample_2025`); the year-end window 2025-EXT."""
from __future__ import annotations

import re

import openpyxl
import pytest

from mtqg_analysis import analysis as an
from mtqg_analysis.domain.notation import amount, percent
from mtqg_analysis.report.notice import narrative
from mtqg_analysis.store import load_period, load_phase, load_year
from test_notebooks import visible_text

pytestmark = pytest.mark.slow
NEW = {"01969": "Xã Phủ Thông", "01981": "Xã Vĩnh Thông", "02008": "Xã Cẩm Giàng", "02014": "Xã Bạch Thông",
       "01849": "Xã Phong Quang"}
NOTE = "theo địa giới hành chính từ 01/07/2025"


@pytest.fixture(scope="module")
def rendered(sample_2025):
    return sample_2025


@pytest.fixture(scope="module")
def report(rendered) -> str:
    return body_text(rendered["report"].read_text(encoding="utf-8"))


def body_text(page: str) -> str:
    """The visible text of a page without its table of contents: a section is then found by its
    heading, which the contents list first."""
    return visible_text(re.sub(r'<nav class="toc">.*?</nav>', " ", page, count=1, flags=re.DOTALL))


def card(rendered, code) -> str:
    return visible_text((rendered["folder"] / f"{code}.html").read_text(encoding="utf-8"))


def test_the_command_renders_the_report_five_scorecards_and_the_phase(rendered):
    printed = rendered["run"].stdout.splitlines()
    assert str(rendered["report"]) in printed and str(rendered["phase"]) in printed
    assert {f"{code}.html" for code in NEW} <= {p.name for p in rendered["folder"].iterdir()}
    index = visible_text((rendered["reports"] / "index.html").read_text(encoding="utf-8"))
    year = load_period("2025-12", rendered["data"], rebuild="never")
    assert "giai đoạn 2021-2025" in index  # the phase summary is listed
    assert f"năm 2025 {amount(year['plan_vnd'].sum())} {amount(year['disbursed_vnd'].sum())}" in index
    assert ("Báo cáo Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS&MN giai đoạn 2021-2030" in index
            and all(name in index for name in ("Xã Phủ Thông", "Xã Vĩnh Thông", "Xã Phong Quang")))


def test_the_report_is_about_the_province_and_its_five_communes(rendered, report):
    assert "Báo cáo tình hình thực hiện Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS&MN giai đoạn " \
           "2021-2030 – Tỉnh Thái Nguyên" in report
    assert "Tổng hợp toàn tỉnh" in report and "5 xã, thị trấn báo cáo" in report
    ranking = report[report.index("4. Xếp hạng xã, thị trấn"):report.index("5. Xã, thị trấn giải ngân 100% và chưa giải ngân")]
    assert sorted(re.findall(r"\b0\d{4}\b", ranking)) == sorted(NEW)
    assert "Vi Hương" not in ranking and "Huyện Bạch Thông" not in ranking


def test_the_trajectory_starts_in_2025_06_under_the_successor_communes(rendered, report):
    section = report[report.index("7. Diễn biến trong năm"):report.index("8. Ghi chú của đơn vị")]
    assert NOTE in section
    assert ("Xã Phủ Thông: Thị trấn Phủ Thông, Xã Vi Hương, Xã Lục Bình, Xã Tân Tú" in section
            and "Xã Phong Quang: Xã Đôn Phong" in section)
    assert "So sánh chưa đầy đủ (partial) đối với Xã Phong Quang" in section
    h1 = load_period("2025-06", rendered["data"], rebuild="never")
    year = load_period("2025-12", rendered["data"], rebuild="never")
    row = re.search(r"6 tháng đầu năm 2025 (\S+) (\S+) (\S+%)", section)
    assert row and row.groups() == (amount(h1["plan_vnd"].sum()), amount(h1["disbursed_vnd"].sum()),
                                    percent(h1["disbursed_vnd"].sum() / h1["plan_vnd"].sum()))
    assert f"năm 2025 {amount(year['plan_vnd'].sum())} {amount(year['disbursed_vnd'].sum())}" in section


def test_scorecards_compare_each_commune_with_its_predecessors(rendered):
    year = load_year("2025-12", rendered["data"], rebuild="never")
    h1 = an.placed_periods(year.periods, year.units)["2025-06"]
    phu_thong = card(rendered, "01969")
    assert "Phiếu đánh giá đơn vị: Xã Phủ Thông" in phu_thong and NOTE in phu_thong
    mine = h1[h1["unit_code"] == "01969"]
    assert set(mine["placed_from"]) == {"01969", "01975", "01990", "01993"}
    assert f"6 tháng đầu năm 2025 {amount(mine['plan_vnd'].sum())} {amount(mine['disbursed_vnd'].sum())}" in phu_thong
    assert "partial" not in phu_thong
    phong_quang = card(rendered, "01849")
    assert NOTE in phong_quang and "So sánh chưa đầy đủ (partial) đối với Xã Phong Quang" in phong_quang
    assert "toàn tỉnh" in phong_quang  # the scorecard compares with the province, not a district


def test_carried_over_capital_has_its_own_rates_in_report_narrative_and_workbook(rendered, report):
    year = load_year("2025-12", rendered["data"], rebuild="never")
    kinds = an.by_capital_kind(year.funding).set_index("capital_kind")
    assert kinds.loc["carried", "plan_vnd"] > 0
    assert (f"Vốn các năm trước kéo dài (2024) {amount(kinds.loc['carried', 'plan_vnd'])} "
            f"{amount(kinds.loc['carried', 'disbursed_vnd'])} {percent(kinds.loc['carried', 'financial_rate'])}") in report
    assert (f"vốn năm 2024 kéo dài sang năm 2025: kế hoạch {amount(kinds.loc['carried', 'plan_vnd'])} triệu đồng"
            in report)
    assert "Tỷ lệ giải ngân vốn năm nay" in report and "Tỷ lệ giải ngân vốn kéo dài" in report
    book = openpyxl.load_workbook(rendered["folder"] / "summary.xlsx")
    assert "Vốn năm nay - kéo dài" in book.sheetnames
    tree = book["Theo dự án và nội dung"]
    headers = [c.value for row in tree.iter_rows(max_row=8) for c in row]
    assert "Tỷ lệ giải ngân vốn năm nay" in headers and "Tỷ lệ giải ngân vốn kéo dài" in headers
    assert "Tỷ lệ giải ngân vốn kéo dài" in card(rendered, "01969")


def test_the_phase_summary_counts_carried_over_capital_once(rendered):
    page = body_text(rendered["phase"].read_text(encoding="utf-8"))
    phase = load_phase("2021-2025", rendered["data"], rebuild="never")
    assert list(phase.periods) == ["2024-12", "2025-EXT"] and phase.missing_years() == [2021, 2022, 2023]
    y2024, y2025 = phase.periods["2024-12"], phase.periods["2025-EXT"]
    own_2025 = y2025[y2025["capital_year"] == 2025]
    plan = y2024["plan_vnd"].sum() + own_2025["plan_vnd"].sum()
    disbursed = y2024["disbursed_vnd"].sum() + y2025["disbursed_vnd"].sum()
    assert plan < y2024["plan_vnd"].sum() + y2025["plan_vnd"].sum()  # the carried-over part is left out
    assert "Báo cáo tổng kết Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS&MN giai đoạn 2021-2030 " \
           "– Tỉnh Thái Nguyên" in page
    assert f"Cả giai đoạn {amount(plan)} {amount(disbursed)} {percent(disbursed / plan)}" in page
    assert "năm 2025 (giải ngân đến 31/01/2026)" in page and "Chưa có số liệu các năm: 2021, 2022, 2023." in page
    units = page[page.index("6. Theo đơn vị"):]
    assert NOTE in units and all(name in units for name in NEW.values())
    for heading in ("2. Theo năm", "3. Theo dự án", "4. Giải ngân theo dự án và năm", "5. Kết quả thực hiện khối lượng"):
        assert heading in page


def test_old_periods_keep_their_own_units_and_titles(rendered):
    h1 = load_year("2025-06", rendered["data"])
    assert an.place_name(h1.funding, h1.units) == "Huyện Bạch Thông"
    assert h1.units.name("01969") == "Thị trấn Phủ Thông" and len(set(h1.funding["unit_code"])) == 14
    assert "Tổng hợp toàn huyện" in narrative(h1.funding, units=h1.units, catalog=h1.catalog)


def test_the_year_end_window_is_cleaned_labelled_and_follows_december(rendered):
    year = load_year("2025-EXT", rendered["data"])
    assert str(year.previous_period) == "2025-12" and list(year.periods) == ["2025-06", "2025-12", "2025-EXT"]
    text = narrative(year.funding, previous=year.previous, units=year.units, catalog=year.catalog)
    assert "## 2. Kết quả thực hiện chương trình năm 2025 (giải ngân đến 31/01/2026)" in text
    assert "So với năm 2025, giải ngân thêm" in text
    own, carried = (year.funding[year.funding["capital_year"] == y] for y in (2025, 2024))
    december = year.previous
    assert carried["disbursed_vnd"].sum() == december[december["capital_year"] == 2024]["disbursed_vnd"].sum()
    assert own["disbursed_vnd"].sum() > december[december["capital_year"] == 2025]["disbursed_vnd"].sum()
