"""Numbers in Vietnamese notation, both ways: as communes write them (spec §3.1 "Numbers") and
as the reports show them (spec §5).

Reading: numeric cells are taken as they are. Text uses Vietnamese notation: "." groups thousands
and "," is the decimal mark ("2.041" is two thousand and forty-one, "807,463" is 807.463,
"1.066,4", "30,43%"). "-", "–" and empty mean zero (the caller decides where "not reported"
applies instead). Anything else ("12a", "1.2.3") is not a number and is reported, never guessed.

Money is whole đồng (int64, spec §4.1): :func:`to_dong` converts an amount in a sheet's money unit,
rounding half away from zero.

Writing: amounts in triệu đồng ("2.041", "807,463", "1.066,4"), rates with two decimals
("30,43%"), English notation with ``lang="en"`` ("2,041", "807.463", "30.43%"). The symbols come
from Babel's locale data; conversions go through :class:`decimal.Decimal`, so 807 463 000 đồng is
exactly "807,463". NaN means "not reported" and is shown as ``missing`` ("–" by default).
"""
from __future__ import annotations

import math
import numbers
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .labels import check_lang
from .text import normalize, normalize_series

DASHES = {"-", "–", "—", "−", "_", "--"}
_DASH_PATTERN = r"[-–—−_]{1,2}"

# Digits grouped by "." (or spaces) in threes, optional decimal part after ",".
_VI_GROUPED = r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?"
# Plain digits with an optional decimal part after ",".
_VI_PLAIN = r"\d+(?:,\d+)?"
# A single "." not followed by exactly three digits cannot be a thousands separator:
# "30.43" typed by someone with an English keyboard is taken as a decimal point.
_DOT_DECIMAL = r"\d+\.(?:\d{1,2}|\d{4,})"
_NUMBER = re.compile(rf"^(?P<sign>[+-]?)\s*(?P<body>{_VI_GROUPED}|{_VI_PLAIN}|{_DOT_DECIMAL})\s*(?P<pct>%?)$")


class NotANumber(ValueError):
    """A cell text that is not a number in Vietnamese (or plain) notation."""


def _body_to_float(body: str) -> float:
    if "," in body:
        integer, decimals = body.split(",", 1)
        return float(integer.replace(".", "").replace(" ", "") + "." + decimals)
    if re.fullmatch(_DOT_DECIMAL, body):
        return float(body)
    return float(body.replace(".", "").replace(" ", ""))


def parse_number(value, *, allow_percent: bool = False) -> float | None:
    """One cell value as a float; ``None`` where the cell is blank or a dash.

    >>> parse_number("1.066,4"), parse_number("807,463"), parse_number("2.041"), parse_number("-")
    (1066.4, 807.463, 2041.0, None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, numbers.Number):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise NotANumber(str(value))
        return number
    text = normalize(value)
    if text == "" or re.fullmatch(_DASH_PATTERN, text):  # as parse_numbers: "-", "–", "--", "-–" ...
        return None
    match = _NUMBER.match(text)
    if not match or (match["pct"] and not allow_percent):
        raise NotANumber(text)
    number = _body_to_float(match["body"])
    return -number if match["sign"] == "-" else number


def parse_numbers(values: pd.Series, *, allow_percent: bool = False) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorised :func:`parse_number` for a column of raw cell values.

    Returns ``(numbers, blank, bad)``: floats (NaN where blank or bad), a mask of blank/dash cells
    and a mask of cells that are not numbers.
    """
    values = values.astype("object")
    is_number = values.map(lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool), na_action=None)
    is_null = values.isna()
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    numeric = is_number & ~is_null
    out[numeric] = values[numeric].astype("float64")
    bad = pd.Series(False, index=values.index)
    bad[numeric] = ~np.isfinite(out[numeric])

    text_mask = ~numeric & ~is_null
    text = normalize_series(values[text_mask])
    blank_text = (text == "") | text.str.fullmatch(_DASH_PATTERN)
    parts = text.str.extract(_NUMBER)
    parsed = parts["body"].notna() & (allow_percent | (parts["pct"].fillna("") == ""))
    body = parts["body"].where(parsed)
    has_comma = body.str.contains(",", regex=False, na=False)
    dot_decimal = body.str.fullmatch(_DOT_DECIMAL, na=False)
    cleaned = body.str.replace(" ", "", regex=False)
    cleaned = cleaned.where(dot_decimal, cleaned.str.replace(".", "", regex=False))
    cleaned = cleaned.where(~has_comma, cleaned.str.replace(",", ".", regex=False))
    magnitude = pd.to_numeric(cleaned, errors="coerce")
    signed = magnitude.where(parts["sign"] != "-", -magnitude)
    out[text_mask] = signed.astype("float64")
    bad[text_mask] = ~blank_text & ~parsed

    blank = is_null.copy()
    blank[text_mask] = blank_text
    return out, blank, bad


def to_dong(amount: float, dong_per_unit: int) -> int:
    """An amount in the sheet's money unit as whole đồng, rounded half away from zero (spec §4.1)."""
    exact = Decimal(repr(float(amount))) * dong_per_unit
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def series_to_dong(amounts: pd.Series, dong_per_unit: pd.Series | int) -> pd.Series:
    """Vectorised :func:`to_dong`; NaN becomes 0.

    The product is rounded in floating point, except where it lies within a hair of a half
    đồng: there binary floats cannot be trusted (1,0000005 triệu is 1000000,4999… in binary),
    so those few values are redone exactly from their decimal repr.
    """
    factor = dong_per_unit.to_numpy("int64") if isinstance(dong_per_unit, pd.Series) else np.int64(dong_per_unit)
    values = amounts.to_numpy("float64")
    product = np.nan_to_num(values) * factor
    rounded = np.sign(product) * np.floor(np.abs(product) + 0.5)
    near_half = np.abs(np.abs(product) % 1 - 0.5) < 1e-6
    result = rounded.astype("int64")
    for i in np.flatnonzero(near_half):
        f = int(factor[i]) if np.ndim(factor) else int(factor)
        result[i] = to_dong(values[i], f)
    return pd.Series(result, index=amounts.index, dtype="int64")


# --- writing (spec §5) -----------------------------------------------------------------------------
DASH = "–"
VND_PER_TRIEU = 1_000_000


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pd.NA compares to NA
        return True


@lru_cache(maxsize=None)
def _symbols(lang: str) -> dict[int, str]:
    """From the notation Python writes (``format(number, ",f")``: "," groups thousands, "."
    marks decimals, "-" for negatives) to the locale's, as Babel's data has them."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    locale = Locale.parse(lang)
    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale),
                          "-": get_minus_sign_symbol(locale)})


def _to_decimal(value) -> Decimal:
    """Decimal of a number: floats by their shortest repr (0.1 -> 0.1, not 0.1000000000000000055),
    integers (numpy included) exactly."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        return Decimal(repr(float(value)))
    try:
        return Decimal(int(value)) if int(value) == value else Decimal(repr(float(value)))
    except (TypeError, ValueError, OverflowError):
        return Decimal(str(value))


def decimal_text(value, decimals: int = 3, lang: str = "vi", *, fixed: bool = False,
                 missing: str = DASH) -> str:
    """A number with up to ``decimals`` decimals (exactly ``decimals`` with ``fixed``), rounded
    half away from zero, trailing zeros dropped unless ``fixed``."""
    check_lang(lang)
    if _is_missing(value):
        return missing
    number = _to_decimal(value)
    step = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    number = number.quantize(step, rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # never "-0"
    if decimals > 0 and not fixed:
        number = number.normalize()  # trailing zeros dropped ("1.066,4", not "1.066,400")
    # Babel's format_decimal writes the same (tests/test_format.py holds them equal) at a tenth
    # of the cost: a scorecard writes some three hundred numbers, thousands of scorecards a period
    return format(number, ",f").translate(_symbols(lang))


def to_trieu(vnd) -> Decimal:
    """Whole đồng as an exact Decimal number of triệu đồng (807463000 -> Decimal("807.463"))."""
    return Decimal(int(vnd)) / VND_PER_TRIEU


def amount(vnd, lang: str = "vi", *, decimals: int = 3, missing: str = DASH) -> str:
    """An amount given in đồng, shown in triệu đồng: 2041000000 -> "2.041", 807463000 ->
    "807,463", 1066400000 -> "1.066,4" (``lang="en"``: "2,041", "807.463")."""
    if _is_missing(vnd):
        return decimal_text(None, missing=missing, lang=lang)
    if isinstance(vnd, float) and not vnd.is_integer():
        raise ParameterError(f"an amount in đồng must be whole, got {vnd!r}")
    return decimal_text(to_trieu(vnd), decimals, lang, missing=missing)


def percent(ratio, lang: str = "vi", *, decimals: int = 2, missing: str = DASH) -> str:
    """A ratio as a percentage with two decimals: 0.304347... -> "30,43%" ("30.43%" in English).
    NaN (no denominator) gives ``missing``."""
    if _is_missing(ratio) or (isinstance(ratio, float) and math.isinf(ratio)):
        return decimal_text(None, missing=missing, lang=lang)
    return decimal_text(Decimal(repr(float(ratio))) * 100, decimals, lang, fixed=True) + "%"


def quantity(value, lang: str = "vi", *, decimals: int = 3, missing: str = DASH) -> str:
    """A physical quantity: 46.0 -> "46", 1184.5 -> "1.184,5"; NaN (not reported) -> ``missing``."""
    return decimal_text(value, decimals, lang, missing=missing)


def points(ratio_difference, lang: str = "vi", *, missing: str = DASH) -> str:
    """A difference of two rates in percentage points: -0.1234 -> "-12,34"."""
    if _is_missing(ratio_difference):
        return missing
    return decimal_text(Decimal(repr(float(ratio_difference))) * 100, 2, lang, fixed=True)
