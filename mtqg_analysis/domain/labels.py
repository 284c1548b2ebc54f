"""Every word a reader sees, in Vietnamese and English, from ``data/labels.csv``.

Column headers, section headings, captions, sheet names, the index page and the period labels
all come from that one file: to change a word, edit the CSV. ``label("plan", "en")`` gives one
entry; entries with ``{placeholders}`` are filled by :func:`fill`.
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import ParameterError
from . import resources

LANGS = ("vi", "en")  #: the languages the package writes; Vietnamese first, it is what officers read


def check_lang(lang) -> str:
    """``lang`` if it is one the package writes, else a :class:`ParameterError`."""
    if lang not in LANGS:
        raise ParameterError(f"unknown language {lang!r}; use one of: {', '.join(LANGS)}")
    return lang


@lru_cache(maxsize=None)
def labels(lang: str = "vi") -> dict[str, str]:
    """All labels of ``lang`` as a dict key -> text."""
    table = resources.table("labels.csv").set_index("key")
    return table[check_lang(lang)].to_dict()


def label(key: str, lang: str = "vi") -> str:
    """The label ``key`` in ``lang`` (a KeyError names a key missing from labels.csv)."""
    try:
        return labels(lang)[key]
    except KeyError:
        raise KeyError(f"no label '{key}' in data/labels.csv") from None


def fill(key: str, lang: str = "vi", **values) -> str:
    """The label ``key`` with its ``{placeholders}`` filled from ``values``."""
    return label(key, lang).format(**values)


def with_prefix(prefix: str, lang: str = "vi") -> dict[str, str]:
    """The labels whose key starts with ``prefix``, keyed by the rest: ``with_prefix("section.")``."""
    return {k[len(prefix):]: v for k, v in labels(lang).items() if k.startswith(prefix)}
