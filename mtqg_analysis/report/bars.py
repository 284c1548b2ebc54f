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

from ..domain.labels import fill, label
from ..domain.notation import percent
from ..domain.units import short_name
from .charts import MAX_BARS, NEIGHBOURS, RATE_CAP
from .page import stylesheet, templates

BIN = 5.0  # points of financial rate a bin of the distribution spans


def _share(value: float, top: float) -> str:
    """``value`` as a CSS percentage of ``top`` (0 to 100)."""
    return f"{min(max(value / top, 0.0), 1.0) * 100:.2f}%"


def _bars(rows: pd.DataFrame, highlight: str | None, top: float, lang: str) -> list[dict]:
    return [{"name": f"{rank}. {short_name(name)}", "width": _share(rate * 100, top), "value": percent(rate, lang),
             "mine": code == highlight}
            for rank, code, name, rate in zip(rows["rank"], rows["unit_code"], rows["unit_name"], rows["financial_rate"])]


class RankingBars:
    """The ranking chart of one ranking: what is the same for every unit (the ranked units, where
    each stands, the distribution) made once, then :meth:`html` for each unit
    (``year.once(RankingBars, ranked, lang, average)`` in a scorecard). ``ranking``:
    :func:`mtqg_analysis.analysis.ranking` (``rank``, ``unit_code``, ``unit_name``,
    ``financial_rate``), best first; units without a rate are left out. ``average``: the
    communes' combined rate, a dashed line."""

    def __init__(self, ranking: pd.DataFrame, lang: str = "vi", average: float | None = None):
        self.ranked = ranking.dropna(subset=["financial_rate"])
        self.lang = lang
        self.average = average if average is not None and not math.isnan(average) else None
        self.position = {code: i for i, code in enumerate(self.ranked["unit_code"])}
        self.histogram = _histogram(self.ranked, self.average, lang) if len(self.ranked) > MAX_BARS else None

    def html(self, highlight: str | None = None, caption: str = "") -> str:
        """Where ``highlight`` stands among the ranked units, as HTML (a ``<figure>`` with ``caption``)."""
        ranked, lang, average = self.ranked, self.lang, self.average
        at = self.position.get(highlight)  # the unit's place among the ranked
        context = {"caption": caption, "css": stylesheet("ranking_bars.css"),
                   "rate_axis": label("chart.rate_axis", lang), "bars": [], "near_title": "", "histogram": None,
                   "average_text": fill("chart.average", lang, rate=percent(average, lang)) if average is not None else ""}
        # a bar each, or past MAX_BARS the unit's neighbours (none when the unit is not ranked)
        shown = ranked if len(ranked) <= MAX_BARS else (
            ranked.iloc[max(0, at - NEIGHBOURS):at + NEIGHBOURS + 1] if at is not None else ranked.iloc[:0])
        if len(shown):
            top = max([100.0, *(shown["financial_rate"] * 100)])
            context.update(bars=_bars(shown, highlight, top, lang), top=f"{top:.0f}%",
                           average_at=_share(average * 100, top) if average is not None else "")
        if self.histogram is not None:
            if at is not None:
                context["near_title"] = fill("chart.neighbours", lang, first=int(shown["rank"].min()),
                                             last=int(shown["rank"].max()), total=len(ranked))
            context["histogram"] = self._marked(at)
        return templates().get_template("ranking_bars.html.j2").render(**context)

    def _marked(self, at: int | None) -> dict:
        """The distribution with the bin of the unit at position ``at`` marked, and its rate."""
        histogram = dict(self.histogram)
        top = histogram.pop("top")
        mine_bin, histogram["mine_text"] = None, ""
        if at is not None:
            rate = float(self.ranked["financial_rate"].iloc[at]) * 100
            mine_bin = min(int(min(rate, top) // BIN), len(histogram["bins"]) - 1)
            histogram["mine_text"] = f"{short_name(str(self.ranked['unit_name'].iloc[at]))}: {percent(rate / 100, self.lang)}"
        histogram["bins"] = [{**b, "mine": i == mine_bin} for i, b in enumerate(histogram["bins"])]
        return histogram


def ranking_bars_html(ranking: pd.DataFrame, lang: str = "vi", highlight: str | None = None,
                      average: float | None = None, caption: str = "") -> str:
    """Where ``highlight`` stands among the ranked units, as HTML: :class:`RankingBars` of one unit."""
    return RankingBars(ranking, lang, average).html(highlight, caption)


def _histogram(ranked: pd.DataFrame, average: float | None, lang: str) -> dict:
    """Every ranked unit's rate in :data:`BIN`-point bins up to 100% (or past, up to
    :data:`~.charts.RATE_CAP`); ``top``: where the last bin ends."""
    rates = ranked["financial_rate"].to_numpy(dtype=float) * 100
    top = min(max(100.0, math.ceil(rates.max() / BIN) * BIN), RATE_CAP)
    edges = np.arange(0, top + BIN, BIN)
    counts, _ = np.histogram(np.clip(rates, 0, top), bins=edges)
    tallest = max(int(counts.max()), 1)
    return {
        "title": fill("chart.distribution", lang, total=len(ranked)), "top": top,
        "bins": [{"height": _share(count, tallest),
                  "label": f"{percent(lo / 100, lang, decimals=0)}–{percent(hi / 100, lang, decimals=0)}: {count}"}
                 for count, lo, hi in zip(counts, edges[:-1], edges[1:])],
        "scale": fill("chart.units_scale", lang, units=label("chart.units_axis", lang), tallest=tallest),
        "ticks": [percent(t / 100, lang, decimals=0) for t in np.linspace(0, top, 5)],
        "average_at": _share(average * 100, top) if average is not None else ""}
