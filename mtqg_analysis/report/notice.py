"""Section 2 of the district notice ("Kết quả thực hiện chương trình ...") from the tidy table.

    narrative(year.funding, previous=year.previous, units=year.units, lang="en")

Line by line in catalog order, grouped under project (and sub-project) headings, each line in
the style of the notice: plan, planned and done quantities, disbursed, and both rates, each named
(physical "khối lượng" vs financial "kế hoạch vốn"), with the communes the notice would name.
The wording lives in ``data/narrative_vi.txt`` and ``data/narrative_en.txt``; this module only
decides which template a line gets and fills it in. Lists of communes are in Vietnamese
alphabetical order (a ranked list, "the highest rates", keeps its rank order); a clause has a
form for one commune and for all of them where its templates give one (``clause_any_one``,
``clause_any_all``); changes are said in words ("tăng", "giảm", "chưa giải ngân thêm"), never
with a sign; a line with a plan and nothing disbursed gets its sentence, with what the communes
noted beside it.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from .. import analysis as an
from ..domain import notation as fmt
from ..domain import resources
from ..domain.catalog import Catalog, load_catalog
from ..domain.labels import check_lang
from ..domain.periods import Period, label
from ..domain.units import Units, short_name
from ..errors import ParameterError
from .headline import place_words


# --- templates -------------------------------------------------------------------------------------
def parse_templates(text: str) -> dict[str, dict[str, str]]:
    """``{section: {key: value}}`` from the templates format (see ``data/narrative_vi.txt``)."""
    sections: dict[str, dict[str, str]] = {}
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), {})
            continue
        key, sep, value = line.partition(" = ")
        if not sep or current is None:
            raise ValueError(f"templates line {number}: expected [section] or 'key = value': {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
            value = value[1:-1]
        current[key.strip()] = value
    return sections


@lru_cache(maxsize=None)
def templates(lang: str = "vi") -> dict[str, dict[str, str]]:
    """The packaged templates of ``lang``."""
    check_lang(lang)
    return parse_templates(resources.read_text(f"narrative_{lang}.txt"))


class _Wording:
    """Looks up a line's template keys: its ``[line CODE]`` section, then its kind's section. The
    kinds of lines come from the ``[lines PROGRAMME]`` section of the catalog's programme."""

    def __init__(self, lang: str, programme: str = ""):
        self.t = templates(lang)
        self.lang = lang
        self.kinds = self.t.get(f"lines {programme}", {})

    def kind_of(self, code: str, has_qty: bool, disbursed: int) -> str:
        if disbursed == 0:
            return "nothing"
        kind = self.kinds.get(code)
        if kind is None:
            kind = "quantity" if has_qty else "money"
        if kind in ("housing", "water", "projects", "works", "quantity") and not has_qty:
            kind = "money"
        return kind

    def get(self, code: str, kind: str, key: str, default: str | None = None) -> str:
        for section in (f"line {code}", kind):
            value = self.t.get(section, {}).get(key)
            if value is not None:
                return value
        if default is None:
            raise KeyError(f"narrative templates ({self.lang}): no '{key}' for {kind} / {code}")
        return default

    def doc(self, key: str) -> str:
        return self.t["document"][key]


# --- helpers ---------------------------------------------------------------------------------------
def _short_names(codes, frame: pd.DataFrame, units: Units | None) -> list[str]:
    """Short names ("Tân Tú", "TT Phủ Thông") of unit codes, in the order given: from the units
    table, else from the rows' names (read only when a code is not in the table: a notice of 3,000
    communes names them on many lines)."""
    codes = list(codes)
    known = (lambda code: code in units.frame.index) if units is not None else (lambda code: False)
    names = {} if all(map(known, codes)) else dict(zip(frame["unit_code"].astype(str), frame["unit_name"].astype(str)))
    return [units.short_name(c) if known(c) else short_name(names.get(c, c)) for c in codes]


def _period_phrase(period: Period, w: _Wording) -> str:
    phrases = w.t["periods"]
    template = phrases["ext"] if period.extended else phrases.get(str(period.month), phrases["other"])
    return template.format(year=period.year, month=period.month, next_year=period.year + 1)


def _project_heading_name(name: str, lang: str) -> str:
    """"Dự án 1: Giải quyết ..." as the notice heads it: "Dự án 1. Giải quyết ..."."""
    return re.sub(r"^(Dự án \d+)\s*:\s*", r"\1. ", name) if lang == "vi" else name


def _fill(template: str, values: dict) -> str:
    try:
        return template.format(**values)
    except KeyError as exc:  # a template names a placeholder this module does not fill
        raise KeyError(f"narrative template placeholder {exc} unknown in: {template!r}") from None


def _clause(code: str, kind: str, name: str, members: list[str], assigned: int, w: _Wording, join: str) -> str:
    """One clause, in its form for one commune or for all communes with a plan where the
    templates give one."""
    form = ""
    if len(members) == 1:
        form = "_one"
    elif assigned > 1 and len(members) == assigned:
        form = "_all"
    template = w.get(code, kind, f"clause_{name}{form}", "") if form else ""
    template = template or w.get(code, kind, f"clause_{name}")
    return _fill(template, {"units": join.join(members), "count": len(members)})


def _clauses(code: str, kind: str, lists: dict[str, list[str]], w: _Wording, join: str) -> str:
    parts = []
    assigned = len(lists.get("assigned", []))
    for name in w.get(code, kind, "clauses", "").split():
        members = lists.get(name, [])
        if members:
            parts.append(_clause(code, kind, name, members, assigned, w, join))
    if not parts:
        return ""
    return _fill(w.get(code, kind, "units", " ({clauses})"), {"clauses": w.get(code, kind, "join", "; ").join(parts)})


def _values(row, lang: str) -> dict:
    return {
        "plan": fmt.amount(row["plan_vnd"], lang), "disbursed": fmt.amount(row["disbursed_vnd"], lang),
        "plan_qty": fmt.quantity(row["plan_qty"], lang), "done_qty": fmt.quantity(row["done_qty"], lang),
        "measure_unit": row.get("measure_unit", "") or "",
        "financial_rate": fmt.percent(row["financial_rate"], lang),
        "physical_rate": fmt.percent(row["physical_rate"], lang),
    }


def _unit_lists(rows: pd.DataFrame, frame: pd.DataFrame, units) -> dict[str, list[str]]:
    """The communes a line's sentence may name (the district level is never listed as a xã)."""
    table = an.line_units(rows.assign(line_code="_"), units=units)

    def names(mask):
        return an.sorted_names(_short_names(list(table.loc[mask, "unit_code"]), frame, units))

    ranked = table[table["disbursed_any"]].sort_values(
        ["financial_rate", "disbursed_vnd", "unit_code"], ascending=[False, False, True], kind="stable")
    return {
        "any": names(table["disbursed_any"]), "full": names(table["disbursed_full"]),
        "none": names(table["disbursed_none"]), "rest": ["…"] if table["disbursed_none"].any() else [],
        "done": names(table["outputs_done"]), "assigned": names(table["has_plan"]),
        "top": _short_names(list(ranked["unit_code"].head(2)), frame, units),
    }


def _change_text(code: str, rows: pd.DataFrame, previous_rows: pd.DataFrame | None, previous: Period,
                 w: _Wording, measure_unit: str) -> str:
    change = an.in_period_change(rows.assign(_k="_"), previous_rows.assign(_k="_")
                                  if previous_rows is not None and len(previous_rows) else None, ["_k"]).iloc[0]
    lang = w.lang
    values = {"previous_label": label(previous, lang), "measure_unit": measure_unit}
    disbursed = int(change["disbursed_vnd_change"])
    if disbursed < 0:
        return _fill(w.t["change"]["line_down"], {**values, "disbursed_change": fmt.amount(-disbursed, lang)})
    done = change["done_qty_change"]
    done_text = ""
    if pd.notna(done) and done > 0:
        done_text = _fill(w.t["change"]["done_change"], {**values, "done_qty_change": fmt.quantity(done, lang)})
    if disbursed == 0:
        return _fill(w.t["change"]["line_none"], {**values, "done_change": done_text})
    return _fill(w.t["change"]["line"], {**values, "disbursed_change": fmt.amount(disbursed, lang),
                                          "done_change": done_text})


def _plan_change_text(plan_change: int, w: _Wording) -> str:
    """A plan adjustment in words: "kế hoạch vốn tăng 1.283,685 triệu đồng" / "giảm 119,4 triệu đồng"."""
    if not plan_change:
        return ""
    key = "plan_up" if plan_change > 0 else "plan_down"
    return _fill(w.t["change"][key], {"plan_change": fmt.amount(abs(plan_change), w.lang)})


def _notes_text(code: str, kind: str, rows: pd.DataFrame, units, frame: pd.DataFrame, w: _Wording) -> str:
    """What the communes noted beside a line (``notes`` of the line's kind): each note once, with
    the communes that wrote it."""
    template = w.get(code, kind, "notes", "")
    if not template:
        return ""
    notes = an.unit_notes(rows.assign(unit_name=rows["unit_code"]))
    if notes.empty:
        return ""
    items = []
    for note, group in notes.groupby("note", sort=False):
        names = an.sorted_names(set(_short_names(list(group["unit_name"]), frame, units)))
        items.append(_fill(w.get(code, kind, "note_item"), {"note": note.rstrip(". "),
                                                              "units": w.doc("list_join").join(names)}))
    return _fill(template, {"notes": w.get(code, kind, "note_join", "; ").join(items)})


def _line_sentences(code: str, rows: pd.DataFrame, frame: pd.DataFrame, units, period: Period,
                    w: _Wording, previous_rows, previous: Period | None, catalog: Catalog) -> tuple[list[str], str]:
    """The sentences of one line (one, or one per effective capital type for works) and the kind
    of template they used."""
    total = an.summarise(rows.assign(_k="_"), ["_k"]).iloc[0]
    has_qty = pd.notna(total["plan_qty"])
    kind = w.kind_of(code, has_qty, int(total["disbursed_vnd"]))
    join = w.doc("list_join")
    if kind == "works":
        rows = an.with_effective_capital(rows, catalog)
        parts = [(cap, rows[rows["effective_capital"] == cap]) for cap in ("sn", "dtpt", "")
                 if (rows["effective_capital"] == cap).any()]
    else:
        parts = [(None, rows)]
    out = []
    for capital, part in parts:
        agg = an.summarise(part.assign(_k="_"), ["_k"]).iloc[0]
        values = _values(agg, w.lang)
        values.update({
            "period_phrase": _period_phrase(period, w), "label": label(period, w.lang),
            "what": w.get(code, kind, "what", ""), "name": catalog.name(code, w.lang),
            "capital": w.doc(f"capital_{capital or ''}") if capital is not None else "",
        })
        values["units"] = _clauses(code, kind, _unit_lists(part, frame, units), w, join)
        # "the other projects/works continue": only when some of them remain (by count where
        # the line counts its outputs, else by money)
        if pd.notna(agg["plan_qty"]) and agg["plan_qty"] > 0:
            unfinished = pd.isna(agg["done_qty"]) or agg["done_qty"] < agg["plan_qty"]
        else:
            unfinished = agg["disbursed_vnd"] < agg["plan_vnd"]
        values["remaining"] = w.get(code, kind, "remaining", "") if unfinished else ""
        values["qty_clause"] = _fill(w.get(code, kind, "qty_clause", ""), values) if pd.notna(agg["plan_qty"]) else ""
        values["notes"] = _notes_text(code, kind, part, units, frame, w)
        text = _fill(w.get(code, kind, "text"), values)
        if previous is not None:
            prev_part = None
            if previous_rows is not None:
                prev_part = previous_rows
                if capital is not None:
                    prev_part = an.with_effective_capital(previous_rows, catalog)
                    prev_part = prev_part[prev_part["effective_capital"] == capital]
            text += _change_text(code, part, prev_part, previous, w, values["measure_unit"])
        out.append(text)
    return out, kind


# --- the section -----------------------------------------------------------------------------------
def narrative(frame: pd.DataFrame, period=None, *, previous: pd.DataFrame | None = None,
              units: Units | None = None, lang: str = "vi", heading: bool = True,
              catalog: Catalog | None = None) -> str:
    """Section 2 of the notice for a period, as markdown.

    ``frame``: the tidy table of the period (spec §4.1). ``period``: its period (default: its
    ``period`` column). ``previous``: the table of the previous period of the same year, to show
    the in-period change against (None for the first period of a year). ``units``: the units
    table, for short names and to tell communes from a district's own budget. ``lang``: "vi" or
    "en". ``heading``: start with the section title.
    """
    check_lang(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError("narrative() takes the tidy table of a period (a DataFrame), "
                             f"not {type(frame).__name__}; load it with mtqg_analysis.load_year")
    cat = catalog if catalog is not None else load_catalog()
    w = _Wording(lang, cat.programme_code)
    period = an.period_of(frame, period)
    units = an.seen_at(units, frame)  # names of the period's own units (a reused code, spec §2.1)
    previous_period = None
    if previous is not None:
        previous_period = an.period_of(previous)
        if previous_period.year != period.year or previous_period >= period:
            raise ParameterError(f"the previous period must be an earlier period of {period.year}, "
                                 f"got {previous_period} for {period}")
    out: list[str] = []
    if heading:
        out += [_fill(w.doc("title"), {"label": label(period, lang)}), ""]
    if frame.empty:
        out.append(_fill(w.t["nothing"]["text"], {"plan": fmt.amount(0, lang), "qty_clause": "", "units": "",
                                                   "period_phrase": _period_phrase(period, w)}))
        return "\n".join(out) + "\n"
    out += _overall(frame, period, previous, previous_period, units, w)
    out += _lines(frame, period, previous, previous_period, units, w, cat)
    return "\n".join(out).rstrip() + "\n"


def _overall(frame, period, previous_frame, previous_period, units, w: _Wording) -> list[str]:
    lang = w.lang
    tot = an.total(frame)
    join = w.doc("list_join")
    ov = w.t["overall"]
    top = an.top_units(frame, units, n=2)
    lists = {"top": _short_names(top, frame, units),
             "none": _short_names(an.units_nothing_disbursed(frame, units), frame, units)}
    lists["none"] = an.sorted_names(lists["none"])
    own = an.own_budget(frame, units) if units is not None else frame.iloc[0:0]
    place = an.place_of(frame, units)
    own_words = place_words(place, lang)["own"]
    values = {
        "plan": fmt.amount(tot["plan_vnd"], lang), "disbursed": fmt.amount(tot["disbursed_vnd"], lang),
        "financial_rate": fmt.percent(tot["financial_rate"], lang),
        "unit_count": len(an.commune_codes(frame["unit_code"].unique(), units)),
        "own": _fill(ov["own"], {"own": own_words[:1].lower() + own_words[1:]}) if len(own) else "",
    }
    communes = len(an.commune_codes(frame["unit_code"].unique(), units))
    parts = []
    for name in ov["clauses"].split():
        if lists.get(name):
            parts.append(_clause("", "overall", name, lists[name], communes if name == "none" else 0, w, join))
    values["units"] = _fill(ov["units"], {"clauses": ov["join"].join(parts)}) if parts else ""
    text = _fill(ov["text"], values)
    if previous_period is not None:
        change = an.district_change(frame, previous_frame)
        disbursed_change = change["disbursed_vnd_change"]
        key = "change" if disbursed_change > 0 else ("change_none" if disbursed_change == 0 else "change_down")
        text += _fill(ov[key], {"previous_label": label(previous_period, lang),
                                "disbursed_change": fmt.amount(abs(disbursed_change), lang),
                                "plan_change": _plan_change_text(change["plan_vnd_change"], w)})
    text += _carried_sentence(frame, period, w)
    heading = _fill(ov["heading"], {"whole": place_words(place, lang)["whole"]})
    return [heading, "", text, "", ov["rates_note"], ""]


def _carried_sentence(frame: pd.DataFrame, period: Period, w: _Wording) -> str:
    """The year's own capital and the capital carried over into it, each with its rate, where the
    reports split them (spec §5)."""
    if not an.has_carried(frame):
        return ""
    kinds = an.by_capital_kind(frame).set_index("capital_kind")
    lang, zero = w.lang, {"plan_vnd": 0, "disbursed_vnd": 0, "financial_rate": float("nan")}
    own = kinds.loc["own"] if "own" in kinds.index else pd.Series(zero)
    carried = kinds.loc["carried"]
    return _fill(w.t["carried"]["text"], {
        "year": period.year, "years": ", ".join(map(str, an.carried_years(frame))),
        "own_plan": fmt.amount(own["plan_vnd"], lang), "own_disbursed": fmt.amount(own["disbursed_vnd"], lang),
        "own_rate": fmt.percent(own["financial_rate"], lang),
        "carried_plan": fmt.amount(carried["plan_vnd"], lang),
        "carried_disbursed": fmt.amount(carried["disbursed_vnd"], lang),
        "carried_rate": fmt.percent(carried["financial_rate"], lang)})


def _lines(frame, period, previous_frame, previous_period, units, w: _Wording, cat: Catalog) -> list[str]:
    codes = sorted(frame["line_code"].astype(str).unique(), key=lambda c: cat.order(c) if c in cat.frame.index else 10**6)
    known = [c for c in codes if c in cat.frame.index]
    out: list[str] = []
    seen_headings: set[str] = set()
    projects_with_data = {cat.project_of(c) for c in known}
    for code in known:
        project = cat.project_of(code)
        if project not in seen_headings:
            seen_headings.add(project)
            out += [_fill(w.doc("project"), {"name": _project_heading_name(cat.name(project, w.lang), w.lang)}), ""]
        rows = frame[frame["line_code"] == code]
        prev_rows = None
        if previous_frame is not None:
            prev_rows = previous_frame[previous_frame["line_code"] == code]
        texts, kind = _line_sentences(code, rows, frame, units, period, w, prev_rows, previous_period, cat)
        named = w.get(code, kind, "named", "yes") != "no"
        name = cat.name(code, w.lang)
        sub = cat.at_level(code, "subproject")
        content = cat.at_level(code, "content")
        if code == project:
            form, fill_name = "paragraph", name
        elif sub and sub != code:
            if sub not in seen_headings:
                seen_headings.add(sub)
                out += [_fill(w.doc("subproject"), {"name": cat.name(sub, w.lang)}), ""]
            form = "subline" if named else "unnamed_subline"
            fill_name = name
        elif content and content != code:  # an item under a content with no sub-project
            siblings = [c for c in known if cat.at_level(c, "content") == content]
            if len(siblings) == 1:
                form, fill_name = ("line" if named else "unnamed_line"), cat.name(content, w.lang)
            else:
                if content not in seen_headings:
                    seen_headings.add(content)
                    out += [_fill(w.doc("content"), {"name": cat.name(content, w.lang)}), ""]
                form, fill_name = ("subline" if named else "unnamed_subline"), name
        else:
            form, fill_name = ("line" if named else "unnamed_line"), name
        for text in texts:
            out += [_fill(w.doc(form), {"name": fill_name, "text": text}), ""]
    others = [c for c in cat.codes if cat.level(c) == "project" and c not in projects_with_data]
    if others:
        short = [re.split(r"\s*:\s*", cat.name(c, w.lang))[0] for c in others]
        out.append(_fill(w.doc("others"), {"projects": w.doc("list_join").join(short)}))
    return out
