"""Section 2 of the notice (narrative.py) and the quality summary, on hand-built tables."""
import re

import pandas as pd
import pytest

from conftest_aggregate import h1_frame, q3_frame
from mtqg_analysis.report import notice as nar
from mtqg_analysis.errors import ParameterError
from mtqg_analysis.analysis.quality import counts_by_check, summarise_quality, worst_units


def paragraph(text: str, start: str) -> str:
    """The one paragraph (markdown line) that starts with ``start``."""
    found = [line for line in text.splitlines() if line.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def communes(sentence: str, before: str, after: str) -> set[str]:
    """The comma-separated names between ``before`` and ``after`` in ``sentence``."""
    match = re.search(re.escape(before) + r"(.*?)" + re.escape(after), sentence)
    assert match, (before, after, sentence)
    return {name.strip() for name in match.group(1).split(",")}


@pytest.fixture(scope="module")
def h1_text():
    return nar.narrative(h1_frame())


def check_h1_narrative(text: str):
    """Sentence by sentence, the figures and communes of figures-2024-H1.md."""
    assert text.startswith("## 2. Kết quả thực hiện chương trình 6 tháng đầu năm 2024")
    assert "* **Dự án 1. Giải quyết tình trạng thiếu đất ở, nhà ở, đất sản xuất, nước sinh hoạt**" in text

    housing = paragraph(text, "- Nội dung số 02: Hỗ trợ nhà ở.")
    assert ("Vốn giao: 2.041 triệu đồng, thực hiện xây mới 46 nhà ở. Trong 6 tháng đã thực hiện và giải "
            "ngân được 14 nhà = 616 triệu đồng, đạt 30,43% khối lượng, giải ngân đạt 30,18% kế hoạch vốn") in housing
    assert communes(housing, "(các xã ", " đã giải ngân") == {
        "Tân Tú", "Lục Bình", "Nguyên Phúc", "Mỹ Thanh", "Dương Phong", "Vi Hương"}
    assert "các xã còn lại đang triển khai thực hiện)." in housing

    water = paragraph(text, "- Nội dung số 04: Hỗ trợ nước sinh hoạt.")
    for part in ("223 triệu đồng", "74 téc", "44 téc", "132 triệu đồng", "đạt 59,46% khối lượng",
                 "giải ngân đạt 59,19% kế hoạch vốn"):
        assert part in water
    assert communes(water, "các xã giải ngân 100%: ", ";") == {
        "Tân Tú", "Lục Bình", "Nguyên Phúc", "Sĩ Bình", "Cao Sơn", "Dương Phong", "Quang Thuận", "TT Phủ Thông"}
    assert communes(water, "các xã chưa giải ngân: ", ").") == {"Mỹ Thanh", "Vũ Muộn"}

    chain = paragraph(text, "+ *Dự án phát triển sản xuất theo chuỗi giá trị*:")
    for part in ("5 dự án", "4.550 triệu đồng", "1 dự án đã giải ngân", "919 triệu đồng", "đạt 20,20% kế hoạch vốn"):
        assert part in chain
    assert communes(chain, "tại các xã: ", ", kinh phí") == {"Đôn Phong"}

    community = paragraph(text, "+ *Dự án hỗ trợ phát triển sản xuất cộng đồng*:")
    for part in ("19 dự án", "6.993 triệu đồng", "7 dự án đã giải ngân", "2.471 triệu đồng", "đạt 35,34% kế hoạch vốn"):
        assert part in community
    assert communes(community, "tại các xã: ", ", kinh phí") == {"Cao Sơn", "Vi Hương", "Nguyên Phúc", "Đôn Phong", "Lục Bình"}

    upkeep = paragraph(text, "+ Vốn sự nghiệp: Duy tu, bảo dưỡng 16 công trình/2.629 triệu đồng")
    for part in ("thực hiện xong 7 công trình", "giải ngân 807,463 triệu đồng", "đạt 30,71% kế hoạch vốn",
                 "43,75% khối lượng"):
        assert part in upkeep
    assert communes(upkeep, "(các xã: ", " đã thực hiện xong") == {"Vi Hương", "Mỹ Thanh"}

    works = paragraph(text, "+ Vốn đầu tư: Thực hiện 36 công trình/14.302 triệu đồng")
    for part in ("thực hiện xong 16 công trình", "giải ngân 6.606 triệu đồng", "đạt 46,19% kế hoạch vốn"):
        assert part in works

    da8 = paragraph(text, "Tổng nguồn vốn là 1.066,4 triệu đồng")
    assert "đã giải ngân 133,77 triệu đồng, đạt 12,54% kế hoạch vốn" in da8
    assert communes(da8, "xã đạt tỷ lệ giải ngân cao: ", ";") == {"Vũ Muộn", "Vi Hương"}
    assert communes(da8, "xã chưa giải ngân: ", ").") == {"Lục Bình", "Cao Sơn"}
    assert text.index("* **Dự án 8.") < text.index(da8)

    overall = paragraph(text, "Tổng kế hoạch vốn")
    assert "31.804,4 triệu đồng, đã giải ngân 11.685,233 triệu đồng, đạt 36,74% kế hoạch vốn" in overall
    assert communes(overall, "các xã có tỷ lệ giải ngân cao nhất: ", ")") == {"Vi Hương", "Lục Bình"}
    # the district level is never listed as a commune
    assert "Bạch Thông" not in text.split("* **Dự án 1.")[1]


def test_h1_narrative_sentence_by_sentence(h1_text):
    check_h1_narrative(h1_text)


def test_h1_narrative_project_order_and_remaining_projects(h1_text):
    positions = [h1_text.index(f"* **Dự án {n}.") for n in (1, 3, 4, 8)]
    assert positions == sorted(positions)
    assert "Dự án 2, Dự án 5" in paragraph(h1_text, "* **Các dự án còn lại**")
    assert "So với" not in h1_text  # first period of the year: no in-period change


def test_q3_narrative_shows_the_change_against_h1():
    text = nar.narrative(q3_frame(), previous=h1_frame())
    assert text.startswith("## 2. Kết quả thực hiện chương trình 9 tháng năm 2024")
    housing = paragraph(text, "- Nội dung số 02: Hỗ trợ nhà ở.")
    assert "Trong 9 tháng đã thực hiện và giải ngân được 16 nhà = 704 triệu đồng" in housing
    assert "So với 6 tháng đầu năm 2024, giải ngân thêm 88 triệu đồng, thực hiện thêm 2 nhà." in housing
    water = paragraph(text, "- Nội dung số 04: Hỗ trợ nước sinh hoạt.")
    assert "giải ngân thêm 0 triệu đồng" in water
    overall = paragraph(text, "Tổng kế hoạch vốn")
    assert "So với 6 tháng đầu năm 2024, giải ngân thêm 88 triệu đồng; kế hoạch vốn điều chỉnh +100 triệu đồng." in overall


def test_period_phrase_follows_the_period():
    for period, phrase in (("2024-03", "Trong quý I"), ("2024-12", "Trong năm 2024"), ("2024-05", "Đến hết tháng 5")):
        text = nar.narrative(h1_frame().assign(period=period))
        assert f"{phrase} đã thực hiện và giải ngân được 14 nhà" in text


def test_english_narrative():
    text = nar.narrative(h1_frame(), lang="en")
    assert text.startswith("## 2. Results of the programme, first half of 2024")
    assert "2,041 million VND for 46 new houses" in text
    assert "30.43% of the houses (physical), 30.18% of the plan disbursed (financial)" in text
    assert "807.463 million VND disbursed, 30.71% financial" in text
    assert "11,685.233 million VND, 36.74% financial" in text


def test_line_with_nothing_disbursed():
    frame = h1_frame()
    frame = frame[frame["line_code"] == "DA1.ND4.PT"].assign(disbursed_vnd=0, done_qty=0.0)
    text = nar.narrative(frame)
    water = paragraph(text, "- Nội dung số 04: Hỗ trợ nước sinh hoạt.")
    assert "Vốn giao 223 triệu đồng, khối lượng 74 téc. Trong 6 tháng chưa giải ngân" in water
    assert "Mỹ Thanh" in water and "TT Phủ Thông" in water


def test_bad_parameters_are_parameter_errors():
    with pytest.raises(ParameterError, match="unknown language"):
        nar.narrative(h1_frame(), lang="fr")
    with pytest.raises(ParameterError):
        nar.narrative(pd.concat([h1_frame(), q3_frame()]))  # two periods, none given
    with pytest.raises(ParameterError, match="previous period"):
        nar.narrative(h1_frame(), previous=q3_frame())
    with pytest.raises(ParameterError):
        nar.narrative(42)


def test_templates_file_format():
    parsed = nar.parse_templates('# c\n[a]\nx = " lead"\ny = plain value\n')
    assert parsed == {"a": {"x": " lead", "y": "plain value"}}
    with pytest.raises(ValueError):
        nar.parse_templates("x = 1\n")
    for lang in ("vi", "en"):
        t = nar.templates(lang)
        assert {"document", "periods", "lines DTTSMN", "carried", "housing", "water", "projects", "works", "money",
                "quantity", "nothing", "change", "overall"} <= set(t)


def test_cli_prints_the_narrative(capsys, tmp_path):
    from mtqg_analysis.cli import main
    assert main(["narrative", "--period", "2024-13", "--data-dir", str(tmp_path)]) == 2
    assert "not a reporting period" in capsys.readouterr().err
    assert main(["narrative", "--period", "2024-06", "--lang", "fr", "--data-dir", str(tmp_path)]) == 2


# --- quality summary ---------------------------------------------------------------------------------
def test_quality_summary_counts_and_worst_units():
    q = pd.DataFrame({
        "severity": ["warning", "warning", "info", "warning", "info"],
        "check": ["subtotal_mismatch", "stated_rate_mismatch", "unit_missing", "subtotal_mismatch", "unit_missing"],
        "unit_code": ["01975", "01975", "02017", "01990", ""],
        "line_code": ["DA1", "DA1.ND2", "", "DA4", ""], "source_file": [""] * 5, "source_sheet": [""] * 5,
        "source_row": [1, 2, 3, 4, 5], "message": ["m"] * 5,
    })
    counts = counts_by_check(q).set_index("check")
    assert counts.loc["subtotal_mismatch", "warning"] == 2 and counts.loc["unit_missing", "info"] == 2
    assert list(counts["total"]) == [2, 2, 1]
    worst = worst_units(q, n=2)
    assert list(worst["unit_code"]) == ["01975", "01990"]
    assert worst.iloc[0]["findings"] == 2 and worst.iloc[0]["checks"] == "stated_rate_mismatch, subtotal_mismatch"
    summary = summarise_quality(q.iloc[:0])
    assert summary.total == 0 and summary.worst_units.empty and summary.by_check.empty
