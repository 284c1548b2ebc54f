"""The scorecard's ranking chart as HTML bars, drawn by the browser (spec §5).

A scorecard is rendered for every commune of a period, thousands of times nationally; its
ranking chart as a matplotlib PNG was half of a scorecard's own computing (laying out and
drawing the text of two panels, encoding the image). As HTML it costs nothing to make, its text
stays text (it prints sharp, scales to a phone, is read aloud and copies into Word), and the page
is smaller. The report's own charts stay matplotlib figures (:mod:`.charts`): it is drawn once a
period.

Up to :data:`~.charts.MAX_BARS` units: a bar each, best at the top. More: the unit with its
:data:`~.charts.NEIGHBOURS` nearest ranks on either side, and the distribution of every unit's
rate in 5-point bins; the same size for 50 units or 5,000.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from markupsafe import Markup

from ..domain.labels import fill, label
from ..domain.notation import percent
from ..domain.resources import read_text
from ..domain.units import short_name
from .charts import MAX_BARS, NEIGHBOURS, RATE_CAP
from .page import templates

BIN = 5.0  # points of financial rate a bin of the distribution spans


def _share(value: float, top: float) -> str:
    """``value`` as a CSS percentage of ``top`` (0 to 100)."""
    return f"{min(max(value / top, 0.0), 1.0) * 100:.2f}%"


def _bars(rows: pd.DataFrame, highlight: str | None, top: float, lang: str) -> list[dict]:
    return [{"name": f"{rank}. {short_name(name)}", "width": _share(rate * 100, top), "value": percent(rate, lang),
             "mine": code == highlight}
            for rank, code, name, rate in zip(rows["rank"], rows["unit_code"], rows["unit_name"], rows["financial_rate"])]


def ranking_bars_html(ranking: pd.DataFrame, lang: str = "vi", highlight: str | None = None,
                      average: float | None = None, caption: str = "") -> str:
    """Where ``highlight`` stands among the ranked units, as HTML (a ``<figure>`` with ``caption``).
    ``ranking``: :func:`mtqg_analysis.analysis.ranking` (``rank``, ``unit_code``, ``unit_name``,
    ``financial_rate``), best first; units without a rate are left out. ``average``: the
    communes' combined rate, a dashed line."""
    ranked = ranking.dropna(subset=["financial_rate"])
    has_average = average is not None and not math.isnan(average)
    codes = list(ranked["unit_code"])
    context = {"caption": caption, "css": Markup(read_text("templates/ranking_bars.css")), "rate_axis": label("chart.rate_axis", lang), "bars": [], "near_title": "",
               "average_text": fill("chart.average", lang, rate=percent(average, lang)) if has_average else "",
               "histogram": None}
    if len(ranked) <= MAX_BARS:
        top = max([100.0, *(ranked["financial_rate"] * 100)])
        context.update(bars=_bars(ranked, highlight, top, lang), top=f"{top:.0f}%",
                       average_at=_share(average * 100, top) if has_average else "")
        return templates().get_template("ranking_bars.html.j2").render(**context)
    rates = ranked["financial_rate"].to_numpy(dtype=float) * 100
    if highlight in codes:
        at = codes.index(highlight)
        near = ranked.iloc[max(0, at - NEIGHBOURS):at + NEIGHBOURS + 1]
        near_top = max([100.0, *(near["financial_rate"] * 100)])
        context.update(bars=_bars(near, highlight, near_top, lang), top=f"{near_top:.0f}%",
                       average_at=_share(average * 100, near_top) if has_average else "",
                       near_title=fill("chart.neighbours", lang, first=int(near["rank"].min()),
                                       last=int(near["rank"].max()), total=len(ranked)))
    top = min(max(100.0, math.ceil(rates.max() / BIN) * BIN), RATE_CAP)
    edges = np.arange(0, top + BIN, BIN)
    counts, _ = np.histogram(np.clip(rates, 0, top), bins=edges)
    mine_bin = (min(int(min(rates[codes.index(highlight)], top) // BIN), len(counts) - 1)
                if highlight in codes else None)
    tallest = max(int(counts.max()), 1)
    unit_name = (short_name(str(ranked["unit_name"].iloc[codes.index(highlight)])) if highlight in codes else "")
    context["histogram"] = {
        "title": fill("chart.distribution", lang, total=len(ranked)),
        "bins": [{"height": _share(count, tallest), "mine": i == mine_bin,
                  "label": f"{percent(lo / 100, lang, decimals=0)}–{percent(hi / 100, lang, decimals=0)}: "
                           f"{count}"}
                 for i, (count, lo, hi) in enumerate(zip(counts, edges[:-1], edges[1:]))],
        "scale": fill("chart.units_scale", lang, units=label("chart.units_axis", lang), tallest=tallest),
        "ticks": [percent(t / 100, lang, decimals=0) for t in np.linspace(0, top, 5)],
        "average_at": _share(average * 100, top) if has_average else "",
        "mine_text": (f"{unit_name}: {percent(rates[codes.index(highlight)] / 100, lang)}"
                      if highlight in codes else "")}
    return templates().get_template("ranking_bars.html.j2").render(**context)
