"""Capital by budget year (spec §3.1 "carried-over capital", §4.1 ``capital_year``, §5) and the
phase summary that adds years up without counting carried-over capital twice (spec §1)."""
from __future__ import annotations

import pandas as pd
import pytest

from mtqg_analysis import analysis as an
from mtqg_analysis.domain.units import load_units
from mtqg_analysis.domain.catalog import load_catalog
from mtqg_analysis.report.headline import capital_table, headline_html
from mtqg_analysis.report.notice import narrative
from mtqg_analysis.store import load_period, load_quality
from workbook_builder import DONE, PLAN, Sheet

TRIEU = 1_000_000


def year_columns(own: str, carried: str) -> list[tuple[str, list[str]]]:
    """A two-row header whose plan and done groups split "Tổng số" by budget year."""
    return [
        ("stt", ["STT"]), ("label", ["Nội dung"]), ("unit", ["Đơn vị tính"]),
        ("plan_qty", [PLAN, "Khối lượng"]), ("plan", [PLAN, "Tổng số"]),
        ("plan_own", [PLAN, own]), ("plan_carried", [PLAN, carried]),
        ("done_qty", [DONE, "Khối lượng"]), ("disbursed", [DONE, "Tổng số"]),
        ("done_own", [DONE, own]), ("done_carried", [DONE, carried]),
        ("note", ["Ghi chú"]),
    ]


def row(stt, label, unit, qty, plan_own, plan_carried, done_qty, done_own, done_carried, plan_total=None):
    total = plan_total if plan_total is not None else plan_own + plan_carried
    return {"stt": stt, "label": label, "unit": unit, "plan_qty": qty, "plan": total, "plan_own": plan_own,
            "plan_carried": plan_carried, "done_qty": done_qty, "disbursed": done_own + done_carried,
            "done_own": done_own, "done_carried": done_carried}


WORKS = "Nội dung số 01: Đầu tư cơ sở hạ tầng thiết yếu vùng đồng bào dân tộc thiểu số và miền núi"


def clean(mtqg, data_dir, period):
    run = mtqg("clean", "--period", period, "--data-dir", data_dir)
    assert run.code == 0, run.stderr
    return load_period(period, data_dir, rebuild="never")


@pytest.mark.parametrize("own, carried, carried_year", [
    ("Vốn năm 2025", "Vốn năm 2024 kéo dài", 2024),
    ("Vốn năm nay", "Vốn năm trước chuyển sang", 2024),  # no year written: the year before
    ("Năm 2025", "Năm 2023", 2023),  # an earlier year counts as carried over even without the words
    ("Vốn giao năm 2025", "Vốn chuyển nguồn", 2024),
])
def test_carried_over_groups_give_rows_of_their_capital_year(data_dir, make_workbook, mtqg, own, carried,
                                                            carried_year):
    make_workbook("a.xlsx", Sheet(name="Phủ Thông", columns=year_columns(own, carried), rows=[
        row("1", WORKS, "công trình", 3, 800, 500, 2, 600, 500)]), period="2025-09")
    tidy = clean(mtqg, data_dir, "2025-09")
    assert tidy[["capital_year", "plan_vnd", "disbursed_vnd"]].values.tolist() == [
        [2025, 800 * TRIEU, 600 * TRIEU], [carried_year, 500 * TRIEU, 500 * TRIEU]]
    # Quantities belong to the line: they stand on the period's own year only (spec §4.1).
    assert tidy["plan_qty"].tolist()[0] == 3 and pd.isna(tidy["plan_qty"].tolist()[1])
    assert tidy["done_qty"].tolist()[0] == 2 and pd.isna(tidy["done_qty"].tolist()[1])


def test_without_carried_over_groups_every_row_has_the_periods_year(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, None)]),
                  period="2025-EXT")
    tidy = clean(mtqg, data_dir, "2025-EXT")
    assert tidy["capital_year"].tolist() == [2025] and tidy["period"].tolist() == ["2025-EXT"]


def test_the_total_beside_budget_years_is_checked_never_added(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(name="Phủ Thông", columns=year_columns("Vốn năm 2025", "Vốn năm 2024 kéo dài"), rows=[
        row("1", WORKS, "công trình", 3, 800, 500, 2, 600, 500, plan_total=1400)]), period="2025-09")
    tidy = clean(mtqg, data_dir, "2025-09")
    assert tidy["plan_vnd"].sum() == 1_300 * TRIEU  # the splits, not the stated 1.400
    quality = load_quality("2025-09", data_dir, rebuild="never")
    mismatch = quality[quality["check"] == "subtotal_mismatch"]
    assert len(mismatch) == 1 and "'Tổng số' column: plan 1.400 triệu đồng stated, 1.300 triệu đồng" in mismatch["message"].iloc[0]


def test_a_budget_year_after_the_periods_is_an_error(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(name="Phủ Thông", columns=year_columns("Vốn năm 2025", "Vốn năm 2026"), rows=[
        row("1", WORKS, "công trình", 3, 800, 500, 2, 600, 500)]), period="2025-09")
    run = mtqg("clean", "--period", "2025-09", "--data-dir", data_dir)
    assert run.code != 0 and "sheet 'Phủ Thông': a column names budget year 2026, after the period's year 2025" in run.stderr
    assert "Traceback" not in run.stderr


# --- rates for the year's own capital, carried-over capital and combined -------------------------------
@pytest.fixture
def carried_frame() -> pd.DataFrame:
    """2025-09 of one commune: 2025 capital 1.000 (disbursed 200) and 2024 capital carried over 500
    (disbursed 400), on two lines."""
    return pd.DataFrame({
        "period": "2025-09", "unit_code": "01969", "unit_name": "Xã Phủ Thông",
        "line_code": ["DA4.TDA1.ND1", "DA4.TDA1.ND1", "DA1.ND2"], "capital_type": "", "budget_source": "",
        "capital_year": [2025, 2024, 2025], "measure_unit": ["công trình", "công trình", "nhà"],
        "plan_qty": [3.0, float("nan"), 4.0], "done_qty": [1.0, float("nan"), 0.0],
        "plan_vnd": [800 * TRIEU, 500 * TRIEU, 200 * TRIEU], "disbursed_vnd": [200 * TRIEU, 400 * TRIEU, 0],
        "note": ""})


def test_rates_of_own_year_carried_over_and_combined_capital(carried_frame):
    kinds = an.by_capital_kind(carried_frame).set_index("capital_kind")
    assert kinds["plan_vnd"].to_dict() == {"own": 1_000 * TRIEU, "carried": 500 * TRIEU, "total": 1_500 * TRIEU}
    assert kinds["financial_rate"].round(4).to_dict() == {"own": 0.2, "carried": 0.8, "total": 0.4}
    lines = an.by_level(carried_frame, "line", capital_years=True).set_index("code")
    assert lines.at["DA4.TDA1.ND1", "own_financial_rate"] == 0.25
    assert lines.at["DA4.TDA1.ND1", "carried_financial_rate"] == 0.8
    assert pd.isna(lines.at["DA1.ND2", "carried_financial_rate"])  # no carried-over plan: no rate
    shown = capital_table(carried_frame, "2025-09", "vi")
    assert shown["capital_kind"].tolist() == ["Vốn năm 2025", "Vốn các năm trước kéo dài (2024)", "Cộng"]
    units = load_units().at("2025-09")
    overview = an.overview(carried_frame, units, period="2025-09")
    headline = headline_html(overview, load_catalog(), "vi", funding=carried_frame)
    assert "Tỷ lệ giải ngân vốn năm 2025: 20,00%; vốn các năm trước kéo dài: 80,00%" in headline
    assert "– Xã Phủ Thông" in headline


def test_narrative_says_in_one_sentence_what_carried_over_capital_did(carried_frame):
    units = load_units().at("2025-09")
    text = narrative(carried_frame, units=units)
    assert ("Trong đó, vốn năm 2025: kế hoạch 1.000 triệu đồng, đã giải ngân 200 triệu đồng, đạt 20,00%; "
            "vốn năm 2024 kéo dài sang năm 2025: kế hoạch 500 triệu đồng, đã giải ngân 400 triệu đồng, "
            "đạt 80,00%.") in text
    assert "capital of 2024 carried over into 2025: plan 500 million VND" in narrative(carried_frame, units=units, lang="en")
    assert "Trong đó, vốn năm" not in narrative(carried_frame[carried_frame["capital_year"] == 2025], units=units)


# --- the phase: carried-over capital counted once ------------------------------------------------------
def year_table(period, rows):
    """``rows``: (line, capital year, plan triệu, disbursed triệu, plan qty, done qty)."""
    return pd.DataFrame([{"period": period, "unit_code": "01969", "unit_name": "Xã Phủ Thông", "line_code": line,
                          "capital_type": "", "budget_source": "", "capital_year": year, "measure_unit": "công trình",
                          "plan_qty": pq, "done_qty": dq, "plan_vnd": plan * TRIEU, "disbursed_vnd": disb * TRIEU,
                          "note": ""} for line, year, plan, disb, pq, dq in rows])


def test_phase_total_counts_carried_over_capital_once():
    """2024 plans 1.000 of its own capital and disburses 700 by 31/01/2025; the 300 left is carried
    into 2025. 2025 plans 2.000 of its own, disburses 1.500 of it and 250 of the 300 carried over.
    The phase plan is 1.000 + 2.000 = 3.000 (not 3.300: the 300 is part of 2024's plan already);
    disbursed 700 + 1.500 + 250 = 2.450; rate 2.450 / 3.000 = 81,67%. Outputs: 4 works planned in
    2024 (2 done), 5 planned in 2025 (4 done, 1 more of 2024's on carried-over capital)."""
    frames = {
        "2024-EXT": year_table("2024-EXT", [("DA4.TDA1.ND1", 2024, 1_000, 700, 4.0, 2.0)]),
        "2025-EXT": year_table("2025-EXT", [("DA4.TDA1.ND1", 2025, 2_000, 1_500, 5.0, 4.0),
                                            ("DA4.TDA1.ND1", 2024, 300, 250, float("nan"), float("nan"))]),
    }
    years = an.phase_by_year(frames)
    assert years["year"].tolist() == ["2024", "2025", "total"]
    assert years["period"].tolist() == ["2024-EXT", "2025-EXT", ""]
    assert years["plan_vnd"].tolist() == [1_000 * TRIEU, 2_000 * TRIEU, 3_000 * TRIEU]
    assert years["disbursed_vnd"].tolist() == [700 * TRIEU, 1_750 * TRIEU, 2_450 * TRIEU]
    assert years["carried_plan_vnd"].tolist() == [0, 300 * TRIEU, 300 * TRIEU]  # shown beside, never added
    assert round(years["financial_rate"].iloc[-1], 4) == 0.8167
    line = an.phase_by_project(frames, level="line").set_index("code").loc["DA4.TDA1.ND1"]
    assert (line["plan_vnd"], line["disbursed_vnd"]) == (3_000 * TRIEU, 2_450 * TRIEU)
    assert (line["plan_qty"], line["done_qty"]) == (9.0, 6.0)
    # Summing the year-end tables as they are would count the 300 twice.
    naive = sum(int(f["plan_vnd"].sum()) for f in frames.values())
    assert naive == 3_300 * TRIEU != line["plan_vnd"]
    per_year = an.project_years(frames).set_index("code")
    assert per_year.loc["DA4", ["disbursed_2024_vnd", "disbursed_2025_vnd"]].tolist() == [700 * TRIEU, 1_750 * TRIEU]
