"""The report's charts, as matplotlib figures (spec §5).

Figures are made with :class:`matplotlib.figure.Figure` directly, not through ``pyplot``: nothing
is registered with pyplot, so nothing shows twice or stays open in a kernel, and the backend the
analyst's kernel uses (inline in JupyterLab) is never switched. The style (a font with Vietnamese
diacritics) is set on each figure through :func:`style`.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..domain.labels import label
from ..domain.notation import amount, decimal_text, percent
from ..domain.periods import label as period_label
from ..domain.units import short_name

STYLE = {"font.family": "DejaVu Sans", "figure.dpi": 96, "axes.grid": False,
         "axes.spines.top": False, "axes.spines.right": False}
HIGHLIGHT, BAR = "#c0392b", "#2c7fb8"


def style():
    """A context in which figures get the report's style (``with style(): ...``)."""
    import matplotlib

    return matplotlib.rc_context(STYLE)


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    with style():
        fig = Figure(figsize=(width, height))
        return fig, fig.add_subplot()


def ranking_figure(ranking: pd.DataFrame, lang: str = "vi", highlight: str | None = None):
    """Horizontal bars of the communes' financial rates, best at the top; ``highlight`` one unit."""
    with style():
        data = ranking.dropna(subset=["financial_rate"]).iloc[::-1]
        fig, ax = _figure(7, 0.32 * len(data) + 1)
        colors = [HIGHLIGHT if code == highlight else BAR for code in data["unit_code"]]
        ax.barh(data["unit_name"].map(short_name), data["financial_rate"] * 100, color=colors)
        for y, value in enumerate(data["financial_rate"]):
            ax.text(value * 100 + 0.5, y, percent(value, lang), va="center", fontsize=8)
        ax.set_xlabel("%")
        ax.set_title(label("chart.rank_title", lang))
    return fig


def heatmap_figure(rates: pd.DataFrame, lang: str = "vi"):
    """Units x projects, colour = financial rate; empty cells where the unit has no plan."""
    with style():
        values = rates.to_numpy(dtype=float)
        fig, ax = _figure(1.1 * len(rates.columns) + 3, 0.35 * len(rates) + 1.2)
        image = ax.imshow(np.ma.masked_invalid(values * 100), cmap="YlGn", vmin=0, vmax=100, aspect="auto")
        ax.set_xticks(range(len(rates.columns)), labels=list(rates.columns))
        ax.set_yticks(range(len(rates)), labels=[short_name(n) for n in rates.index])
        for (i, j), value in np.ndenumerate(values):
            if not math.isnan(value):
                ax.text(j, i, percent(value, lang).replace("%", ""), ha="center", va="center", fontsize=7,
                        color="white" if value > 0.6 else "black")
        fig.colorbar(image, ax=ax, label="%")
        ax.set_xlabel(label("chart.project", lang))
        ax.set_title(label("chart.heat_title", lang))
    return fig


def trajectory_figure(trajectory: pd.DataFrame, lang: str = "vi"):
    """Year-to-date plan and disbursed at each period of the year."""
    with style():
        fig, ax = _figure(7, 3.2)
        names = [period_label(p, lang) for p in trajectory["period"]]
        ax.plot(names, trajectory["plan_vnd"] / 1e6, marker="o", label=label("chart.traj_plan", lang))
        ax.plot(names, trajectory["disbursed_vnd"] / 1e6, marker="o", label=label("chart.traj_disbursed", lang))
        for x, (value, rate) in enumerate(zip(trajectory["disbursed_vnd"], trajectory["financial_rate"])):
            ax.annotate(f"{amount(value, lang)} ({percent(rate, lang)})", (x, value / 1e6), fontsize=8,
                        textcoords="offset points", xytext=(0, 6), ha="center")
        ax.yaxis.set_major_formatter(lambda v, _pos: decimal_text(v, 0, lang))
        ax.set_title(label("chart.traj_title", lang))
        ax.legend()
    return fig
