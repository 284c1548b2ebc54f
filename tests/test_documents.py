"""What an office sends: the Word draft of the notice, and a Vietnamese report with no English in it.

Reads the session's rendered sample (``sample``): ``mtqg report --period 2024-H1`` wrote
``reports/2024-06/thong-bao.docx`` beside the report. The draft is opened with python-docx, and
converted to PDF by LibreOffice (``soffice --headless``, installed by ``.ci/run``), whose first page
is kept as an artifact. Missing LibreOffice is a failure, never a skip.
"""
from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from browser_helpers import first_page_png
from conftest import REPO
from sample_render import DATA_NAME, NAME, PAYLOADS, SCRIPT_NOTE, UNIT

pytestmark = pytest.mark.slow

DATA = REPO / "mtqg_analysis" / "data"
#: Every figure of figures-2024-H1.md, in Vietnamese notation.
FIGURES = ["2.041", "46 nhà", "14 nhà", "616", "30,43%", "30,18%", "223", "74 téc", "44 téc", "132", "59,46%",
           "59,19%", "4.550", "5 dự án", "919", "20,20%", "6.993", "19 dự án", "7 dự án", "2.471", "35,34%",
           "16 công trình", "2.629", "807,463", "30,71%", "36 công trình", "14.302", "6.606", "46,19%",
           "1.066,4", "133,77", "12,54%", "31.804,4", "11.685,233", "36,74%"]


@pytest.fixture(scope="module")
def notice(sample) -> Path:
    return sample["folder"] / "thong-bao.docx"


def document_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_word_draft_holds_every_figure_of_the_notice(notice):
    text = document_text(notice)
    for figure in FIGURES:
        assert figure in text, figure
    assert "Tổng cộng" in text and "HUYỆN BẠCH THÔNG" in text and "UBND huyện Bạch Thông" in text
    for commune in ("Đôn Phong", "Vi Hương", "Lục Bình", "Mỹ Thanh", "Vũ Muộn", "Cao Sơn"):
        assert commune in text, commune


def test_the_word_draft_has_the_layout_of_decree_30(notice):
    from docx import Document
    from docx.shared import Cm

    document = Document(str(notice))
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    assert abs(section.left_margin - Cm(3)) < Cm(0.05)
    header = document.tables[0]
    issuer, motto = header.cell(0, 0).text, header.cell(0, 1).text
    assert "ỦY BAN NHÂN DÂN" in issuer and "HUYỆN BẠCH THÔNG" in issuer
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in motto and "Độc lập - Tự do - Hạnh phúc" in motto
    assert "/TB-UBND" in header.cell(1, 0).text and "ngày" in header.cell(1, 1).text
    paragraphs = [p.text for p in document.paragraphs]
    assert "THÔNG BÁO" in paragraphs
    assert any(p.startswith("Kết quả thực hiện Chương trình MTQG") and "6 tháng đầu năm 2024" in p for p in paragraphs)
    for heading in ("1. Công tác chỉ đạo", "2. Kết quả thực hiện chương trình 6 tháng đầu năm 2024",
                    "3. Đánh giá chung", "4. Kiến nghị"):
        assert any(p.startswith(heading) for p in paragraphs), heading
    # section 2 is written; the others are marked placeholders
    assert any(p.startswith("- Nội dung số 02: Hỗ trợ nhà ở. Vốn giao: 2.041 triệu đồng") for p in paragraphs)
    marked = [r for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert marked and all(r.text.startswith("[") for r in marked)
    signature = document.tables[-1]
    assert "Nơi nhận:" in signature.cell(0, 0).text and "TL. CHỦ TỊCH" in signature.cell(0, 1).text
    # Times New Roman 13-14 in the body
    body = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    assert all(r.font.name == "Times New Roman" for r in body)
    sizes = {r.font.size.pt for r in body if r.font.size}
    assert sizes <= {13, 13.5, 14} and 14 in sizes


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui (CI does this in .ci/run)")


def convert(source: Path, target_dir: Path, to: str) -> Path:
    profile = target_dir / "lo-profile"
    subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
                    "--outdir", str(target_dir), str(source)], check=True, capture_output=True, timeout=240)
    return target_dir / f"{source.stem}.{to}"


def test_libreoffice_prints_the_draft_as_a_notice_on_a4(notice, tmp_path, artifacts):
    from pypdf import PdfReader

    pdf = convert(notice, tmp_path, "pdf")
    reader = PdfReader(str(pdf))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4 portrait
    assert 2 <= len(reader.pages) <= 6
    first = reader.pages[0].extract_text()
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "THÔNG BÁO", "Số:", "2. Kết quả thực hiện chương trình"):
        assert words in first, words
    last = "".join(page.extract_text() for page in reader.pages[-2:])
    assert "Nơi nhận:" in last and "TL. CHỦ TỊCH" in last
    fonts = {str(f) for page in reader.pages for f in (page.get("/Resources", {}).get("/Font") or {}).values()
             for f in [f.get_object().get("/BaseFont")]}
    assert any("Liberation" in f or "Times" in f for f in fonts), fonts  # Times New Roman or its metric twin
    shutil.copyfile(pdf, artifacts / "thong-bao-2024-06.pdf")
    first_page_png(pdf.read_bytes(), artifacts / "thong-bao-2024-06-page1.png")
    assert (artifacts / "thong-bao-2024-06-page1.png").stat().st_size > 10_000


# --- no English in the Vietnamese report -------------------------------------------------------------
def _words(text: str) -> set[str]:
    """Words of plain Latin letters only (Vietnamese words mostly carry diacritics or are short)."""
    text = re.sub(r"\{[^}]*\}", " ", text)
    return {w.lower() for w in re.findall(r"(?<![\w/.-])[A-Za-z]{3,}(?![\w/.-])", text)}


def english_words() -> set[str]:
    """Words that the package's English texts use and its Vietnamese texts never do: any of them
    in the Vietnamese report is English that leaked in."""
    english, vietnamese = set(), set()
    for name in ("labels.csv", "findings.csv"):
        with open(DATA / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                english |= _words(row["en"])
                vietnamese |= _words(row["vi"])
    for stem in ("narrative", "thong_bao"):
        english |= _words(re.sub(r"(?m)^#.*$|^\[.*\]$|^\w+ = ", " ", (DATA / f"{stem}_en.txt").read_text("utf-8")))
        vietnamese |= _words((DATA / f"{stem}_vi.txt").read_text("utf-8"))
    for name in ("catalog.csv",):
        with open(DATA / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                english |= _words(row["en_name"])
    english |= {"warning", "info", "none", "nan", "true", "false", "period", "lang", "data", "unit", "code",
                "plan", "disbursed", "rate", "line", "row", "sheet", "file", "total"}
    return english - vietnamese


def data_names(sample) -> list[str]:
    """Text that comes from the data (names, notes, files, sheets): allowed whatever its language."""
    import pandas as pd

    names = [DATA_NAME, NAME, SCRIPT_NOTE, *PAYLOADS, "mtqg-analysis", "SHA-256"]
    funding = pd.read_csv(sample["data"] / "processed" / "2024-06" / "funding.csv", dtype=str, keep_default_na=False)
    for column in ("unit_name", "note", "source_file", "source_sheet", "measure_unit"):
        names += list(funding[column].unique())
    names += [p.relative_to(sample["data"] / "raw").as_posix() for p in (sample["data"] / "raw").rglob("*")]
    return sorted({n for n in names if n}, key=len, reverse=True)


def visible(page: str) -> str:
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.DOTALL)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


@pytest.mark.parametrize("which", ["report", "card"])
def test_no_english_word_in_the_vietnamese_report(sample, which):
    page = sample[which].read_text(encoding="utf-8")
    text = visible(page)
    for name in data_names(sample):
        text = text.replace(name, " ")
    leaked = sorted(_words(text) & english_words())
    assert leaked == [], leaked
    # no Python reprs, no internal check names, no path of the machine that rendered it
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    assert "period=" not in text and "'2024-06'" not in text and "+0000" not in text
    assert str(sample["data"]) not in page and str(sample["base"]) not in page


def test_findings_are_worded_in_vietnamese_in_the_report(sample):
    text = visible(sample["report"].read_text(encoding="utf-8"))
    assert "Dòng tổng không khớp" in text
    assert ("Dòng cộng của Dự án 3: Phát triển sản xuất nông, lâm nghiệp bền vững, phát huy tiềm năng, thế mạnh "
            "của các vùng miền để sản xuất hàng hóa theo chuỗi giá trị: kế hoạch vốn ghi 788 triệu đồng, cộng các "
            "dòng chi tiết được 738 triệu đồng (1 dòng).") in text
    assert "trang tính Xã Nguyên Phúc, dòng 12" in text
    assert "Cảnh báo" in text
    assert "Kỳ báo cáo: 6 tháng đầu năm 2024; Ngôn ngữ: tiếng Việt" in text
