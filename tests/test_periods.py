"""Reporting periods (spec §1): canonical form, aliases, labels, the previous period of a year, the
year-end window ``YYYY-EXT`` and phases."""
from __future__ import annotations

import datetime as dt

import pytest

from mtqg_analysis.errors import ParameterError
from mtqg_analysis.domain.periods import (Period, canonical, is_period, label, parse_period, parse_phase, phase_label,
                                         previous_in_year, year_end_periods, year_so_far)


@pytest.mark.parametrize("text, expected", [
    ("2024-06", "2024-06"), ("2024-01", "2024-01"), ("2024-12", "2024-12"), (" 2024-09 ", "2024-09"),
])
def test_canonical_form_is_year_and_month(text, expected):
    assert canonical(text) == expected


@pytest.mark.parametrize("alias, expected", [
    ("2024-H1", "2024-06"), ("2024-h1", "2024-06"), ("2024-9M", "2024-09"), ("2024-FY", "2024-12"),
    ("2024", "2024-12"), ("2024-Q1", "2024-03"), ("2024-Q2", "2024-06"), ("2024-Q3", "2024-09"),
    ("2024-Q4", "2024-12"), ("2024-q3", "2024-09"),
])
def test_aliases_name_a_canonical_period(alias, expected):
    assert canonical(alias) == expected
    assert is_period(alias)


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "abc", "", "24-06", "2024-6", "2024-Q5", "2024-H2",
                                  "2024/06", "06-2024", "1999-06"])
def test_anything_else_is_a_clear_error(text):
    with pytest.raises(ParameterError) as info:
        parse_period(text)
    assert "is not a reporting period" in str(info.value)
    assert "YYYY-MM" in str(info.value) and "YYYY-H1" in str(info.value)
    assert not is_period(text)


@pytest.mark.parametrize("period, vi", [
    ("2024-03", "quý I năm 2024"), ("2024-06", "6 tháng đầu năm 2024"), ("2024-09", "9 tháng năm 2024"),
    ("2024-12", "năm 2024"), ("2024-10", "tháng 10 năm 2024"), ("2024-H1", "6 tháng đầu năm 2024"),
])
def test_vietnamese_labels(period, vi):
    assert label(period, "vi") == vi


def test_period_is_year_to_date_share_of_the_year():
    assert parse_period("2024-06").share_of_year == 0.5
    assert parse_period("2024-FY").share_of_year == 1.0


@pytest.mark.parametrize("period, available, expected", [
    ("2024-09", ["2024-06", "2024-09", "2024-12"], "2024-06"),
    ("2024-12", ["2024-06", "2024-09", "2024-12"], "2024-09"),
    ("2024-06", ["2023-12", "2024-06", "2024-09"], None),
    ("2024-09", ["2024-H1", "2024-03"], "2024-06"),
    ("2025-03", ["2024-12"], None),
])
def test_previous_period_is_the_latest_earlier_one_of_the_same_year(period, available, expected):
    previous = previous_in_year(period, available)
    assert (str(previous) if previous else None) == expected


def test_periods_order_by_time():
    assert sorted(map(parse_period, ["2024-12", "2023-06", "2024-H1"])) == [
        Period(2023, 6), Period(2024, 6), Period(2024, 12)]


# --- the year-end window (YYYY-EXT) and phases (spec §1) ---------------------------------------------
@pytest.mark.parametrize("text", ["2025-EXT", "2025-ext", " 2025-Ext "])
def test_year_end_window_is_a_period_of_its_own(text):
    period = parse_period(text)
    assert str(period) == canonical(text) == "2025-EXT"
    assert period.extended and period.year == 2025 and is_period(text)


def test_year_end_window_sorts_after_december_and_before_the_next_year():
    ordered = sorted(map(parse_period, ["2026-03", "2025-EXT", "2025-12", "2025-06"]))
    assert [str(p) for p in ordered] == ["2025-06", "2025-12", "2025-EXT", "2026-03"]


def test_year_end_window_follows_december_and_is_followed_by_nothing_of_its_year():
    assert str(previous_in_year("2025-EXT", ["2025-06", "2025-12", "2025-EXT"])) == "2025-12"
    assert str(previous_in_year("2025-EXT", ["2025-06", "2025-09"])) == "2025-09"
    assert previous_in_year("2026-03", ["2025-EXT"]) is None
    assert [str(p) for p in year_so_far("2025-12", ["2025-06", "2025-12", "2025-EXT"])] == ["2025-06", "2025-12"]


def test_year_end_window_labels_and_dates():
    assert label("2025-EXT", "vi") == "năm 2025 (giải ngân đến 31/01/2026)"
    assert label("2025-EXT", "en") == "year 2025 (disbursed until 31/01/2026)"
    assert parse_period("2025-EXT").end_date == dt.date(2025, 12, 31)  # units in force on 31 December
    assert parse_period("2025-06").end_date == dt.date(2025, 6, 30)
    assert parse_period("2024-02").end_date == dt.date(2024, 2, 29)
    assert parse_period("2025-EXT").share_of_year == 1.0


@pytest.mark.parametrize("text", ["2025-EXT1", "EXT", "2025-EX", "2025-13-EXT"])
def test_malformed_year_end_windows_are_refused(text):
    with pytest.raises(ParameterError, match="YYYY-EXT"):
        parse_period(text)


def test_phases_span_years_and_take_each_years_last_period():
    phase = parse_phase("2021-2025")
    assert str(phase) == "2021-2025" and phase.years == [2021, 2022, 2023, 2024, 2025]
    assert phase_label(phase, "vi") == "giai đoạn 2021-2025"
    chosen = year_end_periods(phase, ["2024-06", "2024-12", "2025-06", "2025-12", "2025-EXT", "2026-06", "2023-09"])
    assert {year: str(p) for year, p in chosen.items()} == {2023: "2023-09", 2024: "2024-12", 2025: "2025-EXT"}
    for bad in ("2025-2021", "2021", "2021-25", "abc"):
        with pytest.raises(ParameterError, match="is not a phase"):
            parse_phase(bad)
