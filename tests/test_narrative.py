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
    for part in ("5 dự án", "4.550 triệu đồng", "919 triệu đồng", "đạt 20,20% kế hoạch vốn"):
        assert part in chain
    # one commune: "tại xã Đôn Phong", not "tại các xã: Đôn Phong"
    assert "1 dự án đã giải ngân tại xã Đôn Phong, kinh phí 919 triệu đồng" in chain

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
    assert "So với 6 tháng đầu năm 2024, chưa giải ngân thêm." in water  # nothing added: said in words
    assert "0 triệu đồng" not in water
    overall = paragraph(text, "Tổng kế hoạch vốn")
    assert "So với 6 tháng đầu năm 2024, giải ngân thêm 88 triệu đồng; kế hoạch vốn tăng 100 triệu đồng." in overall
    assert "+" not in overall


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


def _forest(notes: dict[str, str], disbursed: int = 0) -> pd.DataFrame:
    """Forest protection (DA3.TDA1) with a plan in three communes and, unless told, nothing disbursed."""
    rows = h1_frame().iloc[:3].copy()
    rows["unit_code"], rows["unit_name"] = ["02002", "01978", "02017"], ["Xã Cao Sơn", "Xã Sĩ Bình", "Xã Quang Thuận"]
    rows["line_code"], rows["measure_unit"] = "DA3.TDA1", "ha"
    rows["plan_qty"], rows["done_qty"] = [180.0, 283.0, 250.0], [0.0, 0.0, 0.0]
    rows["plan_vnd"], rows["disbursed_vnd"] = [76_500_000, 120_395_000, 106_250_000], [0, disbursed, 0]
    rows["capital_type"] = rows["budget_source"] = ""
    rows["note"] = [notes.get(name, "") for name in ("Cao Sơn", "Sĩ Bình", "Quang Thuận")]
    return rows


def test_line_with_a_plan_and_nothing_disbursed_gets_its_sentence_and_the_communes_notes():
    signed = "Đã ký hợp đồng khoán bảo vệ rừng, dự kiến nghiệm thu, giải ngân quý IV"
    text = nar.narrative(_forest({"Cao Sơn": signed, "Quang Thuận": signed, "Sĩ Bình": "Chờ phê duyệt hồ sơ"}))
    forest = paragraph(text, "- Tiểu dự án 1: Phát triển kinh tế nông, lâm nghiệp bền vững")
    assert "Vốn giao 303,145 triệu đồng, khối lượng 713 ha. Trong 6 tháng chưa giải ngân" in forest
    # the communes with a plan, in Vietnamese order; each note once, with who wrote it
    assert "(các xã được giao: Cao Sơn, Quang Thuận, Sĩ Bình)" in forest
    assert f"Các xã cho biết: {signed} (Cao Sơn, Quang Thuận); Chờ phê duyệt hồ sơ (Sĩ Bình)." in forest


def test_one_commune_is_named_in_the_singular():
    frame = _forest({})
    frame = frame[frame["unit_code"] == "02002"]
    forest = paragraph(nar.narrative(frame), "- Tiểu dự án 1:")
    assert "(xã được giao: Cao Sơn)" in forest and "các xã" not in forest


def test_all_communes_disbursed_is_said_once_not_listed():
    frame = h1_frame()
    water = frame[frame["line_code"] == "DA1.ND4.PT"].assign(disbursed_vnd=lambda f: f["plan_vnd"],
                                                              done_qty=lambda f: f["plan_qty"])
    text = paragraph(nar.narrative(water), "- Nội dung số 04: Hỗ trợ nước sinh hoạt.")
    assert "(tất cả các xã được giao đã giải ngân 100%)" in text
    assert "Mỹ Thanh" not in text and "chưa giải ngân" not in text
    housing = frame[frame["line_code"] == "DA1.ND2"]
    housing = housing.assign(disbursed_vnd=housing["plan_vnd"] // 2)
    text = paragraph(nar.narrative(housing), "- Nội dung số 02: Hỗ trợ nhà ở.")
    assert "(tất cả các xã được giao đã giải ngân)" in text and "còn lại" not in text


def test_no_commune_disbursed_is_said_once_and_nothing_remaining_is_not_announced():
    from mtqg_analysis.domain.units import load_units
    from conftest import UNITS_CSV

    frame = h1_frame()
    da8 = frame[frame["line_code"] == "DA8"].assign(disbursed_vnd=0)
    own = da8.iloc[:1].assign(unit_code="063", unit_name="Huyện Bạch Thông", plan_vnd=50_000_000,
                              disbursed_vnd=20_000_000)  # only the district's own budget disbursed
    text = paragraph(nar.narrative(pd.concat([da8, own]), units=load_units(UNITS_CSV)), "Tổng nguồn vốn là")
    assert "(chưa xã nào giải ngân)" in text
    # every project done: no "the other projects continue"
    chain = frame[frame["line_code"] == "DA3.TDA2.ND1.CHUOI"].assign(done_qty=lambda f: f["plan_qty"])
    text = paragraph(nar.narrative(chain), "+ *Dự án phát triển sản xuất theo chuỗi giá trị*:")
    assert "(100,00% số dự án)" in text and "còn lại" not in text


def test_a_decrease_is_said_in_words():
    h1 = h1_frame()
    later = h1.assign(period="2024-09")
    cut = later["line_code"] == "DA8"
    later.loc[later.index[cut][0], "plan_vnd"] -= 119_400_000
    housing = later.index[later["line_code"] == "DA1.ND2"][0]
    later.loc[housing, "disbursed_vnd"] -= 10_000_000
    text = nar.narrative(later, previous=h1)
    overall = paragraph(text, "Tổng kế hoạch vốn")
    assert "số giải ngân lũy kế giảm 10 triệu đồng (cần kiểm tra lại số liệu); kế hoạch vốn giảm 119,4 triệu đồng." \
        in overall
    assert "-119,4" not in text and "+" not in overall
    assert "So với 6 tháng đầu năm 2024, số giải ngân lũy kế giảm 10 triệu đồng" in \
        paragraph(text, "- Nội dung số 02: Hỗ trợ nhà ở.")


def test_lists_of_communes_are_in_vietnamese_order():
    text = nar.narrative(h1_frame())
    chain = paragraph(text, "+ *Dự án hỗ trợ phát triển sản xuất cộng đồng*:")
    assert "tại các xã: Cao Sơn, Đôn Phong, Lục Bình, Nguyên Phúc, Vi Hương," in chain  # Đ after D, before L


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
