"""Totals at every level of the catalog and of place (spec §5), with the measures of
:mod:`.measures`.

The tidy table holds only leaf (data) lines. A leaf's amounts roll up to its ancestors: at level
"project" DA1.ND2 and DA1.ND4.PT both count for DA1. A leaf that has no ancestor at the requested
level stays as itself (DA8 at level "subproject" is DA8).
"""
from __future__ import annotations

import copy
from collections.abc import Mapping

import pandas as pd

from ..domain.catalog import LEVELS, Catalog, load_catalog
from ..domain.labels import check_lang
from ..domain.text import vietnamese_sort_key
from ..errors import ParameterError
from .capital import CAPITAL_RATES, capital_rates
from .measures import ratio, summarise, text_column

#: "line" is the leaf line itself; the others are catalog levels.
GROUP_LEVELS = ["line", *LEVELS]
_NOT_IN_CATALOG = 10**6


def _catalog(catalog: Catalog | None) -> Catalog:
    return catalog if catalog is not None else load_catalog()


def _order(codes, cat: Catalog) -> list[int]:
    return [cat.order(c) if c in cat.frame.index else _NOT_IN_CATALOG for c in codes]


def with_effective_capital(frame: pd.DataFrame, catalog: Catalog | None = None) -> pd.DataFrame:
    """Add ``effective_capital``: the row's ``capital_type``, or where the report did not split,
    the line's usual capital type from the catalog (DA4.TDA1.DTBD -> "sn", DA4.TDA1.ND1 -> "dtpt")."""
    cat = _catalog(catalog)
    out = frame.copy()
    given = text_column(out["capital_type"])
    codes = text_column(out["line_code"])
    default = codes.map({c: cat.default_capital(c) if c in cat.frame.index else "" for c in codes.unique()})
    out["effective_capital"] = given.where(given != "", default)
    return out


def with_line_names(frame: pd.DataFrame, catalog: Catalog | None = None, lang: str = "vi") -> pd.DataFrame:
    """Add ``line_name`` (the catalog's name of each row's line, in ``lang``) and ``project`` (the
    code of the project the line belongs to, ``DA1`` for ``DA1.ND2``), so that rows read as the
    catalog and the notice name them. A code the catalog does not know keeps itself as its name."""
    check_lang(lang)
    cat = _catalog(catalog)
    codes = text_column(frame["line_code"])
    known = {c: c in cat.frame.index for c in codes.unique()}
    out = frame.copy()
    out["line_name"] = codes.map({c: cat.name(c, lang) if ok else c for c, ok in known.items()})
    out["project"] = codes.map({c: cat.project_of(c) if ok else c for c, ok in known.items()})
    return out


def with_group(frame: pd.DataFrame, level: str, catalog: Catalog | None = None) -> pd.DataFrame:
    """Add ``group_code``: the ancestor-or-self of each row's line at ``level`` (the line itself
    when it has none, or when ``level`` is "line")."""
    if level not in GROUP_LEVELS:
        raise ParameterError(f"unknown catalog level '{level}'; use one of: {', '.join(GROUP_LEVELS)}")
    cat = _catalog(catalog)
    out = frame.copy()
    codes = text_column(out["line_code"])
    if level == "line":
        out["group_code"] = codes
    else:
        out["group_code"] = codes.map({c: (cat.at_level(c, level) if c in cat.frame.index else None) or c
                                       for c in codes.unique()})
    return out


def _in_catalog_order(out: pd.DataFrame, cat: Catalog, lang: str, at: int) -> pd.DataFrame:
    """``out`` (a ``code`` column) with the catalog's ``level`` and ``name`` of each code inserted
    at column ``at``, sorted into catalog order (stable); each code looked up once."""
    codes = out["code"].unique()
    known = {c: c in cat.frame.index for c in codes}
    out.insert(at, "level", out["code"].map({c: cat.level(c) if known[c] else "" for c in codes}))
    out.insert(at + 1, "name", out["code"].map({c: cat.name(c, lang) if known[c] else c for c in codes}))
    out["_order"] = out["code"].map(dict(zip(codes, _order(codes, cat))))
    return out.sort_values("_order", kind="stable").drop(columns="_order")


def by_level(frame: pd.DataFrame, level: str = "project", catalog: Catalog | None = None,
             lang: str = "vi", capital_years: bool = False) -> pd.DataFrame:
    """One row per catalog code at ``level`` (``code``, ``level``, ``name``), in catalog order.

    ``level`` is "project", "subproject", "content", "item" or "line" (the leaf lines as they are).
    ``capital_years`` adds the financial rates of the year's own capital and of carried-over
    capital (``own_financial_rate``, ``carried_financial_rate``, spec §5) beside the combined one.
    """
    check_lang(lang)
    cat = _catalog(catalog)
    rows = with_group(frame, level, cat)
    out = summarise(rows, ["group_code"]).rename(columns={"group_code": "code"})
    if capital_years:
        rates = capital_rates(rows, ["group_code"]).rename(columns={"group_code": "code"})
        out = out.merge(rates[["code", *CAPITAL_RATES]], on="code", how="left")
    return _in_catalog_order(out, cat, lang, 1).reset_index(drop=True)


class PerUnit(Mapping):
    """``{unit code: its rows of a table}``, each cut out when asked for (thousands of units: a
    worker asks for the few it renders)."""

    def __init__(self, table: pd.DataFrame):
        self._rows = table.drop(columns="unit_code")
        self._at = table.groupby("unit_code", sort=False).indices

    def __getitem__(self, unit_code: str) -> pd.DataFrame:
        return self._rows.iloc[self._at[unit_code]].reset_index(drop=True)

    def assign(self, **columns) -> PerUnit:
        """The same units, with ``columns`` added to the rows of all of them at once (as
        ``DataFrame.assign`` takes them: values or functions of the whole table)."""
        out = copy.copy(self)
        out._rows = self._rows.assign(**columns)
        return out

    def __iter__(self):
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


def by_level_per_unit(frame: pd.DataFrame, level: str = "line", catalog: Catalog | None = None,
                      lang: str = "vi") -> PerUnit:
    """:func:`by_level` of each unit's rows with ``capital_years=True``, for every unit of ``frame``
    at once: ``{unit code: table}``. A scorecard reads its unit's table instead of grouping its
    rows again: one grouping for a period (``year.once(by_level_per_unit, funding, ...)``), not
    two per scorecard. Shares of plan are of the unit's own plan, as :func:`by_level` has them."""
    check_lang(lang)
    cat = _catalog(catalog)
    rows = with_group(frame, level, cat)
    keys = ["unit_code", "group_code"]
    out = summarise(rows, keys)
    plan = out["plan_vnd"]
    out["share_of_total_plan"] = ratio(plan, plan.groupby(out["unit_code"], sort=False).transform("sum"))
    rates = capital_rates(rows, keys)[[*keys, *CAPITAL_RATES]]
    out = out.merge(rates, on=keys, how="left").rename(columns={"group_code": "code"})
    return PerUnit(_in_catalog_order(out, cat, lang, 2))


def by_unit(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per unit (``unit_code``, ``unit_name``), in unit-code order."""
    out = summarise(frame, ["unit_code", "unit_name"])
    return out.sort_values("unit_code", kind="stable").reset_index(drop=True)


def by_capital_type(frame: pd.DataFrame, catalog: Catalog | None = None) -> pd.DataFrame:
    """One row per effective capital type (``effective_capital``: "dtpt", "sn", or "" for lines
    the catalog does not type)."""
    rows = with_effective_capital(frame, catalog)
    out = summarise(rows, ["effective_capital"])
    order = {"dtpt": 0, "sn": 1}
    return out.sort_values("effective_capital", key=lambda s: s.map(order).fillna(2),
                           kind="stable").reset_index(drop=True)


def by_budget_source(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per budget source ("nstw", "nsdp", or "" where the report did not split)."""
    rows = frame.assign(budget_source=text_column(frame["budget_source"]))
    out = summarise(rows, ["budget_source"])
    order = {"nstw": 0, "nsdp": 1}
    return out.sort_values("budget_source", key=lambda s: s.map(order).fillna(2),
                           kind="stable").reset_index(drop=True)


def by_unit_level(frame: pd.DataFrame, level: str = "project", catalog: Catalog | None = None) -> pd.DataFrame:
    """Units crossed with catalog codes at ``level`` (``unit_code``, ``unit_name``, ``code``);
    ``share_of_total_plan`` is the share of the whole input's plan."""
    cat = _catalog(catalog)
    rows = with_group(frame, level, cat)
    out = summarise(rows, ["unit_code", "unit_name", "group_code"]).rename(columns={"group_code": "code"})
    out["_order"] = _order(out["code"], cat)
    out = out.sort_values(["unit_code", "_order"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def by_line_unit(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (line, unit): the splits of a line in a unit summed (``line_code``,
    ``unit_code``, ``unit_name``). The base of the per-line unit lists."""
    return summarise(frame, ["line_code", "unit_code", "unit_name"])


def pivot_rates(frame: pd.DataFrame, catalog: Catalog | None = None, value: str = "financial_rate",
                level: str = "project") -> pd.DataFrame:
    """Units (rows, by name, in Vietnamese alphabetical order) x catalog codes at ``level``
    (columns, in catalog order) of ``value``; NaN where a unit has no plan there: the heat map of
    the report."""
    cat = _catalog(catalog)
    crossed = by_unit_level(frame, level, cat)
    table = crossed.pivot(index="unit_code", columns="code", values=value)
    names = crossed.drop_duplicates("unit_code").set_index("unit_code")["unit_name"]
    table = table[sorted(table.columns, key=lambda c: _order([c], cat)[0])]
    table.index = [names[c] for c in table.index]
    table.index.name = "unit_name"
    return table.sort_index(key=lambda s: s.map(vietnamese_sort_key), kind="stable")


def by_tree(frame: pd.DataFrame, catalog: Catalog | None = None, lang: str = "vi",
            capital_years: bool = False) -> pd.DataFrame:
    """The catalog as an annex shows it: each project with data, its sub-projects and its lines,
    in catalog order, each row with its totals (``code``, ``level``, ``depth``, ``name``,
    ``is_line``). Projects, sub-projects and the reported lines are always rows; a content or item
    between them is a row only when it groups two or more reported lines and is not the only
    group of its parent (otherwise its figures would repeat the row above). One table, with no
    figure shown twice, instead of one table per level. ``capital_years`` adds the own-year and
    carried-over rates, as :func:`by_level` does."""
    cat = _catalog(catalog)
    codes = text_column(frame["line_code"])
    leaves = [c for c in codes.unique() if c in cat.frame.index]
    chains = {leaf: [leaf] + cat.ancestors(leaf) for leaf in leaves}
    present: dict[str, set[str]] = {}
    for leaf, chain in chains.items():
        for child, parent in zip(chain, chain[1:]):
            present.setdefault(parent, set()).add(child)

    def shown(code: str) -> bool:
        level = cat.level(code)
        parent = cat.parent(code)
        return (code in chains or level in ("project", "subproject")
                or (len(present.get(code, ())) > 1 and len(present.get(parent, ())) > 1))

    rows = []
    for leaf, chain in chains.items():
        for code in chain:
            if shown(code):
                rows.append((leaf, code))
    exploded = pd.DataFrame(rows, columns=["line_code", "group_code"])
    data = frame[codes.isin(leaves).to_numpy()].assign(line_code=codes[codes.isin(leaves)].to_numpy())
    joined = data.merge(exploded, on="line_code", how="inner")
    out = summarise(joined, ["group_code"], int(data["plan_vnd"].astype("int64").sum())).rename(
        columns={"group_code": "code"})
    if capital_years:
        rates = capital_rates(joined, ["group_code"]).rename(columns={"group_code": "code"})
        out = out.merge(rates[["code", "own_financial_rate", "carried_financial_rate"]], on="code", how="left")
    out.insert(1, "level", [cat.level(c) for c in out["code"]])
    out.insert(2, "depth", [sum(shown(a) for a in cat.ancestors(c)) for c in out["code"]])
    out.insert(3, "name", [cat.name(c, lang) for c in out["code"]])
    out.insert(4, "is_line", out["code"].isin(chains))
    out["_order"] = _order(out["code"], cat)
    return out.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
