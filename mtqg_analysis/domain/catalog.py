"""Programme catalogs (spec §2.2) and matching report labels to them (spec §3.1 "Rows").

A catalog lists every project (Dự án), sub-project (Tiểu dự án), content (Nội dung) and item of a
programme with its code, parent, level, names, usual physical unit and usual capital type; its
first row may be the programme itself (level ``programme``: its names are the report's title).
The package ships the catalogs listed in ``data/programmes.csv`` (the 1719 programme, the default,
and the sustainable poverty reduction programme); a data folder uses ``raw/catalog.csv`` when it
has one. A catalog of another programme is a CSV of the same columns: no code changes.

A report row's label is matched by its code words ("Dự án 1", "DA1", "TDA 2", "Nội dung số 02",
"ND 02") or by its name, read in the context of the project and sub-project rows above it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import InputError, InputErrors, ParameterError
from . import resources
from .labels import label
from .text import fold

LEVELS = ["project", "subproject", "content", "item"]
PROGRAMME = "programme"  #: the level of a catalog's first row when it names the programme
COLUMNS = ["code", "parent", "level", "vi_name", "en_name", "default_unit", "default_capital"]
DEFAULT_PROGRAMME = "1719"  #: the key, in ``data/programmes.csv``, of the catalog used by default


@dataclass(frozen=True)
class LabelMatch:
    code: str
    by: str  # "code" or "name": how the label was recognised


class Catalog:
    """The catalog as a DataFrame (``.frame``, indexed by code) plus label matching."""

    def __init__(self, frame: pd.DataFrame, source: str = "catalog.csv"):
        frame = frame.copy()
        self.source = source
        # The programme's own row names the report; the tree below it starts at its projects.
        self.programme: dict[str, str] = {}
        first = frame.iloc[0] if len(frame) else None
        if first is not None and first["level"] == PROGRAMME:
            self.programme = {"code": first["code"], "vi": first["vi_name"], "en": first["en_name"]}
            frame = frame.iloc[1:].copy()
            frame.loc[frame["parent"] == self.programme["code"], "parent"] = ""
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
        self._level = dict(zip(self.frame["code"], self.frame["level"]))
        # names are read for every line of every table of thousands of scorecards
        self._names_by_lang = {"vi": dict(zip(self.frame["code"], self.frame["vi_name"])),
                               "en": dict(zip(self.frame["code"], self.frame["en_name"]))}
        self._ancestors: dict[str, list[str]] = {}
        self._children: dict[str, list[str]] = {}
        for code, parent in self._parent.items():
            self._children.setdefault(parent, []).append(code)

    # -- the programme -----------------------------------------------------------------------
    @property
    def programme_code(self) -> str:
        return self.programme.get("code", "")

    def programme_name(self, lang: str = "vi") -> str:
        """The programme's name from the catalog's first row, else a generic name (label
        ``programme.unnamed``)."""
        return self.programme.get(lang) or self.programme.get("vi") or label("programme.unnamed", lang)

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
            if self._level[c] == level:
                return c
        return None

    def name(self, code: str, lang: str = "vi") -> str:
        return self._names_by_lang["en" if lang == "en" else "vi"][code]

    def level(self, code: str) -> str:
        """The line's ``level`` in the catalog (project, subproject, content, item)."""
        return self._level[code]

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


def programmes() -> pd.DataFrame:
    """The packaged catalogs (``data/programmes.csv``): ``programme`` key, ``catalog`` file, note."""
    return resources.table("programmes.csv")


def programme_file(programme: str) -> str:
    """The packaged catalog file of a programme key ("1719", "giam-ngheo")."""
    table = programmes()
    found = table.loc[table["programme"] == programme, "catalog"]
    if found.empty:
        raise ParameterError(f"unknown programme {programme!r}; the package ships: {', '.join(table['programme'])} "
                             "(another programme: copy its catalog to data/raw/catalog.csv)")
    return found.iloc[0]


@lru_cache(maxsize=None)
def packaged_catalog(programme: str = DEFAULT_PROGRAMME) -> Catalog:
    """A catalog the package ships (``data/programmes.csv``); the default is the 1719 programme's,
    a copy of ``../shared/spec/catalog.csv`` with the programme's own row first."""
    name = programme_file(programme)
    return Catalog(resources.table(name), f"the packaged {name}")


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The catalog at ``path`` (a data folder's ``raw/catalog.csv``), checked; the packaged
    default (1719) when ``path`` is None."""
    if path is None:
        return packaged_catalog()
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError.of("catalog.unreadable", path.name, reason=exc) from None
    errors = catalog_errors(frame, path.name)
    if errors:
        raise InputErrors(errors, path.name)
    return Catalog(frame[COLUMNS], path.name)


def catalog_errors(frame: pd.DataFrame, file: str) -> list[InputError]:
    """What makes a catalog CSV unusable, each naming its row and column: missing columns,
    codes given twice, parents that are not codes, unknown levels, a programme row not first."""
    missing = [c for c in ("code", "parent", "level", "vi_name") if c not in frame.columns]
    if missing:
        return [InputError.of("catalog.missing_columns", file, "", 1, missing=missing, columns=COLUMNS)]
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame[COLUMNS] = frame[COLUMNS].apply(lambda s: s.str.strip())
    errors = []
    rows = frame.index.to_series() + 2  # the CSV line: header is line 1
    for i in frame.index[frame["code"] == ""]:
        errors.append(InputError.of("catalog.no_code", file, "", int(rows[i]), "code"))
    for i in frame.index[frame["code"].duplicated() & (frame["code"] != "")]:
        errors.append(InputError.of("catalog.code_twice", file, "", int(rows[i]), "code", code=frame.at[i, "code"]))
    known = set(frame["code"])
    for i in frame.index[(frame["parent"] != "") & ~frame["parent"].isin(known)]:
        errors.append(InputError.of("catalog.bad_parent", file, "", int(rows[i]), "parent", parent=frame.at[i, "parent"]))
    levels = [PROGRAMME, *LEVELS]
    for i in frame.index[~frame["level"].isin(levels)]:
        errors.append(InputError.of("catalog.bad_level", file, "", int(rows[i]), "level", level=frame.at[i, "level"],
                                    levels=levels))
    for i in frame.index[(frame["level"] == PROGRAMME) & (frame.index != frame.index[0])]:
        errors.append(InputError.of("catalog.programme_not_first", file, "", int(rows[i]), "level"))
    return errors
