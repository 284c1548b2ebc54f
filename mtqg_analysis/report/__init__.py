"""Stage 6, report: what readers see, made from the frames of :mod:`mtqg_analysis.analysis`.

Nothing here opens a file or takes a data folder: the notebooks load a period once
(:func:`mtqg_analysis.store.load_year`) and pass its frames on.

- :mod:`.format`: numbers as text in the report's notation, headers from the label files;
- :mod:`.tables`: HTML tables as an annex sets them (captions, totals, scroll boxes);
- :mod:`.charts`: matplotlib figures;
- :mod:`.bars`: the scorecard's ranking as HTML bars (a scorecard is rendered for every unit);
- :mod:`.display`: showing tables, text and figures in a notebook, numbered captions;
- :mod:`.headline`: the headline blocks and provenance; the title naming the programme and the
  place, the notes on carried-over capital and on figures across a reorganisation;
- :mod:`.sections`: the blocks of the report and the scorecard, each one call of a notebook cell;
- :mod:`.scorecard`: a unit's whole scorecard, its blocks from what is computed once a period;
- :mod:`.findings`: data-quality findings worded in the report's language (``data/findings.csv``);
- :mod:`.notice`: section 2 of the district notice (the narrative);
- :mod:`.excel`: the ``summary.xlsx`` workbook;
- :mod:`.word`: the Word draft of the notice (``thong-bao.docx``);
- :mod:`.page`: the self-contained HTML page (Jinja2 templates in ``data/templates/``);
- :mod:`.template`: the report form each unit fills in (``mtqg template``);
- :mod:`.check`: what ``mtqg check`` prints about a file, and its one-page HTML.
"""
from ..domain.labels import fill, label
from .bars import RankingBars, ranking_bars_html
from .charts import heatmap_figure, ranking_figure, trajectory_figure
from .display import (Captions, figure_html, heading_html, paragraph_html, section, show_figure, show_html, show_markdown,
                      show_table, table_or_text_html)
from .findings import findings_table
from .format import (CAPITAL_COLUMNS, CHANGE_COLUMNS, LAGGING_COLUMNS, LEVEL_COLUMNS, RANKING_COLUMNS,
                     TRAJECTORY_COLUMNS, formatted, level_columns, short_line_name)
from .headline import (across_change_note, capital_caption, capital_table, headline_html, phase_headline_markdown,
                       phase_method, phase_units_caption, phase_year_table, place_table, place_words,
                       programme_name, project_year_headers, provenance_text, unit_headline_html)
from .notice import narrative
from .scorecard import unit_scorecard
from .sections import (capital_section, change_section, full_none_table, heatmap_section, notes_table, place_section,
                       provenance_section, quality_section, ranking_section, tree_table, unit_lines_table)

__all__ = ["CAPITAL_COLUMNS", "CHANGE_COLUMNS", "Captions", "LAGGING_COLUMNS", "LEVEL_COLUMNS", "RANKING_COLUMNS",
           "TRAJECTORY_COLUMNS", "across_change_note", "capital_caption", "capital_section", "capital_table",
           "change_section",
           "figure_html", "fill", "findings_table", "formatted", "full_none_table", "heading_html", "headline_html",
           "heatmap_figure",
           "heatmap_section", "label", "level_columns", "narrative", "notes_table", "paragraph_html", "phase_headline_markdown",
           "phase_method", "phase_units_caption", "phase_year_table", "place_section", "place_table", "place_words", "programme_name",
           "project_year_headers", "provenance_section", "provenance_text", "quality_section", "RankingBars", "ranking_bars_html",
           "ranking_figure",
           "ranking_section", "section", "short_line_name", "show_figure", "show_html", "show_markdown", "show_table",
           "table_or_text_html", "trajectory_figure", "tree_table", "unit_headline_html", "unit_lines_table",
           "unit_scorecard"]
