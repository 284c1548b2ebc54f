"""What the report notebooks show: tables, charts and text blocks for one period (spec §5).

The notebooks under ``notebooks/`` stay short by calling these functions; each returns plain
DataFrames or matplotlib figures, and the ``show_*`` functions display them with every text that
comes from the data escaped (a note reading ``<script>`` is shown as text, never run).

Indicators follow spec §5: financial rate = disbursed / plan, physical rate = done / plan quantity,
neither computed where its denominator is zero or missing. Amounts are shown in triệu đồng in
Vietnamese notation ("2.041", "807,463", "30,43%") or, with ``lang="en"``, in English notation.
"""
from __future__ import annotations

import base64
import html
import io
import math
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import format as fmt
from . import resources
from .atomic import file_sha256
from .periods import label, parse_period, previous_in_year

LANGS = ("vi", "en")

def _labels() -> dict[str, dict[str, str]]:
    """Column headers and captions by language, from ``data/report_labels.csv``."""
    table = resources.table("report_labels.csv").set_index("key")
    return {lang: table[lang].to_dict() for lang in LANGS}


# Vietnamese first in the file: it is what officers read.
TEXT = _labels()


def check_lang(lang: str) -> str:
    from .errors import ParameterError

    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def t(key: str, lang: str = "vi") -> str:
    return TEXT[lang][key]


# --- numbers (spec §5 notation) ----------------------------------------------------------------
def number(value, decimals: int = 3, lang: str = "vi") -> str:
    """``2041 -> "2.041"``, ``807.463 -> "807,463"``, ``1066.4 -> "1.066,4"`` (vi); English
    notation swaps the marks. Up to ``decimals`` decimals; NaN is "–" (see :mod:`.format`)."""
    return fmt.decimal_text(value, decimals, lang)


def amount(vnd, lang: str = "vi") -> str:
    """Whole đồng shown in triệu đồng: ``807463000 -> "807,463"``."""
    return fmt.amount(vnd, lang)


def percent(ratio, lang: str = "vi") -> str:
    """``0.30425 -> "30,43%"`` (two decimals, kept even when zero); "–" where not computed."""
    return fmt.rate(ratio, lang)


def rate(numerator, denominator):
    """``numerator / denominator``, NaN where the denominator is zero or missing (spec §5)."""
    num = pd.to_numeric(numerator, errors="coerce")
    den = pd.to_numeric(denominator, errors="coerce")
    if isinstance(den, pd.Series):
        den = den.where(den != 0)
        return num / den
    if pd.isna(den) or den == 0 or pd.isna(num):
        return float("nan")
    return float(num) / float(den)


# --- catalog levels ------------------------------------------------------------------------------
def _catalog():
    from .catalog import load_catalog

    return load_catalog()


def with_level(funding: pd.DataFrame, level: str) -> pd.DataFrame:
    """``funding`` with a ``group_code`` column: each line's ancestor-or-self at ``level``
    (project, subproject, content, item) or ``"line"`` for the data lines themselves. Lines that
    have no such level (Dự án 8 has no sub-project) keep their own code."""
    cat = _catalog()
    out = funding.copy()
    if level == "line":
        out["group_code"] = out["line_code"]
    else:
        codes = {c: (cat.at_level(c, level) or c) for c in out["line_code"].unique()}
        out["group_code"] = out["line_code"].map(codes)
    return out


def line_table(funding: pd.DataFrame, level: str = "line", lang: str = "vi") -> pd.DataFrame:
    """Plan, disbursed, quantities and both rates per catalog code at ``level``, in catalog order.

    Quantities are added only within one physical unit: where a group mixes units (a project
    counting both houses and water tanks) its quantities and physical rate are left empty."""
    cat = _catalog()
    frame = with_level(funding, level)
    grouped = frame.groupby("group_code", sort=False)
    out = grouped.agg(plan_vnd=("plan_vnd", "sum"), disbursed_vnd=("disbursed_vnd", "sum"),
                      plan_qty=("plan_qty", lambda s: s.sum(min_count=1)),
                      done_qty=("done_qty", lambda s: s.sum(min_count=1)),
                      measure_units=("measure_unit", lambda s: sorted(set(s.dropna()) - {"", "nan"})))
    mixed = out["measure_units"].map(len) != 1
    out["measure_unit"] = out["measure_units"].map(lambda u: u[0] if len(u) == 1 else "")
    out.loc[mixed, ["plan_qty", "done_qty"]] = float("nan")
    out = out.drop(columns="measure_units")
    out["fin_rate"] = rate(out["disbursed_vnd"], out["plan_vnd"])
    out["phys_rate"] = rate(out["done_qty"], out["plan_qty"])
    out["name"] = [cat.name(c, lang) if c in cat.frame.index else c for c in out.index]
    out["order"] = [cat.order(c) if c in cat.frame.index else 10**6 for c in out.index]
    out = out.sort_values("order").drop(columns="order")
    out.index.name = "code"
    return out.reset_index()[["code", "name", "measure_unit", "plan_qty", "done_qty", "plan_vnd",
                              "disbursed_vnd", "fin_rate", "phys_rate"]]


def totals(funding: pd.DataFrame) -> dict:
    """District totals: plan, disbursed, financial rate, number of units."""
    plan = int(funding["plan_vnd"].sum())
    disbursed = int(funding["disbursed_vnd"].sum())
    return {"plan_vnd": plan, "disbursed_vnd": disbursed, "fin_rate": rate(disbursed, plan),
            "units": int(funding["unit_code"].nunique()), "lines": int(funding["line_code"].nunique())}


def unit_ranking(funding: pd.DataFrame) -> pd.DataFrame:
    """Units by financial rate, best first; rank 1 is the highest rate (ties share a rank)."""
    out = funding.groupby(["unit_code", "unit_name"], as_index=False)[["plan_vnd", "disbursed_vnd"]].sum()
    out["fin_rate"] = rate(out["disbursed_vnd"], out["plan_vnd"])
    out["rank"] = out["fin_rate"].rank(ascending=False, method="min").astype("Int64")
    return out.sort_values(["rank", "unit_name"], na_position="last").reset_index(drop=True)


def full_and_none(funding: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """For each line, the units that disbursed their whole plan and those that disbursed nothing."""
    from .units import Units  # noqa: F401  (short names come from the names in the table)

    cat = _catalog()
    per = funding.groupby(["line_code", "unit_code", "unit_name"], as_index=False)[["plan_vnd", "disbursed_vnd"]].sum()
    per = per[per["plan_vnd"] > 0]
    rows = []
    for code, group in per.groupby("line_code", sort=False):
        full = group[group["disbursed_vnd"] >= group["plan_vnd"]]["unit_name"].map(short_name)
        none = group[group["disbursed_vnd"] == 0]["unit_name"].map(short_name)
        rows.append({"code": code, "name": cat.name(code, lang), "order": cat.order(code),
                     "full": ", ".join(full) or "–", "none": ", ".join(none) or "–"})
    out = pd.DataFrame(rows, columns=["code", "name", "order", "full", "none"])
    return out.sort_values("order").drop(columns="order").reset_index(drop=True)


def short_name(name: str) -> str:
    """"Xã Vi Hương" -> "Vi Hương", "Thị trấn Phủ Thông" -> "TT Phủ Thông", as notices list them."""
    if name.startswith("Xã "):
        return name[3:]
    if name.startswith("Thị trấn "):
        return "TT " + name[len("Thị trấn "):]
    return name


def unit_project_rates(funding: pd.DataFrame) -> pd.DataFrame:
    """Financial rate per unit (rows) and project (columns); NaN where the unit has no plan."""
    frame = with_level(funding, "project")
    sums = frame.groupby(["unit_name", "group_code"])[["plan_vnd", "disbursed_vnd"]].sum()
    rates = rate(sums["disbursed_vnd"], sums["plan_vnd"]).unstack("group_code")
    cat = _catalog()
    return rates[sorted(rates.columns, key=cat.order)]


# --- periods of the year -------------------------------------------------------------------------
def year_periods(period, data_dir=None) -> list:
    """The periods of ``period``'s year up to ``period`` that have raw data, oldest first."""
    from .store import raw_periods

    p = parse_period(period)
    return [q for q in raw_periods(data_dir) if q.year == p.year and q <= p]


def trajectory(period, data_dir=None, unit_code: str | None = None) -> pd.DataFrame:
    """Year-to-date plan and disbursed at each period of the year so far (one row per period)."""
    from .store import load_period

    rows = []
    for q in year_periods(period, data_dir):
        frame = load_period(q, data_dir)
        if unit_code:
            frame = frame[frame["unit_code"] == unit_code]
        rows.append({"period": str(q), "plan_vnd": int(frame["plan_vnd"].sum()),
                     "disbursed_vnd": int(frame["disbursed_vnd"].sum())})
    out = pd.DataFrame(rows, columns=["period", "plan_vnd", "disbursed_vnd"])
    out["fin_rate"] = rate(out["disbursed_vnd"], out["plan_vnd"])
    return out


def change_since_previous(period, funding: pd.DataFrame, data_dir=None, lang: str = "vi"):
    """(previous period or None, per-line table of plan and disbursed added during the period).

    In-period change is this period minus the previous period of the same year (spec §1)."""
    from .store import load_period, raw_periods

    previous = previous_in_year(period, raw_periods(data_dir))
    now = line_table(funding, "line", lang).set_index("code")
    if previous is None:
        before = now[["plan_vnd", "disbursed_vnd"]] * 0
    else:
        before = line_table(load_period(previous, data_dir), "line", lang).set_index("code")
    cols = ["plan_vnd", "disbursed_vnd"]
    delta = now[cols].sub(before[cols].reindex(now.index).fillna(0), fill_value=0)
    delta.insert(0, "name", now["name"])
    return previous, delta.reset_index()


# --- data quality and provenance ------------------------------------------------------------------
def quality(period, data_dir=None) -> pd.DataFrame:
    """The period's quality.csv (spec §4.2), as the store wrote it."""
    from .store import load_quality

    return load_quality(period, data_dir)


def input_files(period, data_dir=None) -> pd.DataFrame:
    """Every raw file the period was built from (and units.csv), with size and SHA-256."""
    from .read import period_folder, report_files
    from .store import _data_dir

    raw = _data_dir(data_dir) / "raw"
    files = report_files(period_folder(raw, parse_period(period)))
    if (raw / "units.csv").exists():
        files.append(raw / "units.csv")
    return pd.DataFrame([{"file": f.relative_to(raw).as_posix(), "size": f.stat().st_size,
                          "sha256": file_sha256(f)} for f in files], columns=["file", "size", "sha256"])


def provenance(period, data_dir=None, parameters: dict | None = None, lang: str = "vi") -> str:
    """A markdown footer: package version, parameters, run time (the input files go in a table)."""
    from . import __version__

    now = datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S %z")
    params = ", ".join(f"{k}={v!r}" for k, v in (parameters or {}).items())
    if lang == "en":
        return (f"Produced by mtqg-analysis {__version__} on {now}. Parameters: {params}. "
                "Input files (SHA-256):")
    return (f"Lập bằng mtqg-analysis {__version__} lúc {now}. Tham số: {params}. "
            "Tệp đầu vào (SHA-256):")


# --- narrative -------------------------------------------------------------------------------------
def narrative_markdown(period, funding: pd.DataFrame, data_dir=None, lang: str = "vi") -> str:
    """Section 2 of the district notice. Uses :mod:`mtqg_analysis.narrative` when it is present;
    otherwise a short summary of the totals and of the best and weakest units."""
    try:
        from .narrative import narrative
    except ImportError:
        narrative = None
    if narrative is not None:
        from .store import _data_dir, raw_periods

        previous = previous_in_year(period, raw_periods(data_dir))
        units_csv = _data_dir(data_dir) / "raw" / "units.csv"
        units = None
        if units_csv.exists():
            from .units import load_units

            units = load_units(units_csv)
        return narrative(funding, period=str(parse_period(period)), previous=str(previous) if previous else False,
                         units=units, data_dir=data_dir, lang=lang, heading=False)
    tot = totals(funding)
    ranking = unit_ranking(funding).dropna(subset=["fin_rate"])
    best = ", ".join(ranking.head(2)["unit_name"].map(short_name))
    worst = ", ".join(ranking.tail(2)["unit_name"].map(short_name))
    if lang == "en":
        return (f"In the {label(period, 'en')}, the district was allocated {amount(tot['plan_vnd'], 'en')} "
                f"million VND and disbursed {amount(tot['disbursed_vnd'], 'en')} million VND "
                f"({percent(tot['fin_rate'], 'en')}) over {tot['units']} units. Best progress: {best}; "
                f"slowest: {worst}.")
    return (f"Lũy kế {label(period)}, toàn huyện được giao {amount(tot['plan_vnd'])} triệu đồng, "
            f"đã giải ngân {amount(tot['disbursed_vnd'])} triệu đồng, đạt {percent(tot['fin_rate'])} "
            f"kế hoạch, trên {tot['units']} đơn vị. Đơn vị có tiến độ tốt nhất: {best}; "
            f"chậm nhất: {worst}.")


# --- sections and headline ---------------------------------------------------------------------
# Section headings: the "section.*" rows of data/report_labels.csv.
SECTIONS = {lang: {k[len("section."):]: v for k, v in TEXT[lang].items() if k.startswith("section.")}
            for lang in LANGS}


def section(key: str, lang: str = "vi", level: int = 2) -> None:
    """Display a section heading (it also becomes an entry of the HTML table of contents)."""
    show_markdown("#" * level + " " + SECTIONS[lang][key])


def _en_period(period) -> str:
    text = label(period, "en")
    text = text[0].upper() + text[1:]
    return text if "year to date" in text else f"{text} (year to date)"


def headline_markdown(funding: pd.DataFrame, period, lang: str = "vi", district: str = "") -> str:
    tot = totals(funding)
    where = f" – {district}" if district else ""
    if lang == "en":
        return (f"# {SECTIONS['en']['report']}{where}\n\n**{_en_period(period)}**.\n\n"
                f"## {SECTIONS['en']['headline']}\n\n- Plan: **{amount(tot['plan_vnd'], 'en')}** million VND\n"
                f"- Disbursed: **{amount(tot['disbursed_vnd'], 'en')}** million VND\n"
                f"- Financial rate: **{percent(tot['fin_rate'], 'en')}**\n"
                f"- Units reporting: **{tot['units']}**; lines with a plan: **{tot['lines']}**")
    return (f"# {SECTIONS['vi']['report']}{where}\n\n**Lũy kế {label(period)}**.\n\n"
            f"## {SECTIONS['vi']['headline']}\n\n- Kế hoạch vốn: **{amount(tot['plan_vnd'])}** triệu đồng\n"
            f"- Đã giải ngân: **{amount(tot['disbursed_vnd'])}** triệu đồng\n"
            f"- Tỷ lệ giải ngân: **{percent(tot['fin_rate'])}**\n"
            f"- Số đơn vị báo cáo: **{tot['units']}**; số nội dung có kế hoạch: **{tot['lines']}**")


def unit_headline_markdown(funding: pd.DataFrame, unit_code: str, period, lang: str = "vi") -> str:
    ranking = unit_ranking(funding)
    me = ranking[ranking["unit_code"] == unit_code].iloc[0]
    district = totals(funding)
    rank = "–" if pd.isna(me["rank"]) else int(me["rank"])
    n = len(ranking)
    if lang == "en":
        return (f"# {SECTIONS['en']['scorecard']}: {me['unit_name']}\n\n**{_en_period(period)}**.\n\n"
                f"## 1. Headline figures\n\n"
                f"- Plan: **{amount(me['plan_vnd'], 'en')}** million VND; disbursed: "
                f"**{amount(me['disbursed_vnd'], 'en')}** million VND\n"
                f"- Financial rate: **{percent(me['fin_rate'], 'en')}** (district: "
                f"{percent(district['fin_rate'], 'en')})\n- Rank: **{rank}** of {n}")
    return (f"# {SECTIONS['vi']['scorecard']}: {me['unit_name']}\n\n**Lũy kế {label(period)}**.\n\n"
            f"## 1. Số liệu chính\n\n"
            f"- Kế hoạch vốn: **{amount(me['plan_vnd'])}** triệu đồng; đã giải ngân: "
            f"**{amount(me['disbursed_vnd'])}** triệu đồng\n"
            f"- Tỷ lệ giải ngân: **{percent(me['fin_rate'])}** (toàn huyện: {percent(district['fin_rate'])})\n"
            f"- Xếp hạng: **{rank}**/{n}")


# --- formatting for display ----------------------------------------------------------------------
_AMOUNT = {"plan_vnd", "disbursed_vnd"}
_RATE = {"fin_rate", "phys_rate", "district_rate"}
_QTY = {"plan_qty", "done_qty"}
_HEADER = {"plan_vnd": "plan", "disbursed_vnd": "disbursed", "name": "line", "unit_name": "unit",
           "sha256": "sha256"}


def formatted(frame: pd.DataFrame, lang: str = "vi", headers: dict | None = None) -> pd.DataFrame:
    """Numbers as text in the report's notation and headers in the report's language."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if column in _AMOUNT:
            out[column] = values.map(lambda v: amount(v, lang))
        elif column in _RATE:
            out[column] = values.map(lambda v: percent(v, lang))
        elif column in _QTY:
            out[column] = values.map(lambda v: number(v, 3, lang))
        elif column in ("size",):
            out[column] = values.map(lambda v: number(v, 0, lang))
        elif column == "gap":
            out[column] = values.map(lambda v: number(v * 100, 2, lang) if pd.notna(v) else "–")
        else:
            out[column] = values.astype("string").fillna("")
    names = {c: (headers or {}).get(c) or _header(c, lang) for c in frame.columns}
    return out.rename(columns=names)


def _header(column: str, lang: str) -> str:
    key = _HEADER.get(column, column)
    return TEXT[lang].get(key, column)


def table_html(frame: pd.DataFrame, lang: str = "vi", headers: dict | None = None) -> str:
    """An HTML table of ``frame`` with every cell escaped, number columns right-aligned."""
    shown = formatted(frame, lang, headers)
    numeric = [i for i, c in enumerate(frame.columns) if c in _AMOUNT | _RATE | _QTY | {"rank", "size", "gap"}]
    num = ' class="num"'
    head = "".join(f"<th{num if i in numeric else ''}>{html.escape(str(c))}</th>"
                   for i, c in enumerate(shown.columns))
    rows = []
    for values in shown.itertuples(index=False):
        cells = "".join(f"<td{num if i in numeric else ''}>{html.escape(str(v))}</td>"
                        for i, v in enumerate(values))
        rows.append(f"<tr>{cells}</tr>")
    return (f'<table class="mtqg-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def show_table(frame: pd.DataFrame, lang: str = "vi", headers: dict | None = None, empty: str | None = None):
    from IPython.display import HTML, Markdown, display

    if frame.empty:
        display(Markdown(html.escape(empty or t("nothing", lang), quote=False)))
        return
    display(HTML(table_html(frame, lang, headers)))


def show_markdown(text: str):
    """Display markdown whose content may come from the data: ``<``, ``>`` and ``&`` are escaped,
    so that markdown formatting works but no HTML from the data is ever interpreted."""
    from IPython.display import Markdown, display

    display(Markdown(html.escape(text, quote=False)))


def show_figure(fig, alt: str = ""):
    """Display a matplotlib figure as an embedded PNG with alt text, then close it."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    display({"image/png": data, "text/plain": alt or "figure"},
            metadata={"image/png": {"alt": alt}}, raw=True)


# --- charts ----------------------------------------------------------------------------------------
def setup(lang: str = "vi") -> None:
    """Matplotlib without a display (Agg) and a font with Vietnamese diacritics (DejaVu Sans)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "figure.dpi": 96, "axes.grid": False,
                         "axes.spines.top": False, "axes.spines.right": False})
    pd.set_option("display.max_rows", 200)
    check_lang(lang)


def ranking_figure(ranking: pd.DataFrame, lang: str = "vi", highlight: str | None = None):
    import matplotlib.pyplot as plt

    data = ranking.dropna(subset=["fin_rate"]).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(data) + 1))
    colors = ["#c0392b" if code == highlight else "#2c7fb8" for code in data["unit_code"]]
    ax.barh(data["unit_name"].map(short_name), data["fin_rate"] * 100, color=colors)
    for y, value in enumerate(data["fin_rate"]):
        ax.text(value * 100 + 0.5, y, percent(value, lang), va="center", fontsize=8)
    ax.set_xlabel("%")
    ax.set_title(t("rank_title", lang))
    return fig


def heatmap_figure(rates: pd.DataFrame, lang: str = "vi"):
    """Units x projects, colour = financial rate; empty cells where the unit has no plan."""
    import matplotlib.pyplot as plt
    import numpy as np

    values = rates.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(1.1 * len(rates.columns) + 3, 0.35 * len(rates) + 1.2))
    image = ax.imshow(np.ma.masked_invalid(values * 100), cmap="YlGn", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(rates.columns)), labels=list(rates.columns))
    ax.set_yticks(range(len(rates)), labels=[short_name(n) for n in rates.index])
    for (i, j), value in np.ndenumerate(values):
        if not math.isnan(value):
            ax.text(j, i, percent(value, lang).replace("%", ""), ha="center", va="center", fontsize=7,
                    color="white" if value > 0.6 else "black")
    fig.colorbar(image, ax=ax, label="%")
    ax.set_xlabel(t("project", lang))
    ax.set_title(t("heat_title", lang))
    return fig


def trajectory_figure(traj: pd.DataFrame, lang: str = "vi"):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.2))
    labels = [label(p, lang) for p in traj["period"]]
    ax.plot(labels, traj["plan_vnd"] / 1e6, marker="o", label=t("traj_plan", lang))
    ax.plot(labels, traj["disbursed_vnd"] / 1e6, marker="o", label=t("traj_disbursed", lang))
    for x, (value, r) in enumerate(zip(traj["disbursed_vnd"], traj["fin_rate"])):
        ax.annotate(f"{amount(value, lang)} ({percent(r, lang)})", (x, value / 1e6), fontsize=8,
                    textcoords="offset points", xytext=(0, 6), ha="center")
    ax.yaxis.set_major_formatter(lambda v, _pos: number(v, 0, lang))
    ax.set_title(t("traj_title", lang))
    ax.legend()
    return fig


# --- one unit ------------------------------------------------------------------------------------
def unit_vs_district(funding: pd.DataFrame, unit_code: str, lang: str = "vi") -> pd.DataFrame:
    """The unit's lines with both rates, beside the district's financial rate on the same line;
    ``gap`` is unit minus district in rate points (negative: the unit is behind)."""
    mine = line_table(funding[funding["unit_code"] == unit_code], "line", lang)
    district = line_table(funding, "line", lang).set_index("code")["fin_rate"]
    mine["district_rate"] = mine["code"].map(district)
    mine["gap"] = mine["fin_rate"] - mine["district_rate"]
    return mine


def lagging(comparison: pd.DataFrame) -> pd.DataFrame:
    """Lines where the unit is behind the district rate or has disbursed nothing of its plan."""
    behind = (comparison["gap"] < 0) | ((comparison["plan_vnd"] > 0) & (comparison["disbursed_vnd"] == 0))
    return comparison[behind].sort_values("gap")


def notes(funding: pd.DataFrame) -> pd.DataFrame:
    """Notes the units wrote beside their lines (text from the data: shown escaped)."""
    text = funding["note"].astype("string").str.strip()
    keep = text.notna() & (text != "") & (text.str.lower() != "nan")
    out = funding.loc[keep, ["unit_name", "line_code", "note"]].rename(columns={"line_code": "code"})
    return out.reset_index(drop=True)


def change_caption(period, previous, lang: str = "vi") -> str:
    if previous is None:
        return t("no_previous", lang)
    if lang == "en":
        return f"{_en_period(period)} minus {label(previous, 'en')}: what was added during the period."
    return f"Lũy kế {label(period)} trừ lũy kế {label(previous)}: phần tăng thêm trong kỳ."


def check_unit(funding: pd.DataFrame, unit_code: str) -> None:
    """Fail clearly when the scorecard's unit has no rows in the period."""
    from .errors import ParameterError

    if unit_code not in set(funding["unit_code"]):
        raise ParameterError(f"unit {unit_code!r} has no reported lines in this period")
