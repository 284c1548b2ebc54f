"""The report's charts, as matplotlib figures (spec §5).

Figures are made with :class:`matplotlib.figure.Figure` directly, not through ``pyplot``: nothing
is registered with pyplot, so nothing shows twice or stays open in a kernel, and the backend the
analyst's kernel uses (inline in JupyterLab) is never switched. The style (a font with Vietnamese
diacritics) is set on each figure through :func:`style`.

Sizes and fonts are chosen for an A4 page (at most 7 inches wide) and stay legible when a phone
shrinks the image to its width: text is at least 9 points on a figure of at most 7 inches.
"""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from ..domain.labels import fill, label
from ..domain.notation import amount, decimal_text, percent
from ..domain.periods import label as period_label
from ..domain.units import short_name

STYLE = {"font.family": "DejaVu Sans", "font.size": 10, "figure.dpi": 96, "axes.grid": False,
         "axes.spines.top": False, "axes.spines.right": False, "axes.titlesize": 11,
         "xtick.labelsize": 10, "ytick.labelsize": 10, "legend.fontsize": 10}
HIGHLIGHT, BAR, PLAN, AVERAGE, NO_PLAN = "#c0392b", "#2c7fb8", "#b8c7d6", "#444444", "#e3e3e3"


def style():
    """A context in which figures get the report's style (``with style(): ...``)."""
    import matplotlib

    return matplotlib.rc_context(STYLE)


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    with style():
        fig = Figure(figsize=(width, height))
        return fig, fig.add_subplot()


MAX_BARS = 40  # more ranked units than this: their distribution (and a unit's neighbours), not a bar each
NEIGHBOURS = 3  # ranks shown above and below a unit in the distribution form
RATE_CAP = 200.0  # rates beyond it (%) are counted in the histogram's last bin


def ranking_figure(ranking: pd.DataFrame, lang: str = "vi", highlight: str | None = None,
                   average: float | None = None, compact: bool = False):
    """Horizontal bars of the communes' financial rates, best at the top; ``highlight`` one unit;
    ``average`` draws the communes' combined rate as a dashed line; ``compact``: thinner bars (a
    chart that must fit a small space). More than :data:`MAX_BARS` units: the same at a fixed
    size, as :func:`ranking_distribution_figure`. (The scorecard draws its ranking in HTML:
    :func:`mtqg_analysis.report.bars.ranking_bars_html`.)"""
    ranked = ranking.dropna(subset=["financial_rate"])
    if len(ranked) > MAX_BARS:
        return ranking_distribution_figure(ranked, lang, highlight, average)
    with style():
        data = ranked.iloc[::-1]
        fig, ax = _figure(6.2, (0.17 if compact else 0.26) * len(data) + 0.9)
        colors = [HIGHLIGHT if code == highlight else BAR for code in data["unit_code"]]
        ax.barh(data["unit_name"].map(short_name), data["financial_rate"] * 100, color=colors, height=0.7)
        for y, value in enumerate(data["financial_rate"]):
            ax.text(value * 100 + 1, y, percent(value, lang), va="center", fontsize=9)
        top = max([100.0, *(data["financial_rate"] * 100 + 15)])
        ax.set_xlim(0, top)
        if average is not None and not math.isnan(average):
            ax.axvline(average * 100, color=AVERAGE, linestyle="--", linewidth=1.2)
            ax.text(average * 100, len(data) - 0.3, " " + fill("chart.average", lang, rate=percent(average, lang)),
                    fontsize=9, color=AVERAGE, va="bottom")
        ax.set_ylim(-0.6, len(data) + 0.4)
        ax.set_xlabel(label("chart.rate_axis", lang))
        fig.tight_layout()
    return fig


def ranking_distribution_figure(ranked: pd.DataFrame, lang: str = "vi", highlight: str | None = None,
                                average: float | None = None):
    """Where the units stand when there are too many for a bar each (a province, the country): a
    histogram of every unit's financial rate (5-point bins, the average dashed) and, with
    ``highlight``, the unit with its :data:`NEIGHBOURS` nearest ranks on either side as bars.
    ``ranked``: :func:`mtqg_analysis.analysis.ranking` rows with a rate, best first. Its size is
    the same for 50 units or 5,000."""
    with style():
        from matplotlib.figure import Figure

        codes = list(ranked["unit_code"])
        fig = Figure(figsize=(7.0, 2.9))
        if highlight in codes:
            near_ax, all_ax = fig.subplots(1, 2, width_ratios=[1, 1.2])
            at = codes.index(highlight)
            near = ranked.iloc[max(0, at - NEIGHBOURS):at + NEIGHBOURS + 1].iloc[::-1]
            names = [f"{rank}. {short_name(name)}" for rank, name in zip(near["rank"], near["unit_name"])]
            colors = [HIGHLIGHT if code == highlight else BAR for code in near["unit_code"]]
            near_ax.barh(range(len(near)), near["financial_rate"] * 100, color=colors, height=0.7)
            near_ax.set_yticks(range(len(near)), labels=names, fontsize=9)
            for y, value in enumerate(near["financial_rate"]):
                near_ax.text(value * 100 + 1, y, percent(value, lang), va="center", fontsize=9)
            near_ax.set_xlim(0, max([100.0, *(near["financial_rate"] * 100 + 25)]))
            near_ax.set_xlabel(label("chart.rate_axis", lang))
            near_ax.set_title(fill("chart.neighbours", lang, first=int(near["rank"].min()),
                                   last=int(near["rank"].max()), total=len(ranked)), fontsize=10)
        else:
            all_ax = fig.add_subplot()
        rates = ranked["financial_rate"].to_numpy(dtype=float) * 100
        top = min(max(100.0, math.ceil(rates.max() / 5) * 5), RATE_CAP)
        counts, _, _ = all_ax.hist(np.clip(rates, 0, top), bins=np.arange(0, top + 5, 5), color=PLAN,
                                   edgecolor="white")
        all_ax.set_ylim(0, max(counts.max(), 1) * 1.5)  # room for the legend above the bins
        if average is not None and not math.isnan(average):
            all_ax.axvline(average * 100, color=AVERAGE, linestyle="--", linewidth=1.2,
                           label=fill("chart.average", lang, rate=percent(average, lang)))
        if highlight in codes:
            at = codes.index(highlight)
            all_ax.axvline(min(rates[at], top), color=HIGHLIGHT, linewidth=2,
                           label=f"{short_name(ranked['unit_name'].iloc[at])}: {percent(rates[at] / 100, lang)}")
        if all_ax.get_legend_handles_labels()[0]:
            all_ax.legend(loc="upper left", frameon=False, fontsize=9)
        all_ax.set_xlim(0, top + 5)
        all_ax.set_xlabel(label("chart.rate_axis", lang))
        all_ax.set_ylabel(label("chart.units_axis", lang))
        all_ax.set_title(fill("chart.distribution", lang, total=len(ranked)), fontsize=10)
        fig.tight_layout()
    return fig


def heatmap_figure(rates: pd.DataFrame, names: dict[str, str], lang: str = "vi", last: list[str] | None = None):
    """Units (rows) x lines (columns), colour = financial rate in %. A unit with a plan and
    nothing disbursed shows "0"; a unit without a plan on the line is a grey hatched cell (and
    the legend says so). ``names``: the column headers (line names) by column; ``last``: rows
    put at the bottom below a rule (the district's own budget)."""
    with style():
        last = [r for r in (last or []) if r in rates.index]
        rates = pd.concat([rates.drop(index=last), rates.loc[last]])
        values = rates.to_numpy(dtype=float)
        fig, ax = _figure(7.0, 0.3 * len(rates) + 2.4)
        masked = np.ma.masked_invalid(values * 100)
        image = ax.imshow(masked, cmap="YlGn", vmin=0, vmax=100, aspect="auto")
        for (i, j), value in np.ndenumerate(values):
            if math.isnan(value):
                ax.add_patch(_hatched(j, i))
            else:
                ax.text(j, i, decimal_text(value * 100, 0, lang), ha="center", va="center", fontsize=9,
                        color="white" if value > 0.6 else ("#b03a2e" if value == 0 else "black"),
                        fontweight="bold" if value == 0 else "normal")
        headers = ["\n".join(textwrap.wrap(names.get(c, str(c)), 26, max_lines=2, placeholder=" …"))
                   for c in rates.columns]
        ax.set_xticks(range(len(rates.columns)), labels=headers, fontsize=8.5, rotation=32, ha="left",
                      rotation_mode="anchor")
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(rates)), labels=[short_name(n) for n in rates.index], fontsize=9)
        if last:
            ax.axhline(len(rates) - len(last) - 0.5, color="black", linewidth=1.2)
        ax.tick_params(length=0)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label(label("chart.rate_axis", lang))
        ax.set_xlabel(label("chart.no_plan", lang), fontsize=9)
        fig.tight_layout()
    return fig


def _hatched(x: int, y: int):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=NO_PLAN, edgecolor="#9a9a9a", hatch="///", linewidth=0)


def trajectory_figure(trajectory: pd.DataFrame, lang: str = "vi"):
    """Year-to-date plan and disbursed at each period of the year, as bars from zero, each
    disbursed bar with its rate."""
    with style():
        fig, ax = _figure(6.2, 2.8)
        names = [period_label(p, lang) for p in trajectory["period"]]
        x = np.arange(len(names))
        plan = trajectory["plan_vnd"].to_numpy(dtype=float) / 1e6
        disbursed = trajectory["disbursed_vnd"].to_numpy(dtype=float) / 1e6
        ax.bar(x - 0.2, plan, width=0.4, color=PLAN, label=label("chart.traj_plan", lang))
        ax.bar(x + 0.2, disbursed, width=0.4, color=BAR, label=label("chart.traj_disbursed", lang))
        for i, (value, rate) in enumerate(zip(trajectory["disbursed_vnd"], trajectory["financial_rate"])):
            ax.annotate(f"{amount(value, lang, decimals=0)}\n({percent(rate, lang)})", (i + 0.2, value / 1e6),
                        fontsize=9, textcoords="offset points", xytext=(0, 3), ha="center", va="bottom")
        ax.set_xticks(x, labels=names)
        ax.set_ylim(0, max([*plan, 1.0]) * 1.25)
        ax.set_xlim(-0.7, len(names) - 0.3)
        ax.yaxis.set_major_formatter(lambda v, _pos: decimal_text(v, 0, lang))
        ax.set_ylabel(label("chart.money_axis", lang))
        ax.legend(loc="upper left", frameon=False, ncols=2)
        fig.tight_layout()
    return fig
