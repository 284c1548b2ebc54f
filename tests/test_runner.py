"""The runner's checks that need no kernel: parameters, planning, skipping, progress, index, HTML."""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from mtqg_analysis.analysis import ratio
from mtqg_analysis.cli import main
from mtqg_analysis.domain import notation
from mtqg_analysis.errors import ParameterError
from mtqg_analysis.render import jobs, params
from mtqg_analysis.render.index import write_index
from mtqg_analysis.render.batch import Progress
from mtqg_analysis.report.page import external_references, page
from mtqg_analysis.report.tables import table_html
from mtqg_analysis.store import load_year

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("data")
    shutil.copytree(ROOT / "data" / "raw", target / "raw")
    return target


# --- parameters are validated and normalised before papermill -----------------------------------
@pytest.mark.parametrize("alias, canonical", [("2024-H1", "2024-06"), ("2024-9M", "2024-09"), ("2024", "2024-12"),
                                              ("2024-Q1", "2024-03"), (" 2024-06 ", "2024-06")])
def test_periods_are_normalised_to_canonical_text(alias, canonical):
    assert params.validate_period(alias) == canonical


@pytest.mark.parametrize("bad", ["2024-06'; import os", '2024-06"', "2024-06\n", "__import__('os')",
                                 "../2024-06", "2024-13", "H1", "2024-06/..", "{period}"])
def test_bad_periods_are_refused(bad):
    with pytest.raises(ParameterError):
        params.validate_period(bad)


def test_unit_codes_stay_text_with_their_leading_zeros():
    assert params.validate_unit_codes(["01975", "063", "01975"], {"01975", "063"}) == ["01975", "063"]


@pytest.mark.parametrize("bad", ["0197'5", "01975\n", "__import__", "../01975", "01975;x", "1975", 1975, "a b"])
def test_bad_unit_codes_are_refused(bad):
    with pytest.raises(ParameterError):
        params.validate_unit_codes([bad], {"01975"})


def test_lang_is_vi_or_en():
    assert params.validate_lang("en") == "en"
    with pytest.raises(ParameterError):
        params.validate_lang("fr")


@pytest.mark.parametrize("args, message", [
    (["--period", "2024-06'"], "not allowed"),
    (["--period", "2024-06", "--units", "99999"], "unknown unit code '99999'"),
    (["--period", "2024-06", "--lang", "fr"], "--lang must be one of vi, en"),
    (["--period", "2024-06", "--jobs", "0"], "--jobs must be at least 1"),
    ([], "--period"),
])
def test_the_command_refuses_bad_parameters_without_a_traceback(data, tmp_path, capsys, args, message):
    code = main(["report", *args, "--data-dir", str(data), "--reports-dir", str(tmp_path / "reports")])
    err = capsys.readouterr().err
    assert code != 0 and message in err and "Traceback" not in err
    assert not (tmp_path / "reports" / "2024-06").exists()


def test_plan_passes_strings_and_lists_one_job_per_report(data, tmp_path):
    planned = jobs.plan(["2024-06"], ["all"], data, tmp_path, "vi")
    assert planned.errors == []
    stems = [job.stem for job in planned.jobs]
    assert stems[0] == "report" and len(stems) == 16 and "01975" in stems and "063" in stems
    for job in planned.jobs:
        assert all(isinstance(v, str) for v in job.parameters.values())
        assert job.parameters["period"] == "2024-06"
    card = next(job for job in planned.jobs if job.stem == "01975")
    assert card.parameters["unit_code"] == "01975" and "Vi Hương" in card.title


def test_a_period_with_bad_raw_data_is_an_error_line_and_the_others_go_on(data, tmp_path):
    bad = tmp_path / "data"
    shutil.copytree(data / "raw", bad / "raw")
    (bad / "raw" / "2024-09" / "broken.csv").write_text("unit,line,plan_amount,disbursed_amount\nXã Nowhere,DA8,1,1\n",
                                                        encoding="utf-8")
    planned = jobs.plan(["2024-06", "2024-09"], None, bad, tmp_path / "reports", "vi")
    assert [job.period for job in planned.jobs] == ["2024-06"]
    assert len(planned.errors) == 1 and planned.errors[0].startswith("2024-09:")


def test_unchanged_inputs_mean_a_current_render(data, tmp_path):
    job = jobs.plan(["2024-06"], None, data, tmp_path, "vi").jobs[0]
    assert not jobs.is_current(job)
    Path(job.out_dir).mkdir(parents=True)
    job.html_path.write_text("<html></html>", encoding="utf-8")
    (Path(job.out_dir) / "report.fingerprint.json").write_text(json.dumps({"inputs": job.fingerprint}), encoding="utf-8")
    assert jobs.is_current(job)
    again = jobs.plan(["2024-06"], None, data, tmp_path, "vi").jobs[0]
    assert jobs.is_current(again)
    english = jobs.plan(["2024-06"], None, data, tmp_path, "en").jobs[0]
    assert not jobs.is_current(english)


def test_a_changed_raw_file_changes_the_fingerprint(data, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data / "raw", copy / "raw")
    before = load_year("2024-09", copy).input_hashes()
    assert any(name.startswith("2024-06/") for name in before)  # the year so far counts
    (copy / "raw" / "units.csv").write_text((copy / "raw" / "units.csv").read_text(encoding="utf-8") + "\n",
                                            encoding="utf-8")
    assert load_year("2024-09", copy).input_hashes() != before


def test_all_periods_finds_every_raw_folder(data, tmp_path, capsys):
    code = main(["periods", "--data-dir", str(data), "--reports-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    for period, label in [("2024-06", "6 tháng đầu năm 2024"), ("2024-09", "9 tháng năm 2024"), ("2024-12", "năm 2024")]:
        assert period in out and label in out


# --- progress and index ---------------------------------------------------------------------------
def _outcome(stem="report", status="rendered"):
    job = jobs.Job("2024-06", stem, "nb.ipynb", "out", {}, "t", "vi")
    return jobs.Outcome(job, status, 1.5)


def test_progress_without_a_terminal_logs_one_plain_line_per_render(caplog):
    caplog.set_level("INFO", logger="mtqg.report")
    progress = Progress(2, stream=io.StringIO())
    progress.update(_outcome())
    progress.update(_outcome("01975", "failed"))
    assert [r.getMessage() for r in caplog.records] == ["[1/2] rendered 2024-06 report (1.5 s)",
                                                        "[2/2] failed 2024-06 01975 (1.5 s)"]


def test_progress_on_a_terminal_draws_a_bar():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    progress = Progress(2, stream=stream)
    progress.update(_outcome())
    progress.update(_outcome("01975"))
    text = stream.getvalue()
    assert "2/2" in text and "100%" in text and "rendered 2024-06 01975" in text


def _rendered_folders(tmp_path, lang="vi"):
    figures = {"report": {"plan_vnd": 31_804_400_000, "disbursed_vnd": 11_685_233_000, "financial_rate": 0.3674},
               "01975": {"plan_vnd": 2_464_000_000, "disbursed_vnd": 2_181_100_000, "financial_rate": 0.8852,
                         "unit_name": "Xã Vi Hương <b>"},
               "01984": {"plan_vnd": 1_000_000_000, "disbursed_vnd": 0, "financial_rate": 0.0,
                         "unit_name": "Xã Đôn Phong"},
               "01969": {"plan_vnd": 1_000_000_000, "disbursed_vnd": 0, "financial_rate": 0.0,
                         "unit_name": "Thị trấn Phủ Thông"}}
    for period, stems in {"2024-06": ["report", "01975", "01984", "01969"], "2024-09": ["report"]}.items():
        folder = tmp_path / period
        folder.mkdir()
        for stem in stems:
            (folder / f"{stem}.html").write_text("x", encoding="utf-8")
            (folder / f"{stem}.fingerprint.json").write_text(json.dumps(
                {"stem": stem, "title": f"<b>{stem}</b>", "lang": lang, "inputs": {}, "figures": figures[stem]}),
                encoding="utf-8")
    (tmp_path / "2024-06" / "summary.xlsx").write_bytes(b"x")
    (tmp_path / "2024-06" / "thong-bao.docx").write_bytes(b"x")


def test_index_links_every_rendered_period_and_scorecard_with_their_figures(tmp_path):
    _rendered_folders(tmp_path)
    index = write_index(tmp_path).read_text(encoding="utf-8")
    assert 'href="2024-06/report.html"' in index and 'href="2024-06/01975.html"' in index
    assert 'href="2024-09/report.html"' in index and "Xã Vi Hương &lt;b&gt;" in index
    assert 'href="2024-06/summary.xlsx"' in index and 'href="2024-06/thong-bao.docx"' in index
    assert index.index("2024-09") < index.index("2024-06")  # newest first
    # each period's plan, disbursed and rate; each unit's rate
    assert "31.804,4" in index and "11.685,233" in index and "36,74%" in index and "88,52%" in index
    # units in Vietnamese order: Đôn Phong before Thị trấn Phủ Thông, Xã Vi Hương after both
    assert index.index("Xã Đôn Phong") < index.index("Xã Vi Hương")
    assert index.index("Thị trấn Phủ Thông") < index.index("Xã Đôn Phong")
    assert external_references(index) == []


def test_the_english_index_is_english_whatever_the_reports_language(tmp_path):
    from mtqg_analysis.domain.labels import labels

    _rendered_folders(tmp_path, lang="vi")
    index = write_index(tmp_path, "en").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", index, flags=re.DOTALL))
    assert "first half of 2024" in text and "31,804.4" in text and "36.74%" in text
    assert '<html lang="en">' in index
    vietnamese_only = {v for k, v in labels("vi").items() if k.startswith(("index.", "column.", "period."))
                       and v != labels("en")[k]}
    for word in vietnamese_only:
        assert word.split("{")[0].strip() not in text or not word.split("{")[0].strip(), word


# --- HTML page and helpers -----------------------------------------------------------------------
def test_html_parts_of_a_section_escape_the_data_and_say_when_a_table_is_empty():
    import pandas as pd

    from mtqg_analysis.report.display import heading_html, paragraph_html, table_or_text_html

    assert heading_html("unit_rank", "vi", level=3) == "<h3>3. Xếp hạng</h3>"  # the section.unit_rank label
    assert paragraph_html("a <script> & b") == "<p>a &lt;script&gt; &amp; b</p>" and paragraph_html("") == ""
    empty = pd.DataFrame({"period": [], "plan_vnd": []})
    assert table_or_text_html(empty, "vi") == "<p>Không có.</p>"
    assert table_or_text_html(empty, "en", empty="No <rows>") == "<p>No &lt;rows&gt;</p>"
    table = table_or_text_html(pd.DataFrame({"period": ["2024-06"], "plan_vnd": [807_463_000]}), "vi",
                               total={"plan_vnd": 807_463_000})
    assert "<td class=\"num\">807,463</td>" in table and "Tổng cộng" in table


def test_page_has_a_table_of_contents_and_loads_nothing_from_outside():
    body = '<h1 id="t">Title</h1><h2 id="a">1. Số liệu</h2><p>x</p><h2>2. Kết quả</h2><h3>2.1 &lt;x&gt;</h3>'
    out = page(body, "Báo cáo <2024>", "vi")
    assert '<nav class="toc">' in out and 'href="#a"' in out and "Mục lục" in out
    assert "<title>Báo cáo &lt;2024&gt;</title>" in out
    assert out.count('<li class="toc') == 3 and "2.1 &lt;x&gt;" in out
    assert external_references(out) == []


@pytest.mark.parametrize("snippet", ['<script src="https://cdn/x.js"></script>', '<link href="https://x/y.css">',
                                     "background: url(https://x/y.png)", "@import 'x.css'"])
def test_external_references_are_detected(snippet):
    assert external_references(snippet)


def test_data_urls_and_anchors_are_not_external():
    assert external_references('<img src="data:image/png;base64,AAAA"> <a href="#x">x</a> url(data:x)') == []


@pytest.mark.parametrize("value, vi, en", [(2041, "2.041", "2,041"), (807.463, "807,463", "807.463"),
                                           (1066.4, "1.066,4", "1,066.4"), (31804.4, "31.804,4", "31,804.4"),
                                           (616, "616", "616"), (0, "0", "0")])
def test_numbers_in_vietnamese_and_english_notation(value, vi, en):
    assert notation.decimal_text(value, 3, "vi") == vi and notation.decimal_text(value, 3, "en") == en


def test_amounts_and_rates():
    assert notation.amount(11_685_233_000) == "11.685,233"
    assert notation.percent(14 / 46) == "30,43%" and notation.percent(616 / 2041, "en") == "30.18%"
    assert notation.percent(float("nan")) == "–" and ratio(1, 0) != ratio(1, 0)  # NaN where plan is zero


def test_tables_escape_text_from_the_data():
    import pandas as pd

    frame = pd.DataFrame({"unit_name": ["<script>alert(1)</script>"], "plan_vnd": [2_041_000_000]})
    out = table_html(frame, "vi")
    assert "<script>" not in out and "&lt;script&gt;" in out and "2.041" in out and 'class="num"' in out


def test_summary_cells_that_look_like_formulas_are_text():
    from mtqg_analysis.domain.text import spreadsheet_safe as safe_text

    assert [safe_text(v) for v in ["=1+1", "+84", "-x", "@SUM(A1)", "Tạm ứng"]] == ["'=1+1", "'+84", "'-x",
                                                                                    "'@SUM(A1)", "Tạm ứng"]


def test_our_processes_skip_the_iri_grammar_and_still_validate_notebooks():
    """The mtqg command and its workers hide rfc3987_syntax (a 1.2 s grammar compile that
    jsonschema pays on import to check "iri" strings); nbformat's validation is unchanged."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mtqg_analysis.render.kernel import skip_iri_grammar\n"
        "skip_iri_grammar()\n"
        "import jsonschema, nbformat, papermill\n"
        "assert sys.modules['rfc3987_syntax'] is None\n"
        "assert 'iri' not in jsonschema.FormatChecker().checkers\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1')])\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['outputs'] = [{'output_type': 'nonsense'}]\n"
        "try:\n"
        "    nbformat.validate(nb)\n"
        "except nbformat.ValidationError:\n"
        "    print('refused')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == "refused\n", done.stderr
