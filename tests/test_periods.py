"""Reporting periods (spec §1): canonical form, aliases, labels, the previous period of a year."""
from __future__ import annotations

import pytest

from mtqg_analysis.errors import ParameterError
from mtqg_analysis.domain.periods import Period, canonical, is_period, label, parse_period, previous_in_year


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
