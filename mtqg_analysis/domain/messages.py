"""The words of input errors in Vietnamese and English, from ``data/errors.csv``.

An error is raised with a key of that file and the values its template names
(:meth:`mtqg_analysis.errors.InputError.of`); its English text is the ``message`` cleaning prints,
and ``mtqg check`` prints the Vietnamese one. A part of a message that differs by case (why a file
is not a workbook, which column is missing) is a :class:`~mtqg_analysis.errors.Phrase`, itself a
key of the same file. Numbers written with a thousands separator (``{cells:,}``) follow the
language's notation (1.000.000 in Vietnamese).
"""
from __future__ import annotations

import re
import string
from functools import lru_cache

from . import resources
from .labels import check_lang

_NUMBER_SPEC = re.compile(r"^,(?:\.(?P<decimals>\d+))?[df]?$")


@lru_cache(maxsize=None)
def templates(lang: str) -> dict[str, str]:
    """Every error template of ``lang``, keyed by its key."""
    table = resources.table("errors.csv").set_index("key")
    return table[check_lang(lang)].to_dict()


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value, format_spec: str):
        number = _NUMBER_SPEC.match(format_spec or "")
        if number and self.lang != "en" and isinstance(value, (int, float)):
            from .notation import decimal_text

            return decimal_text(value, int(number["decimals"] or 0), self.lang, fixed=True)
        return super().format_field(value, format_spec)


def shown(value, lang: str):
    """A value as its template shows it: a phrase in ``lang``, a text given in both languages
    (``{"vi": ..., "en": ...}``, from another data file) in ``lang``, a list joined by commas."""
    if hasattr(value, "text") and hasattr(value, "key"):
        return value.text(lang)
    if isinstance(value, dict) and "en" in value:
        return value.get(lang, value["en"])
    if isinstance(value, (list, tuple)):
        return ", ".join(str(shown(v, lang)) for v in value)
    return value


def error_text(key: str, lang: str, values: dict) -> str:
    """The template ``key`` of ``lang`` filled with ``values`` (a KeyError names a missing key)."""
    try:
        template = templates(lang)[key]
    except KeyError:
        raise KeyError(f"no error '{key}' in data/errors.csv") from None
    return _Formatter(lang).vformat(template, (), {name: shown(v, lang) for name, v in values.items()})


def fields(template: str) -> set[str]:
    """The names a template fills (``{cells:,}`` -> ``cells``)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
