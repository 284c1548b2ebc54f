"""The real notebooks, run by the real runner on the shipped sample data (copied to a tmp dir).

Rendering is slow (a kernel per notebook), so the reports are rendered once per test session by
:func:`rendered` and every test reads what a reader would see in the HTML.
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from mtqg_analysis.report.page import external_references
from sample_render import SCRIPT_NOTE, UNIT

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def rendered(sample) -> dict:
    return sample


@pytest.fixture(scope="session")
def report_html(rendered) -> str:
    return rendered["report"].read_text(encoding="utf-8")


def visible_text(page: str) -> str:
    """The page's text without tags, styles and images (what a reader sees)."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.DOTALL)
    page = re.sub(r"<[^>]+>", " ", page)
    import html

    return re.sub(r"\s+", " ", html.unescape(page))


# --- what the district report shows ----------------------------------------------------------------
def test_report_command_prints_the_html_path(rendered):
    assert str(rendered["report"]) in rendered["first"].stdout.splitlines()


@pytest.mark.parametrize("figure", [
    "2.041", "616", "30,43%", "30,18%", "223", "132", "59,46%", "59,19%", "4.550", "919", "20,20%",
    "6.993", "2.471", "35,34%", "2.629", "807,463", "30,71%", "14.302", "6.606", "46,19%",
    "1.066,4", "133,77", "12,54%", "31.804,4", "11.685,233", "36,74%",
])
def test_report_shows_the_notice_figures_in_vietnamese_notation(report_html, figure):
    assert figure in visible_text(report_html)


def test_report_has_the_narrative_and_the_sections(report_html):
    text = visible_text(report_html)
    assert "6 tháng đầu năm 2024" in text
    for heading in ("Tình hình chung", "Kết quả thực hiện", "Kết quả theo dự án, tiểu dự án và nội dung",
                    "Xếp hạng xã, thị trấn", "Chất lượng dữ liệu", "Nguồn gốc số liệu", "Mục lục"):
        assert heading in text, heading
    assert "Vi Hương" in text and "Lục Bình" in text


def test_report_headline_gives_the_state_of_the_period(report_html):
    text = visible_text(report_html)
    start = text.index("Số liệu tổng hợp ngày")  # after the title and the contents
    headline = text[start:text.index("2. Kết quả thực hiện", start)]
    assert "– Huyện Bạch Thông Lũy kế 6 tháng đầu năm 2024." in text[:start]  # the place and period in the title
    assert re.search(r"Số liệu tổng hợp ngày \d\d/\d\d/20\d\d", text)  # the local date
    assert ("Đến hết 6 tháng đầu năm 2024, toàn huyện đã giải ngân 36,74% kế hoạch vốn, chậm hơn tiến độ thời gian "
            "(50,00% của năm); còn 20.119,167 triệu đồng chưa giải ngân.") in headline
    for figure in ("31.804,4", "11.685,233", "36,74%", "20.119,167"):
        assert figure in headline
    # the communes counted apart from the district's own budget, which has its own line
    assert "14 xã, thị trấn báo cáo" in headline
    assert "Ngân sách cấp huyện (Huyện Bạch Thông), tính riêng, không xếp hạng" in headline
    assert "Nội dung giải ngân chậm nhất:" in headline and "Xã, thị trấn giải ngân chậm nhất: Quang Thuận" in headline


def test_report_tables_are_set_as_an_annex(report_html):
    text = visible_text(report_html)
    # numbered captions with the money unit, a total row, names before codes
    assert "Bảng 1. Kế hoạch, khối lượng và giải ngân theo dự án, tiểu dự án và nội dung (tiền: triệu đồng)" in text
    assert re.search(r"Bảng 2\. Xếp hạng xã, thị trấn", text) and re.search(r"Hình 1\. ", text)
    assert re.search(r"Tổng cộng – – 31\.804,4 11\.685,233 36,74%", text)
    assert "Nội dung số 02: Hỗ trợ nhà ở DA1.ND2" in text
    # one tree table instead of three tables repeating each other: each line's row appears once
    assert text.count("Dự án hỗ trợ phát triển sản xuất cộng đồng DA3.TDA2.ND1.CONGDONG") == 2  # tree + full/none
    # the district's own budget is listed after the ranked communes, unranked; 14 ranks
    ranking = text[text.index("Bảng 2."):text.index("Hình 1.")]
    assert "Ngân sách cấp huyện (Huyện Bạch Thông)" in ranking and " 15 " not in ranking
    assert ranking.index("Xã Quang Thuận") < ranking.index("Ngân sách cấp huyện")
    assert "bình quân" in report_html or "Hình 1." in text
    # the first period of the year: no trajectory table repeating the headline, one sentence instead
    assert "Đây là kỳ đầu tiên của năm" in text
def test_report_quality_section_names_the_file_that_was_not_read(rendered, report_html):
    """Spec §2: the signed PDF beside the workbook is not read; the report and the command say so."""
    from sample_render import SIGNED_PDF

    assert "mtqg report: 1 file(s) NOT READ" in rendered["first"].stderr
    assert f"file 2024-06/{SIGNED_PDF}: not a report file" in rendered["first"].stderr
    text = visible_text(report_html)
    quality = text[text.index("Chất lượng dữ liệu"):]
    assert f"2024-06/{SIGNED_PDF}" in quality
    assert "file_not_read" in quality or "không đọc" in quality.lower()


def test_report_lists_full_and_no_disbursement_as_the_notice_does(report_html):
    text = visible_text(report_html)
    section = text.rsplit("5. Xã, thị trấn giải ngân 100% và chưa giải ngân", 1)[1]
    water = re.search(r"Hỗ trợ nước sinh hoạt phân tán DA1\.ND4\.PT (.*?) (Mỹ Thanh, Vũ Muộn)", section)
    assert water, "the water line should list its fully disbursed and its not disbursed communes"
    assert water[1].startswith("Cao Sơn, Dương Phong, Lục Bình")  # in Vietnamese alphabetical order
    for commune in ("Tân Tú", "Lục Bình", "Nguyên Phúc", "Sĩ Bình", "Cao Sơn", "Dương Phong", "Quang Thuận",
                    "TT Phủ Thông"):
        assert commune in water[1]


def test_report_has_no_code_and_nothing_external(report_html):
    assert "load_period(" not in report_html and "import " not in visible_text(report_html)
    assert "injected-parameters" not in report_html and "In&nbsp;[" not in report_html
    assert external_references(report_html) == []
    assert "require.js" not in report_html and "MathJax" not in report_html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", report_html)


def test_report_is_small_apart_from_its_images(report_html):
    without_images = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", report_html)
    assert len(without_images.encode()) < 200_000
    # ranking and heat map; 2024-06 opens its year, so no trajectory chart repeats the headline
    assert report_html.count("data:image/png;base64,") >= 2


def test_a_note_with_a_script_tag_is_shown_as_text(rendered, report_html):
    assert "<script" not in report_html.lower()
    assert "&lt;script&gt;alert(" in report_html
    assert "<script>alert('x')</script> Tạm ứng" in visible_text(report_html)
    card = (rendered["reports"] / "2024-06" / f"{UNIT}.html").read_text(encoding="utf-8")
    assert "<script" not in card.lower()


def test_the_executed_notebook_and_the_summary_stay_beside_the_html(rendered):
    folder = rendered["reports"] / "2024-06"
    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and re.search(r"period = ['\"]2024-06['\"]", injected[0].source)
    assert (folder / "summary.xlsx").exists()
    index = (rendered["reports"] / "index.html").read_text(encoding="utf-8")
    assert 'href="2024-06/report.html"' in index and f'href="2024-06/{UNIT}.html"' in index
    assert external_references(index) == []


def test_summary_workbook_has_vietnamese_headers_number_formats_and_no_formulas(rendered):
    from openpyxl import load_workbook

    book = load_workbook(rendered["reports"] / "2024-06" / "summary.xlsx")
    assert book.sheetnames[0] == "Tổng hợp"
    sheet = book["Theo dự án và nội dung"]
    assert "Huyện Bạch Thông" in sheet["A1"].value and sheet["A2"].value == "Lũy kế 6 tháng đầu năm 2024"
    assert sheet["A3"].value == "Đơn vị tính: triệu đồng"
    headers = [c.value for c in sheet[5]]
    assert headers[:2] == ["Nội dung", "Mã"]  # names before codes
    assert "Kế hoạch vốn" in headers and "Tỷ lệ giải ngân" in headers
    plan = headers.index("Kế hoạch vốn") + 1
    rate = headers.index("Tỷ lệ giải ngân") + 1
    total = [c.value for c in sheet[6]]
    assert total[0] == "Tổng cộng" and total[plan - 1] == 31804.4
    housing = next(r for r in sheet.iter_rows(min_row=6) if r[1].value == "DA1.ND2")
    assert housing[plan - 1].value == 2041 and housing[plan - 1].number_format == "#,##0.###"
    assert round(housing[rate - 1].value, 4) == 0.3018 and housing[rate - 1].number_format == "0.00%"
    # ready to print: landscape A4 fitted to the width, the header row repeated, labels wrapped,
    # an explicit font with Vietnamese glyphs on every cell
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$5:$5"
    assert housing[0].alignment.wrap_text
    for ws in book.worksheets:
        assert all(c.font.name == "Times New Roman" for row in ws.iter_rows() for c in row if c.value is not None)
    summary = book["Tổng hợp"]
    texts = [c.value for c in summary["A"] if isinstance(c.value, str)]
    assert any("Tổng kế hoạch vốn các nội dung có số liệu là 31.804,4 triệu đồng" in t for t in texts)
    assert any(t.startswith("- Nội dung số 02: Hỗ trợ nhà ở.") for t in texts)
    quality = book["Chất lượng dữ liệu"]
    assert any(c.value == "Dòng tổng không khớp" for row in quality.iter_rows() for c in row)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_links_between_index_report_scorecards_and_periods(rendered, report_html):
    card = (rendered["reports"] / "2024-06" / f"{UNIT}.html").read_text(encoding="utf-8")
    index = (rendered["reports"] / "index.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in report_html and 'href="../index.html"' in card
    assert 'href="report.html"' in card
    assert f'href="{UNIT}.html"' in report_html  # the ranking links the scorecard rendered beside it
    assert 'href="01978.html"' not in report_html  # ... and no scorecard that is not there
    # the next period has raw data: its page is linked (previous: none, 2024-06 is the first)
    assert 'href="../2024-09/report.html"' in report_html and f'href="../2024-09/{UNIT}.html"' in card
    assert 'rel="prev"' not in report_html
    assert "31.804,4" in index and "36,74%" in index and "88,52%" in index  # figures on the index
    assert 'href="2024-06/thong-bao.docx"' in index and 'href="2024-06/summary.xlsx"' in index


# --- the scorecard ----------------------------------------------------------------------------------
def test_scorecard_shows_the_unit_against_the_district(rendered):
    card = visible_text((rendered["reports"] / "2024-06" / f"{UNIT}.html").read_text(encoding="utf-8"))
    assert "Phiếu đánh giá đơn vị: Xã Vi Hương" in card
    assert "88,52%" in card  # Vi Hương disbursed 2.181,1 of 2.464
    assert "36,74%" in card  # the district rate beside it
    assert re.search(r"Xếp hạng: 1\s*/\s*14", card)  # best rank of the 14 communes and town
    assert "Không có nội dung nào chậm hơn toàn huyện." in card  # the best commune lags on no line
    assert "Huyện Bạch Thông" in card  # the place
    assert re.search(r"Tổng cộng – – 2\.464 2\.181,1 88,52% 36,74%", card)


def test_each_scorecard_section_is_one_output_and_an_entry_of_its_table_of_contents(rendered):
    from mtqg_analysis.domain.labels import label

    folder = rendered["reports"] / "2024-06"
    executed = nbformat.read(folder / f"{UNIT}.ipynb", as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert {o["output_type"] for o in outputs} == {"display_data"}  # nothing printed, no stray value
    page = (folder / f"{UNIT}.html").read_text(encoding="utf-8")
    toc = page[page.index('<nav class="toc">'):page.index("</nav>")]
    for key, part in (("unit_lines", "<table"), ("unit_rank", 'class="chart bars"'), ("unit_notes", "")):
        heading = label(f"section.{key}", "vi")
        # the heading and what it heads arrive together: one message from the kernel per section
        together = [o for o in outputs if heading in o["data"]["text/html"]]
        assert len(together) == 1 and part in together[0]["data"]["text/html"], key
        anchor = re.search(rf'<h2 id="([^"]+)">{re.escape(heading)}</h2>', page)[1]
        assert f'href="#{anchor}"' in toc and heading in toc

# --- skipping, failures ------------------------------------------------------------------------------
def test_a_second_run_with_nothing_changed_renders_nothing(rendered, mtqg):
    html = rendered["reports"] / "2024-06" / "report.html"
    before = html.stat().st_mtime_ns
    again = mtqg("report", "--period", "2024-06", "--units", UNIT, "--data-dir", str(rendered["data"]),
                 "--reports-dir", str(rendered["reports"]))
    assert again.code == 0, again.stderr
    assert "unchanged 2024-06 report" in again.stderr and "rendered" not in again.stderr
    assert str(html) in again.stdout
    assert html.stat().st_mtime_ns == before


def test_a_failing_notebook_keeps_the_old_html_and_names_the_cell(rendered, tmp_path, mtqg):
    broken = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, broken)
    nb = nbformat.read(broken / "period_report.ipynb", as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell("raise ValueError('broken on purpose')"))
    nbformat.write(nb, broken / "period_report.ipynb")
    html = rendered["reports"] / "2024-06" / "report.html"
    old = html.read_bytes()
    result = mtqg("report", "--period", "2024-06", "--force", "--jobs", "1", "--notebooks-dir", str(broken),
                  "--data-dir", str(rendered["data"]), "--reports-dir", str(rendered["reports"]))
    assert result.code != 0
    assert re.search(r"2024-06 report FAILED: cell \d+ \(In \[\d+\]: raise ValueError", result.stderr), result.stderr
    assert "ValueError: broken on purpose" in result.stderr
    assert html.read_bytes() == old
    failed = rendered["reports"] / "2024-06" / "report.failed.ipynb"
    assert failed.exists()
    # the fingerprint still describes the old HTML: a normal run (not forced) skips it
    again = mtqg("report", "--period", "2024-06", "--data-dir", str(rendered["data"]),
                 "--reports-dir", str(rendered["reports"]))
    assert again.code == 0 and "unchanged 2024-06 report" in again.stderr, again.stderr
    failed.unlink()


def test_in_a_batch_the_other_renders_finish_and_the_exit_code_says_one_failed(rendered, tmp_path, mtqg):
    broken = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, broken)
    nb = nbformat.read(broken / "unit_scorecard.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("assert unit_code != '01975', 'no scorecard for Vi Hương'"))
    nbformat.write(nb, broken / "unit_scorecard.ipynb")
    reports = tmp_path / "reports"
    result = mtqg("report", "--period", "2024-06", "--units", "01975", "01978", "--jobs", "2",
                  "--notebooks-dir", str(broken), "--data-dir", str(rendered["data"]), "--reports-dir", str(reports))
    assert result.code == 1
    assert "2024-06 01975 FAILED" in result.stderr and "AssertionError: no scorecard for Vi Hương" in result.stderr
    assert (reports / "2024-06" / "01978.html").exists() and (reports / "2024-06" / "report.html").exists()
    assert not (reports / "2024-06" / "01975.html").exists()
    assert (reports / "2024-06" / "01975.failed.ipynb").exists()


def test_explore_notebook_runs_top_to_bottom_with_its_defaults(rendered, tmp_path):
    import papermill as pm

    from mtqg_analysis.render.kernel import kernel_manager_class

    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / "explore.ipynb"), str(out), parameters={"data_dir": str(rendered["data"])},
                        kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOKS),
                        kernel_manager_class=kernel_manager_class())
    nb = nbformat.read(out, as_version=4)
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


def test_notebooks_are_committed_without_outputs_and_with_a_commented_parameters_cell():
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        assert nb.cells.index(tagged[0]) <= 1, path.name
        for line in tagged[0].source.splitlines():
            assert "#" in line, f"{path.name}: parameter without a comment: {line}"
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


def test_fingerprint_records_hashes_of_the_inputs(rendered):
    record = json.loads((rendered["reports"] / "2024-06" / "report.fingerprint.json").read_text(encoding="utf-8"))
    inputs = record["inputs"]
    assert set(inputs) >= {"inputs", "notebook", "package", "parameters"}
    assert inputs["parameters"]["period"] == "2024-06"
    assert all(len(h) == 64 for h in inputs["inputs"].values())


def test_the_kernel_is_this_interpreter_even_when_a_python3_kernelspec_points_elsewhere(tmp_path, monkeypatch):
    from mtqg_analysis.render.execute import render
    from mtqg_analysis.render.jobs import Job

    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f",
                                                           "{connection_file}"], "display_name": "elsewhere",
                                                  "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "x", "language": "python"}})
    params = nbformat.v4.new_code_cell('period: str = "2024-06"  # reporting period')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("import sys\nprint(sys.executable)")]
    nbformat.write(nb, tmp_path / "which.ipynb")
    outcome = render(Job("2024-06", "which", str(tmp_path / "which.ipynb"), str(tmp_path / "out"),
                         {"period": "2024-06"}, "which", "vi"))
    assert outcome.status == "rendered", outcome.message
    executed = nbformat.read(tmp_path / "out" / "which.ipynb", as_version=4)
    assert executed.cells[-1].outputs[0]["text"].strip() == sys.executable


def test_a_notebook_that_is_no_units_scorecard_renders_beside_processed_tables(rendered, tmp_path):
    """After `make report` the period's tables are processed: a notebook of that period that is not
    a unit's scorecard (here "which") still renders, without figures for the index."""
    from mtqg_analysis.render.execute import render, unit_figures
    from mtqg_analysis.render.jobs import Job

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "x", "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("print('not a scorecard')")]
    nbformat.write(nb, tmp_path / "which.ipynb")
    job = Job("2024-06", "which", str(tmp_path / "which.ipynb"), str(tmp_path / "out"),
              {"period": "2024-06", "data_dir": str(rendered["data"])}, "which", "vi")
    assert unit_figures(job) == {}
    outcome = render(job)
    assert outcome.status == "rendered", outcome.message
    assert (tmp_path / "out" / "which.html").exists()
    assert unit_figures(Job("2024-06", UNIT, str(tmp_path / "which.ipynb"), str(tmp_path / "out"),
                            {"period": "2024-06", "data_dir": str(rendered["data"])}, UNIT, "vi"))["plan_vnd"] > 0


# --- one kernel per worker, reset between notebooks ---------------------------------------------------
def _tiny_notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "x", "language": "python"}})
    params = nbformat.v4.new_code_cell('period: str = "2024-06"  # reporting period')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(source) for source in sources)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


# Leaves behind all it can: a variable, an open figure, matplotlib and pandas settings, another
# working directory, an environment variable, a sys.path entry and a warning filter.
LITTERS = """import os, sys, warnings
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
leak = "from the first notebook"
plt.figure()
matplotlib.use("Agg")
matplotlib.rcParams["lines.linewidth"] = 9
pd.set_option("display.max_rows", 3)
os.environ["MTQG_LEAK"] = "1"
sys.path.insert(0, "/nowhere")
warnings.simplefilter("error")
os.chdir("/")
print(os.getpid())"""

# Reports what it finds, as JSON on its last output.
LOOKS = """import json, os, sys, warnings
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
print(json.dumps({"pid": os.getpid(), "leak": "leak" in globals(), "figures": len(plt.get_fignums()),
                  "linewidth": matplotlib.rcParams["lines.linewidth"], "max_rows": pd.get_option("display.max_rows"),
                  "backend": matplotlib.get_backend(), "env": os.environ.get("MTQG_LEAK"), "cwd": os.getcwd(),
                  "nowhere": "/nowhere" in sys.path, "filter": warnings.filters[0][0] if warnings.filters else None}))"""


def _render_tiny(kernel, notebook: Path, out: Path):
    from mtqg_analysis.render.execute import render
    from mtqg_analysis.render.jobs import Job

    return render(Job("2024-06", notebook.stem, str(notebook), str(out), {"period": "2024-06"}, notebook.stem, "vi"),
                  kernel)


def _last_output(out: Path, stem: str) -> str:
    executed = nbformat.read(out / f"{stem}.ipynb", as_version=4)
    return [o for o in executed.cells[-1].outputs if o.get("name") == "stdout"][-1]["text"].strip()


def test_notebooks_run_one_after_another_in_one_kernel_do_not_see_each_other(tmp_path):
    from mtqg_analysis.render.kernel import WarmKernel

    first = _tiny_notebook(tmp_path / "one" / "litters.ipynb", LITTERS)
    second = _tiny_notebook(tmp_path / "two" / "looks.ipynb", LOOKS)
    fresh = _tiny_notebook(tmp_path / "two" / "fresh.ipynb", LOOKS)
    out = tmp_path / "out"
    with WarmKernel() as alone:  # what a new kernel shows
        assert _render_tiny(alone, fresh, out).status == "rendered"
    expected = json.loads(_last_output(out, "fresh"))
    with WarmKernel() as kernel:
        outcome = _render_tiny(kernel, first, out)
        assert outcome.status == "rendered", outcome.message
        outcome = _render_tiny(kernel, second, out)
        assert outcome.status == "rendered", outcome.message
        assert kernel.started == 1
    seen = json.loads(_last_output(out, "looks"))
    assert seen["pid"] == int(_last_output(out, "litters"))  # the same kernel ran both
    assert seen["leak"] is False and seen["figures"] == 0 and seen["env"] is None and seen["nowhere"] is False
    assert seen["cwd"] == str(tmp_path / "two")  # the second notebook's folder, as papermill's cwd
    for key in ("linewidth", "max_rows", "backend", "filter"):
        assert seen[key] == expected[key], key
    executed = nbformat.read(out / "looks.ipynb", as_version=4)
    assert [c.execution_count for c in executed.cells] == [1, 2, 3]  # numbered as in a new kernel


@pytest.mark.parametrize("failure", ["raise ValueError('broken on purpose')", "import os\nos._exit(1)"],
                         ids=["error", "dead-kernel"])
def test_after_a_failed_notebook_the_next_one_gets_a_new_kernel_and_renders(tmp_path, failure):
    from mtqg_analysis.render.kernel import WarmKernel

    broken = _tiny_notebook(tmp_path / "broken.ipynb", "leak = 1\nprint('ran before')", failure)
    looks = _tiny_notebook(tmp_path / "looks.ipynb", LOOKS)
    out = tmp_path / "out"
    with WarmKernel() as kernel:
        assert _render_tiny(kernel, looks, out).status == "rendered"
        before = json.loads(_last_output(out, "looks"))["pid"]
        outcome = _render_tiny(kernel, broken, out)
        assert outcome.status == "failed" and (out / "broken.failed.ipynb").exists()
        # the executed notebook is written once, yet what ran before the failure (even a dead
        # kernel's) is kept
        kept = nbformat.read(out / "broken.failed.ipynb", as_version=4)
        ran = next(c for c in kept.cells if c.cell_type == "code" and "ran before" in c.source)
        assert [o.get("text", "").strip() for o in ran.outputs] == ["ran before"]
        if "ValueError" in failure:
            assert "cell 3 (In [4]: raise ValueError" in outcome.message  # counted as in a new kernel
        outcome = _render_tiny(kernel, looks, out)
        assert outcome.status == "rendered", outcome.message
        assert kernel.started == 2
    after = json.loads(_last_output(out, "looks"))
    assert after["pid"] != before and after["leak"] is False


def test_worker_processes_keep_their_kernel_between_renders(tmp_path):
    from mtqg_analysis.render.batch import run_jobs
    from mtqg_analysis.render.jobs import Job

    litters = _tiny_notebook(tmp_path / "litters.ipynb", LITTERS)
    clean = _tiny_notebook(tmp_path / "clean.ipynb", "assert 'leak' not in globals()", "import os\nprint(os.getpid())")
    out = tmp_path / "out"
    jobs = [Job("2024-06", f"{nb.stem}{i}", str(nb), str(out), {"period": "2024-06"}, "t", "vi")
            for i in range(3) for nb in (litters, clean)]
    outcomes = run_jobs(jobs, 2)
    assert [o.status for o in outcomes] == ["rendered"] * 6, [o.message for o in outcomes]
    pids = [int(_last_output(out, job.stem)) for job in jobs]
    assert len(set(pids)) <= 2  # 6 notebooks, 2 workers, one kernel each
