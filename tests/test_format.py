"""Spec §5 notation: amounts in triệu đồng and rates, Vietnamese and English."""
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from babel.numbers import format_decimal
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mtqg_analysis.domain import notation as fmt
from mtqg_analysis.errors import ParameterError


@pytest.mark.parametrize("vnd, text", [
    (2_041_000_000, "2.041"), (807_463_000, "807,463"), (1_066_400_000, "1.066,4"),
    (11_685_233_000, "11.685,233"), (31_804_400_000, "31.804,4"), (133_770_000, "133,77"),
    (616_000_000, "616"), (0, "0"),
])
def test_amount_vietnamese_notation_in_trieu_dong(vnd, text):
    assert fmt.amount(vnd) == text
    assert fmt.amount(np.int64(vnd)) == text


@pytest.mark.parametrize("vnd, text", [(2_041_000_000, "2,041"), (807_463_000, "807.463"),
                                       (11_685_233_000, "11,685.233")])
def test_amount_english_notation(vnd, text):
    assert fmt.amount(vnd, lang="en") == text


def test_amount_rounds_half_away_from_zero_to_three_decimals():
    assert fmt.amount(1_500) == "0,002"
    assert fmt.amount(1_499) == "0,001"
    assert fmt.amount(-1_500) == "-0,002"
    assert fmt.amount(400) == "0"  # never "-0"
    assert fmt.amount(-400) == "0"


def test_amount_negative_and_missing():
    assert fmt.amount(-807_463_000) == "-807,463"
    assert fmt.amount(float("nan")) == "–"
    assert fmt.amount(None, missing="") == ""


def test_amount_does_not_drift_on_large_sums():
    # 0.1 + 0.2 style drift would show here as ...,999
    vnd = sum([100_000] * 30)  # 3 triệu made of 0,1 triệu pieces
    assert fmt.amount(vnd) == "3"
    assert fmt.amount(123_456_789_123_000) == "123.456.789,123"


def test_amount_refuses_fractional_dong():
    with pytest.raises(ParameterError):
        fmt.amount(1.5)


@pytest.mark.parametrize("ratio, text", [
    (14 / 46, "30,43%"), (616 / 2041, "30,18%"), (44 / 74, "59,46%"), (132 / 223, "59,19%"),
    (919 / 4550, "20,20%"), (2471 / 6993, "35,34%"), (807.463 / 2629, "30,71%"),
    (6606 / 14302, "46,19%"), (133.77 / 1066.4, "12,54%"), (11685.233 / 31804.4, "36,74%"),
    (0.0, "0,00%"), (1.0, "100,00%"), (-0.05, "-5,00%"), (12.5, "1.250,00%"),
])
def test_rate_two_decimals_vietnamese(ratio, text):
    assert fmt.percent(ratio) == text


def test_rate_english_and_missing():
    assert fmt.percent(14 / 46, "en") == "30.43%"
    assert fmt.percent(math.nan) == "–"
    assert fmt.percent(np.float64("nan"), missing="") == ""
    assert fmt.percent(math.inf) == "–"


def test_quantity_drops_trailing_zeros():
    assert fmt.quantity(46.0) == "46"
    assert fmt.quantity(1184.5) == "1.184,5"
    assert fmt.quantity(1184.5, "en") == "1,184.5"
    assert fmt.quantity(np.nan) == "–"


def test_period_label_and_bad_language():
    from mtqg_analysis.domain.periods import label

    assert label("2024-H1") == "6 tháng đầu năm 2024"
    assert label("2024-09") == "9 tháng năm 2024"
    assert label("2024-06", "en") == "first half of 2024"
    with pytest.raises(ParameterError, match="unknown language"):
        fmt.amount(1, lang="fr")


def test_format_table_formats_by_column_kind():
    import pandas as pd
    frame = pd.DataFrame({"code": ["DA1.ND2"], "plan_vnd": [2_041_000_000], "financial_rate": [616 / 2041],
                          "plan_qty": [46.0], "share_of_total_plan": [np.nan]})
    from mtqg_analysis.report.format import formatted

    out = formatted(frame)
    assert out.iloc[0].tolist() == ["DA1.ND2", "2.041", "30,18%", "46", "–"]


@settings(max_examples=400, deadline=None)
@given(value=st.one_of(st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=6,
                                   allow_nan=False, allow_infinity=False),
                       st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(-10**15, 10**15)),
       decimals=st.integers(0, 3), fixed=st.booleans(), lang=st.sampled_from(["vi", "en"]))
@example(value=Decimal("1066.4"), decimals=3, fixed=False, lang="vi")
@example(value=-0.0004, decimals=3, fixed=True, lang="en")
def test_numbers_are_written_as_babel_writes_them(value, decimals, fixed, lang):
    """decimal_text writes with Python's own formatting and the locale's symbols: what Babel's
    format_decimal writes for the same pattern, after the same rounding half away from zero."""
    number = fmt._to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + ("0" if fixed else "#") * decimals if decimals else "")
    expected = format_decimal(abs(number) if number == 0 else number, format=pattern, locale=lang,
                              decimal_quantization=True)
    assert fmt.decimal_text(value, decimals, lang, fixed=fixed) == expected
