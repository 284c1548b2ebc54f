"""Units over time (spec §2.1) and levels of place across the 2025 reorganisation (spec §5).

``data/raw/units.csv`` is the spec's ``units-bach-thong.csv``: huyện Bạch Thông and its 14 communes
and town until 2025-06-30 under tỉnh Bắc Kạn, then five communes of tỉnh Thái Nguyên. GSO reused
codes: 01969 is Thị trấn Phủ Thông until 2025-06-30 and Xã Phủ Thông from 2025-07-01.
"""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import UNITS_CSV
from mtqg_analysis import analysis as an
from mtqg_analysis.domain.units import load_units, place_history
from mtqg_analysis.errors import InputErrors
from mtqg_analysis.report.headline import across_change_note, place_table
from mtqg_analysis.report.notice import narrative
from mtqg_analysis.store import load_period, load_quality, load_year
from workbook_builder import Sheet

HOUSING = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 4, "200", 1, "50", None, None)
WATER = ("2", "Hỗ trợ nước sinh hoạt phân tán", "téc", 6, "18", 6, "18", None, None)

# Two made-up communes sharing an alias across a reorganisation: the old one ends on 2025-06-30,
# the new one (another code) begins on 2025-07-01.
SHARED_ALIAS_UNITS = """code,name,kind,parent_code,aliases,valid_from,valid_to,successor_code
900,Huyện Cũ,huyen,,,2020-01-01,2025-06-30,
90001,Xã Đồng Tâm,xa,900,Đồng Tâm|UBND xã Đồng Tâm,2020-01-01,2025-06-30,90101
91,Tỉnh Mới,tinh,,,2025-07-01,,
90101,Xã Hòa Bình,xa,91,Hòa Bình|Đồng Tâm,2025-07-01,,
"""


@pytest.fixture(scope="module")
def units():
    return load_units(UNITS_CSV)


def rows(data_dir, period):
    return load_period(period, data_dir, rebuild="never")


def clean(mtqg, data_dir, period):
    run = mtqg("clean", "--period", period, "--data-dir", data_dir)
    assert run.code == 0, run.stderr
    return run


# --- reused codes, shared aliases, dates ------------------------------------------------------------
def test_reused_code_is_resolved_by_date(units):
    """01969 names the town until 2025-06-30 and the new commune from 2025-07-01; units.csv holds
    both (a code is unique on each date, not over all time)."""
    before, after = units.at("2024-06"), units.at("2025-12")
    assert (before.name("01969"), before.kind("01969"), before.parent("01969")) == ("Thị trấn Phủ Thông", "thi_tran", "063")
    assert (after.name("01969"), after.kind("01969"), after.parent("01969")) == ("Xã Phủ Thông", "xa", "19")
    assert units.at("2025-06").name("01969") == "Thị trấn Phủ Thông"  # the last day of the old unit
    assert units.at("2025-07-01").name("01969") == "Xã Phủ Thông"  # the first day of the new one
    assert sorted(units.history.loc[units.history["code"] == "01969", "valid_from"]) == ["2020-02-01", "2025-07-01"]


def test_reused_code_in_reports_on_both_sides_of_the_change(data_dir, make_workbook, mtqg):
    """The same sheet name "Phủ Thông" is the town in 2025-06 and the new commune in 2025-09: each
    period's table names the unit of its own date."""
    for period in ("2025-06", "2025-09"):
        make_workbook("a.xlsx", Sheet(rows=[HOUSING], name="Phủ Thông"), period=period)
        clean(mtqg, data_dir, period)
    assert set(rows(data_dir, "2025-06")["unit_name"]) == {"Thị trấn Phủ Thông"}
    assert set(rows(data_dir, "2025-09")["unit_name"]) == {"Xã Phủ Thông"}
    assert set(rows(data_dir, "2025-06")["unit_code"]) == set(rows(data_dir, "2025-09")["unit_code"]) == {"01969"}


def test_overlapping_spans_of_one_code_are_an_error(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind,valid_from,valid_to\n01969,Thị trấn Phủ Thông,thi_tran,2020-02-01,2025-06-30\n"
                    "01969,Xã Phủ Thông,xa,2025-06-01,\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_units(path)
    message = str(info.value)
    assert "row 3, column code: unit code '01969' is in force twice on 2025-06-01 (also row 2)" in message


def test_validity_dates_must_be_dates(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind,valid_from,valid_to\n01969,Xã A,xa,1/7/2025,\n01975,Xã B,xa,2025-07-01,2025-01-01\n",
                    encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_units(path)
    assert "row 2, column valid_from: '1/7/2025' is not a date (write YYYY-MM-DD" in str(info.value)


def test_alias_shared_by_an_old_and_a_new_unit_is_matched_among_the_units_in_force(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(SHARED_ALIAS_UNITS, encoding="utf-8")
    units = load_units(path)
    assert units.at("2025-06").match("Đồng Tâm") == "90001"
    assert units.at("2025-09").match("Đồng Tâm") == "90101"
    assert units.at("2025-09").match("UBND XÃ ĐỒNG TÂM") == "90101"  # with prefixes, still the unit in force
    assert units.at("2024-12").match("Hòa Bình") == "90101"  # only the new unit has it: matched, not in force
    # In the real table "Phủ Thông" is an alias of the town and of the new commune.
    real = load_units(UNITS_CSV)
    for period, name in (("2024-06", "Thị trấn Phủ Thông"), ("2025-12", "Xã Phủ Thông")):
        view = real.at(period)
        row = view.match_row("Phủ Thông")
        assert view.history.at[row, "name"] == name and view.in_force(row)


def test_alias_shared_by_an_old_and_a_new_unit_in_the_cleaned_tables(tmp_path, make_workbook, mtqg, data_dir):
    (data_dir / "raw" / "units.csv").write_text(SHARED_ALIAS_UNITS, encoding="utf-8")
    for period in ("2025-06", "2025-09"):
        make_workbook("a.xlsx", Sheet(rows=[HOUSING], name="Đồng Tâm"), period=period)
        clean(mtqg, data_dir, period)
    assert rows(data_dir, "2025-06")[["unit_code", "unit_name"]].drop_duplicates().values.tolist() == [["90001", "Xã Đồng Tâm"]]
    assert rows(data_dir, "2025-09")[["unit_code", "unit_name"]].drop_duplicates().values.tolist() == [["90101", "Xã Hòa Bình"]]
    assert not (load_quality("2025-09", data_dir, rebuild="never")["check"] == "unit_not_in_force").any()


# --- unit_not_in_force, unit_missing ------------------------------------------------------------------
def test_report_from_a_unit_not_in_force_is_a_finding_and_keeps_its_own_code(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], name="Phủ Thông"), Sheet(rows=[WATER], name="Xã Vi Hương"),
                  period="2025-09")
    clean(mtqg, data_dir, "2025-09")
    table = rows(data_dir, "2025-09")
    assert set(table["unit_code"]) == {"01969", "01975"}
    assert set(table.loc[table["unit_code"] == "01975", "unit_name"]) == {"Xã Vi Hương"}
    quality = load_quality("2025-09", data_dir, rebuild="never")
    (finding,) = quality[quality["check"] == "unit_not_in_force"].itertuples()
    assert finding.unit_code == "01975" and finding.source_sheet == "Xã Vi Hương" and finding.severity == "warning"
    assert "Xã Vi Hương (01975) was in force 2020-02-01 – 2025-06-30, not at the end of 2025-09 (30/09/2025)" \
        in finding.message
    assert "it went into Xã Phủ Thông (01969)" in finding.message


def test_unit_missing_only_for_units_expected_to_report(data_dir, make_workbook, mtqg):
    """2025-09: four of the five communes report; the fifth is missing, the province (which only
    stands above them) is not."""
    names = ["Phủ Thông", "Vĩnh Thông", "Cẩm Giàng", "Bạch Thông"]
    make_workbook("a.xlsx", *[Sheet(rows=[HOUSING], name=n) for n in names], period="2025-09")
    clean(mtqg, data_dir, "2025-09")
    quality = load_quality("2025-09", data_dir, rebuild="never")
    missing = quality[quality["check"] == "unit_missing"]
    assert missing["unit_code"].tolist() == ["01849"]
    assert "Xã Phong Quang reported nothing" in missing["message"].iloc[0]


def test_a_district_that_reported_earlier_in_the_year_is_expected_again(data_dir, make_workbook, mtqg):
    """The district's own budget is not expected by itself, but once it reported in 2024-06 its
    silence in 2024-09 is a finding."""
    communes = [Sheet(rows=[HOUSING], name=n) for n in ("Tân Tú", "Lục Bình")]
    make_workbook("a.xlsx", *communes, period="2024-06")
    clean(mtqg, data_dir, "2024-06")
    first = load_quality("2024-06", data_dir, rebuild="never")
    assert "063" not in set(first.loc[first["check"] == "unit_missing", "unit_code"])
    assert "06" not in set(first["unit_code"])
    make_workbook("a.xlsx", *communes, Sheet(rows=[HOUSING], name="Cấp huyện"), period="2024-06")
    make_workbook("a.xlsx", *communes, period="2024-09")
    clean(mtqg, data_dir, "2024-06")
    clean(mtqg, data_dir, "2024-09")
    later = load_quality("2024-09", data_dir, rebuild="never")
    assert "063" in set(later.loc[later["check"] == "unit_missing", "unit_code"])
    assert "06" not in set(later["unit_code"])


# --- across the change: old units under their first successor ---------------------------------------
def test_old_units_are_placed_under_their_first_successor(units):
    later = units.at("2025-12")
    assert {c: later.placed_under(c, "2025-06") for c in ("01969", "01975", "01978", "01984", "02017")} == {
        "01969": "01969", "01975": "01969", "01978": "01981", "01984": "01849", "02017": "02014"}
    assert later.placed_under("063", "2025-06") is None  # the district's line ends without a successor
    frame = pd.DataFrame({"period": ["2025-06"] * 3 + ["2025-12"], "unit_code": ["01969", "01975", "063", "01969"],
                          "unit_name": ["Thị trấn Phủ Thông", "Xã Vi Hương", "Huyện Bạch Thông", "Xã Phủ Thông"]})
    placed = place_history(frame, later)
    assert placed["unit_code"].tolist() == ["01969", "01969", "063", "01969"]
    assert placed["unit_name"].tolist() == ["Xã Phủ Thông", "Xã Phủ Thông", "Huyện Bạch Thông", "Xã Phủ Thông"]
    assert placed["placed_from"].tolist() == ["01969", "01975", "", ""]  # the town is another unit than the commune


def test_successor_that_absorbed_outside_units_is_marked_partial(units):
    """Xã Phong Quang (01849) took the code of a commune this table does not hold: it took in more
    than Đôn Phong, so comparing it with Đôn Phong's figures is partial. The other four have their
    own code among their predecessors."""
    later = units.at("2025-12")
    assert later.took_in_outside_units("01849")
    assert not any(later.took_in_outside_units(c) for c in ("01969", "01981", "02008", "02014"))
    before = pd.DataFrame({"period": "2025-06", "unit_code": ["01984", "02014", "02017", "01975"],
                           "unit_name": "", "plan_vnd": 1, "disbursed_vnd": 1})
    table = an.reorganisation(an.placed_periods({"2025-06": before}, later), later).set_index("unit_code")
    assert table.at["01849", "partial"] and table.at["01849", "outside"]
    assert not table.at["02014", "partial"] and table.at["02014", "from_names"] == ["Xã Dương Phong", "Xã Quang Thuận"]
    # Phủ Thông took in four units; three of them reported nothing here: partial as well.
    assert table.at["01969", "partial"] and sorted(table.at["01969", "missing"]) == [
        "Thị trấn Phủ Thông", "Xã Lục Bình", "Xã Tân Tú"]
    note = across_change_note(table.reset_index(), "vi")
    assert "theo địa giới hành chính từ 01/07/2025" in note
    assert "So sánh chưa đầy đủ (partial) đối với Xã Phong Quang, Xã Phủ Thông" in note
    assert "partial for Xã Phong Quang" in across_change_note(table.reset_index(), "en")


def test_trajectory_and_change_across_the_change_are_under_the_successors(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], name="Tân Tú"), Sheet(rows=[HOUSING], name="Vi Hương"),
                  Sheet(rows=[HOUSING], name="Đôn Phong"), period="2025-06")
    grown = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 8, "400", 5, "300", None, None)
    make_workbook("b.xlsx", Sheet(rows=[grown], name="Phủ Thông"), Sheet(rows=[HOUSING], name="Phong Quang"),
                  period="2025-12")
    clean(mtqg, data_dir, "2025-06")
    clean(mtqg, data_dir, "2025-12")
    quality = load_quality("2025-12", data_dir, rebuild="never")
    assert not (quality["check"] == "cumulative_decrease").any()  # 2025-06 compared under the successors
    year = load_year("2025-12", data_dir)
    placed = an.placed_periods(year.periods, year.units)
    mine = an.trajectory(placed, unit_code="01969")
    assert mine["period"].tolist() == ["2025-06", "2025-12"]
    assert mine["disbursed_vnd"].tolist() == [100_000_000, 300_000_000]  # Tân Tú + Vi Hương, then Phủ Thông
    change = an.in_period_change(placed["2025-12"], placed["2025-06"])
    assert change.set_index("unit_code").at["01969", "disbursed_vnd_change"] == 200_000_000
    assert an.place_name(year.funding, year.units) == "Tỉnh Thái Nguyên"
    assert an.place_name(year.periods["2025-06"], load_year("2025-06", data_dir).units) == "Huyện Bạch Thông"


# --- levels of place ----------------------------------------------------------------------------------
def test_units_are_grouped_by_parent_and_own_budgets_are_not_ranked(units):
    view = units.at("2024-06")
    frame = pd.DataFrame({
        "period": "2024-06", "unit_code": ["063", "01975", "01993"],
        "unit_name": ["Huyện Bạch Thông", "Xã Vi Hương", "Xã Tân Tú"], "line_code": "DA1.ND2",
        "measure_unit": "nhà", "plan_qty": [1.0, 2.0, 3.0], "done_qty": [0.0, 1.0, 1.0],
        "plan_vnd": [1_000, 2_000, 4_000], "disbursed_vnd": [1_000, 1_000, 1_000]})
    assert an.has_levels(frame, view) and not an.has_levels(frame[frame["unit_code"] != "063"], view)
    table = an.by_place(frame, view)
    assert table["row"].tolist() == ["group", "own", "unit", "unit"]
    assert table["unit_code"].tolist() == ["", "063", "01975", "01993"]
    assert table["plan_vnd"].tolist() == [7_000, 1_000, 2_000, 4_000]
    assert an.ranking(frame, view)["unit_code"].tolist() == ["01975", "01993"]  # communes with communes
    assert an.place_name(frame, view) == "Huyện Bạch Thông"


def test_units_loaded_without_a_date_name_each_periods_own_units(units):
    """``load_units()`` without a date is seen at the period of the table it is used with: in 2024
    the town is "TT Phủ Thông" and 02014 is Dương Phong, not today's communes."""
    from conftest_aggregate import h1_frame

    frame = h1_frame()
    text = narrative(frame, units=load_units())
    assert "TT Phủ Thông" in text and "Dương Phong" in text
    assert "Vĩnh Thông" not in text and "Bạch Thông" not in text.replace("huyện Bạch Thông", "")
    assert an.place_name(frame, load_units()) == "Huyện Bạch Thông"


def test_a_provinces_own_agencies_beside_its_communes(data_dir, make_workbook, mtqg):
    """"Cấp tỉnh" reports beside two communes in 2025-09: the title names the province, its own
    budget has its own line in the table by place and no rank among the communes."""
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], name="Phủ Thông"), Sheet(rows=[WATER], name="Vĩnh Thông"),
                  Sheet(rows=[HOUSING, WATER], name="Cấp tỉnh"), period="2025-09")
    clean(mtqg, data_dir, "2025-09")
    year = load_year("2025-09", data_dir)
    assert set(year.funding["unit_code"]) == {"01969", "01981", "19"}
    assert an.has_levels(year.funding, year.units) and an.place_name(year.funding, year.units) == "Tỉnh Thái Nguyên"
    assert sorted(an.ranking(year.funding, year.units)["unit_code"]) == ["01969", "01981"]  # not the province
    shown = place_table(year.funding, year.units, "vi")["place"].tolist()
    assert shown == ["Tỉnh Thái Nguyên (cộng)", "Cấp tỉnh (Tỉnh Thái Nguyên)", "\u2003Xã Phủ Thông", "\u2003Xã Vĩnh Thông"]
    quality = load_quality("2025-09", data_dir, rebuild="never")
    assert "19" not in set(quality.loc[quality["check"] == "unit_missing", "unit_code"])


def test_a_province_with_districts_groups_communes_by_district(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind,parent_code,aliases,valid_from,valid_to,successor_code\n"
                    "06,Tỉnh A,tinh,,,2020-01-01,,\n061,Huyện B,huyen,06,,2020-01-01,,\n062,Huyện C,huyen,06,,2020-01-01,,\n"
                    "00001,Xã D,xa,061,,2020-01-01,,\n00002,Xã E,xa,061,,2020-01-01,,\n00003,Xã G,xa,062,,2020-01-01,,\n",
                    encoding="utf-8")
    units = load_units(path).at("2024-06")
    frame = pd.DataFrame({"period": "2024-06", "unit_code": ["00001", "00002", "00003", "062"],
                          "unit_name": ["Xã D", "Xã E", "Xã G", "Huyện C"], "line_code": "DA1.ND2",
                          "measure_unit": "nhà", "plan_qty": 1.0, "done_qty": 0.0, "plan_vnd": [10, 20, 40, 80],
                          "disbursed_vnd": [5, 5, 5, 5]})
    table = an.by_place(frame, units)
    assert table[["row", "group_code", "unit_code"]].values.tolist() == [
        ["group", "061", ""], ["unit", "061", "00001"], ["unit", "061", "00002"],
        ["group", "062", ""], ["own", "062", "062"], ["unit", "062", "00003"]]
    assert table.loc[table["row"] == "group", "plan_vnd"].tolist() == [30, 120]
    assert an.place_name(frame, units) == "Tỉnh A" and an.has_levels(frame, units)
