"""Numbers as officers write them (spec §5): amounts in triệu đồng, rates in percent.

Vietnamese notation groups thousands with "." and uses "," as the decimal mark: "2.041",
"807,463", "1.066,4", "11.685,233", "30,43%". English notation (``lang="en"``) swaps them:
"2,041", "807.463", "30.43%". The symbols come from Babel's locale data, not string tricks.

Money arrives as whole đồng (int64, spec §4.1). Converting to triệu đồng goes through
:class:`decimal.Decimal`, so 807 463 000 đồng is exactly "807,463" and never "807,46299999".
NaN means "not reported": it is shown as ``missing`` ("–" unless the caller asks for "").
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from .errors import ParameterError
from .periods import label

LANGS = ("vi", "en")
DASH = "–"
VND_PER_TRIEU = 1_000_000


def check_lang(lang: str) -> str:
    """``lang`` if it is one the package writes ("vi", "en"), else a :class:`ParameterError`."""
    if lang not in LANGS:
        raise ParameterError(f"unknown language '{lang}'; use one of: {', '.join(LANGS)}")
    return lang


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pd.NA compares to NA
        return True


def _pattern(decimals: int, fixed: bool) -> str:
    if decimals <= 0:
        return "#,##0"
    return "#,##0." + ("0" if fixed else "#") * decimals


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
    return format_decimal(number, format=_pattern(decimals, fixed), locale=lang,
                          decimal_quantization=True)


def _to_decimal(value) -> Decimal:
    """Decimal of a number: floats by their shortest repr (0.1 -> 0.1, not 0.1000000000000000055),
    integers (numpy included) exactly."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (float,)) or type(value).__name__.startswith("float"):
        return Decimal(repr(float(value)))
    try:
        return Decimal(int(value)) if int(value) == value else Decimal(repr(float(value)))
    except (TypeError, ValueError, OverflowError):
        return Decimal(str(value))


def to_trieu(vnd) -> Decimal:
    """Whole đồng as an exact Decimal number of triệu đồng (807463000 -> Decimal("807.463"))."""
    return Decimal(int(vnd)) / VND_PER_TRIEU


def amount(vnd, lang: str = "vi", *, decimals: int = 3, missing: str = DASH) -> str:
    """An amount given in đồng, shown in triệu đồng: 2041000000 -> "2.041", 807463000 ->
    "807,463", 1066400000 -> "1.066,4" (``lang="en"``: "2,041", "807.463")."""
    if _is_missing(vnd):
        return decimal_text(None, missing=missing, lang=lang)
    if isinstance(vnd, float):
        if not vnd.is_integer():
            raise ParameterError(f"an amount in đồng must be whole, got {vnd!r}")
    return decimal_text(to_trieu(vnd), decimals, lang, missing=missing)


def rate(ratio, lang: str = "vi", *, decimals: int = 2, missing: str = DASH) -> str:
    """A ratio as a percentage with two decimals: 0.304347... -> "30,43%" ("30.43%" in English).
    NaN (no denominator) gives ``missing``."""
    if _is_missing(ratio) or (isinstance(ratio, float) and math.isinf(ratio)):
        return decimal_text(None, missing=missing, lang=lang)
    return decimal_text(Decimal(repr(float(ratio))) * 100, decimals, lang, fixed=True) + "%"


def quantity(value, lang: str = "vi", *, decimals: int = 3, missing: str = DASH) -> str:
    """A physical quantity: 46.0 -> "46", 1184.5 -> "1.184,5"; NaN (not reported) -> ``missing``."""
    return decimal_text(value, decimals, lang, missing=missing)


def period_label(period, lang: str = "vi") -> str:
    """"6 tháng đầu năm 2024" / "first half of 2024" (spec §1)."""
    return label(period, check_lang(lang))


def format_table(frame, lang: str = "vi", *, missing: str = DASH):
    """A copy of an aggregate table with money (``*_vnd``) in triệu đồng, rates (``*_rate``,
    ``share_*``) in percent and quantities (``*_qty``) as text, ready to show."""
    out = frame.copy()
    for column in out.columns:
        name = str(column)
        if name.endswith("_vnd"):
            out[column] = [amount(v, lang, missing=missing) for v in out[column]]
        elif name.endswith("_rate") or name.startswith("share_"):
            out[column] = [rate(v, lang, missing=missing) for v in out[column]]
        elif name.endswith("_qty"):
            out[column] = [quantity(v, lang, missing=missing) for v in out[column]]
    return out
