"""Stage 6, report: what readers see, made from the frames of :mod:`mtqg_analysis.analysis`.

Nothing here opens a file or takes a data folder: the notebooks load a period once
(:func:`mtqg_analysis.store.load_year`) and pass its frames on.

- :mod:`.format`: numbers as text in the report's notation, headers from the label files;
- :mod:`.tables`: HTML tables (every cell escaped);
- :mod:`.charts`: matplotlib figures;
- :mod:`.display`: showing tables, text and figures in a notebook;
- :mod:`.headline`: the headline block, captions and provenance; the title naming the programme
  and the place, the notes on carried-over capital and on figures across a reorganisation;
- :mod:`.notice`: section 2 of the district notice (the narrative);
- :mod:`.excel`: the ``summary.xlsx`` workbook;
- :mod:`.page`: the self-contained HTML page (Jinja2 templates in ``data/templates/``).
"""
from ..domain.labels import fill, label
from .charts import heatmap_figure, ranking_figure, trajectory_figure
from .display import section, show_figure, show_markdown, show_table
from .format import (CAPITAL_COLUMNS, LAGGING_COLUMNS, LEVEL_COLUMNS, RANKING_COLUMNS, TRAJECTORY_COLUMNS, formatted,
                     level_columns)
from .headline import (across_change_note, capital_caption, capital_table, change_caption, headline_markdown,
                       phase_headline_markdown, phase_method, phase_units_caption, phase_year_table, place_table,
                       project_year_headers, programme_name,
                       provenance_markdown, unit_headline_markdown)
from .notice import narrative

__all__ = ["CAPITAL_COLUMNS", "LAGGING_COLUMNS", "LEVEL_COLUMNS", "RANKING_COLUMNS", "TRAJECTORY_COLUMNS",
           "across_change_note", "capital_caption", "capital_table", "change_caption", "fill", "formatted",
           "headline_markdown", "heatmap_figure", "label", "level_columns", "narrative", "phase_headline_markdown",
           "phase_method", "phase_units_caption", "phase_year_table", "place_table", "project_year_headers", "programme_name", "provenance_markdown",
           "ranking_figure", "section", "show_figure", "show_markdown", "show_table", "trajectory_figure",
           "unit_headline_markdown"]
