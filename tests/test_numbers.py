"""Numbers as communes write them (spec §3.1 "Numbers") and money in whole đồng (spec §4.1).

Property tests: a number written in Vietnamese notation (as Babel's ``vi`` locale writes it, or
with an explicit grouping pattern) reads back as the same value; the vectorised parser agrees
with the one-cell parser on anything, junk included; conversions to đồng round half away from zero.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from babel.numbers import format_decimal
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mtqg_analysis.domain.notation import NotANumber, parse_number, parse_numbers, series_to_dong, to_dong

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=3,
                      allow_nan=False, allow_infinity=False)


@given(amounts)
def test_babel_vietnamese_notation_reads_back(value):
    text = format_decimal(value, locale="vi")
    assert parse_number(text) == pytest.approx(float(value), rel=1e-15, abs=1e-9)


@given(amounts, st.sampled_from(["#,##0.00", "#,##0.###", "#,##0", "0.###"]))
def test_explicit_grouping_patterns_read_back(value, pattern):
    text = format_decimal(value, format=pattern, locale="vi")
    expected = float(Decimal(text.replace(".", "").replace(",", ".")))  # what the text says
    assert parse_number(text) == pytest.approx(expected, rel=1e-15, abs=1e-9)


@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("1000"), places=2))
def test_percent_reads_back_where_percent_is_allowed(value):
    text = format_decimal(value, locale="vi") + "%"
    assert parse_number(text, allow_percent=True) == pytest.approx(float(value))
    with pytest.raises(NotANumber):
        parse_number(text)


@pytest.mark.parametrize("text, value", [("2.041", 2041.0), ("807,463", 807.463), ("1.066,4", 1066.4),
                                         ("1 066,4", 1066.4), ("30,43%", None), ("-", None), ("–", None),
                                         ("", None), ("0", 0.0), ("-12,5", -12.5)])
def test_vietnamese_notation_examples_of_the_spec(text, value):
    if text.endswith("%"):
        assert parse_number(text, allow_percent=True) == 30.43
    else:
        assert parse_number(text) == value


@pytest.mark.parametrize("text", ["12a", "1.2.3", "1,2,3", "abc", "12 nhà", "1..2", "--5"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(NotANumber):
        parse_number(text)


junk_text = st.text(alphabet="0123456789.,-–—_ %a\u00a0", max_size=12)
cells = st.one_of(
    st.none(),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    amounts.map(lambda d: format_decimal(d, locale="vi")),
    junk_text,
    st.booleans(),
)


@settings(max_examples=300, deadline=None)  # no timing assertions: shared, noisy machines
@given(st.lists(cells, max_size=30), st.booleans())
@example(["__", "-–", "—-", "--", "- -", "−"], False)
def test_vectorised_parser_agrees_with_the_one_cell_parser(values, allow_percent):
    numbers, blank, bad = parse_numbers(pd.Series(values, dtype=object), allow_percent=allow_percent)
    for i, value in enumerate(values):
        try:
            expected = parse_number(value, allow_percent=allow_percent)
        except NotANumber:
            assert bad.iloc[i] and not blank.iloc[i], repr(value)
            continue
        assert not bad.iloc[i], repr(value)
        if expected is None:
            assert blank.iloc[i] and math.isnan(numbers.iloc[i]), repr(value)
        else:
            assert not blank.iloc[i], repr(value)
            assert numbers.iloc[i] == pytest.approx(expected, rel=1e-15), repr(value)


@pytest.mark.parametrize("amount, per_unit, dong", [
    (0.5, 1, 1), (-0.5, 1, -1), (2.5, 1, 3), (-2.5, 1, -3), (1.4999, 1, 1),
    (1.0000005, 1_000_000, 1_000_001), (807.463, 1_000_000, 807_463_000), (0.0005, 1_000, 1),
    (1066.4, 1_000_000, 1_066_400_000), (2.0415, 1_000, 2_042),
])
def test_to_dong_rounds_half_away_from_zero(amount, per_unit, dong):
    assert to_dong(amount, per_unit) == dong
    assert series_to_dong(pd.Series([amount]), per_unit).iloc[0] == dong


@given(st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=7),
       st.sampled_from([1, 1_000, 1_000_000, 1_000_000_000]))
def test_to_dong_is_the_decimal_value_rounded_half_away_from_zero(value, per_unit):
    expected = int((value * per_unit).to_integral_value(rounding=ROUND_HALF_UP))
    assert to_dong(float(value), per_unit) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=7),
                          st.sampled_from([1, 1_000, 1_000_000])), max_size=20))
def test_series_to_dong_agrees_with_to_dong(pairs):
    amounts = pd.Series([float(v) for v, _ in pairs], dtype="float64")
    per_unit = pd.Series([m for _, m in pairs], dtype="int64")
    got = series_to_dong(amounts, per_unit)
    assert got.dtype == "int64"
    assert got.tolist() == [to_dong(float(v), m) for v, m in pairs]
