"""The program catalog (Decision 1719/QĐ-TTg) and matching report labels to it (spec §3.1 "Rows").

``catalog.csv`` lists every project (Dự án), sub-project (Tiểu dự án), content (Nội dung) and item
with its code, parent, level, names, usual physical unit and usual capital type. A report row's
label is matched by its code words ("Dự án 1", "DA1", "TDA 2", "Nội dung số 02", "ND 02") or by
its name, read in the context of the project and sub-project rows above it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import resources
from .text import fold

LEVELS = ["project", "subproject", "content", "item"]


@dataclass(frozen=True)
class LabelMatch:
    code: str
    by: str  # "code" or "name": how the label was recognised


class Catalog:
    """The catalog as a DataFrame (``.frame``, indexed by code) plus label matching."""

    def __init__(self, frame: pd.DataFrame):
        frame = frame.copy()
        frame["order"] = range(len(frame))
        self.frame = frame.set_index("code", drop=False)
        self._patterns = [
            (row.level, re.compile(row.pattern, re.IGNORECASE))
            for row in resources.table("code_words.csv").itertuples()
        ]
        self._code_word = {}  # code -> (level, number) of its own code word, if it has one
        self._names = {}  # folded name without code words -> [codes]
        for row in self.frame.itertuples():
            level, number, rest = self.split_code_word(row.vi_name)
            if number is not None:
                self._code_word[row.code] = (level, number)
            self._names.setdefault(rest, []).append(row.code)
            self._names.setdefault(fold(row.vi_name), []).append(row.code)
        self._names = {k: sorted(set(v), key=lambda c: self.frame.at[c, "order"]) for k, v in self._names.items()}
        # Structure lookups are hot (every row of every sheet): keep them as plain dicts.
        self._parent = dict(zip(self.frame["code"], self.frame["parent"]))
        self._order = dict(zip(self.frame["code"], self.frame["order"]))
        self._default_unit = dict(zip(self.frame["code"], self.frame["default_unit"]))
        self._ancestors: dict[str, list[str]] = {}
        self._children: dict[str, list[str]] = {}
        for code, parent in self._parent.items():
            self._children.setdefault(parent, []).append(code)

    # -- structure ---------------------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        return list(self.frame.index)

    def parent(self, code: str) -> str:
        return self._parent[code]

    def ancestors(self, code: str) -> list[str]:
        """Ancestors of ``code``, nearest first."""
        if code not in self._ancestors:
            out = []
            parent = self.parent(code)
            while parent:
                out.append(parent)
                parent = self.parent(parent)
            self._ancestors[code] = out
        return list(self._ancestors[code])

    def is_descendant(self, code: str, ancestor: str) -> bool:
        if code not in self._ancestors:
            self.ancestors(code)
        return ancestor in self._ancestors[code]

    def children(self, code: str | None) -> list[str]:
        return self._children.get(code or "", [])

    def project_of(self, code: str) -> str:
        chain = [code] + self.ancestors(code)
        return chain[-1]

    def at_level(self, code: str, level: str) -> str | None:
        """The ancestor-or-self of ``code`` at ``level`` (None if the line has no such level)."""
        for c in [code] + self.ancestors(code):
            if self.frame.at[c, "level"] == level:
                return c
        return None

    def name(self, code: str, lang: str = "vi") -> str:
        return self.frame.at[code, "en_name" if lang == "en" else "vi_name"]

    def default_unit(self, code: str) -> str:
        return self._default_unit[code]

    def default_capital(self, code: str) -> str:
        """The capital type a line usually has (dtpt/sn), inherited from the nearest ancestor."""
        for c in [code] + self.ancestors(code):
            if self.frame.at[c, "default_capital"]:
                return self.frame.at[c, "default_capital"]
        return ""

    def order(self, code: str) -> int:
        return int(self._order[code])

    # -- label matching ----------------------------------------------------------------------
    def split_code_word(self, label: str) -> tuple[str | None, int | None, str]:
        """("content", 2, "hỗ trợ nhà ở") for "Nội dung số 02: Hỗ trợ nhà ở"; no code word gives
        (None, None, folded label)."""
        text = fold(label)
        for level, pattern in self._patterns:
            match = pattern.match(text)
            if match:
                rest = text[match.end():].lstrip(" :.-–—)").strip()
                return level, int(match.group(1)), rest
        return None, None, text.strip(" :.")

    def match(self, label: str, context: list[str] | tuple[str, ...] = ()) -> LabelMatch | None:
        """Match a label, given the codes of the matched rows above it (outermost first).

        A code word is looked up among the children of the context, innermost first ("ND 02"
        under Dự án 1 is DA1.ND2); a name is looked up the same way, then across the whole
        catalog where it is unique.
        """
        level, number, rest = self.split_code_word(label)
        scopes = [*reversed(list(context)), None]
        if number is not None:
            for scope in scopes:
                for child in self.children(scope):
                    if self._code_word.get(child) == (level, number):
                        return LabelMatch(child, "code")
        for name in ([rest] if number is None else [rest, fold(label)]):
            codes = self._names.get(name, [])
            for scope in scopes:
                for code in codes:
                    if self.parent(code) == (scope or ""):
                        return LabelMatch(code, "name")
            if len(codes) == 1:
                return LabelMatch(codes[0], "name")
        return None

    def match_code(self, text: str) -> str | None:
        """A catalog code given as such ("DA1.ND2", "da1.nd2")."""
        wanted = fold(text).upper()
        return wanted if wanted in self.frame.index else None


@lru_cache(maxsize=None)
def load_catalog() -> Catalog:
    """The packaged catalog (a copy of ``../shared/spec/catalog.csv``)."""
    return Catalog(resources.table("catalog.csv"))
