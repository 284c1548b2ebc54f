"""Legacy Vietnamese encodings (domain notes §5.3): TCVN3/ABC and VNI fonts, UTF-8 mojibake.

The encoder direction is written here from the same data tables, so every one of the 134
Vietnamese letters is checked to round-trip through each encoding.
"""
from __future__ import annotations

import unicodedata

import openpyxl
import pytest
from openpyxl.styles import Font

from mtqg_analysis.domain import resources
from mtqg_analysis.extract import cells, legacy

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]


def all_letters() -> list[str]:
    """Every letter with a Vietnamese diacritic, lower and upper case: 67 + 67."""
    lower = {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} | {"đ"}
    lower -= set("aeiouy")  # plain ASCII vowels need no encoding
    return sorted(lower) + sorted(c.upper() for c in lower)


def tcvn3_encoder() -> tuple[dict[str, str], dict[str, str]]:
    table = resources.table("tcvn3.csv")
    normal = {letter: chr(int(code, 16)) for code, letter in zip(table["code"], table["normal"])}
    heading = {letter: chr(int(code, 16)) for code, letter in zip(table["code"], table["heading"])}
    return normal, heading


def vni_encoder() -> dict[str, str]:
    table = resources.table("vni.csv")
    return {letter: "".join(chr(int(c, 16)) for c in codes.split())
            for codes, letter in zip(table["codes"], table["letter"])}


def to_tcvn3(text: str) -> str:
    normal, _ = tcvn3_encoder()
    return "".join(normal.get(c, c) for c in text)


def to_vni(text: str) -> str:
    encoder = vni_encoder()
    return "".join(encoder.get(c, c) for c in text)


def test_there_are_134_vietnamese_letters():
    letters = all_letters()
    assert len(letters) == 134 == len(set(letters))
    assert set(letters) == legacy.vietnamese_letters()


def test_tcvn3_table_covers_every_letter_in_normal_or_heading_font():
    normal, heading = tcvn3_encoder()
    for letter in all_letters():
        assert letter in normal or letter in heading, letter
    assert len(normal) == 74  # 67 lower-case letters + Ă Â Ê Ô Ơ Ư Đ
    assert len(set(normal.values())) == len(normal)  # one code per letter


@pytest.mark.parametrize("letter", all_letters())
def test_tcvn3_every_letter_round_trips(letter):
    normal, heading = tcvn3_encoder()
    # "ý" is 0xFD in TCVN3 as in Latin-1: unchanged, so no conversion is reported.
    if letter in normal:
        expected = "tcvn3" if normal[letter] != letter else None
        assert legacy.convert_cell_text(normal[letter], ".VnTime") == (letter, expected)
    assert letter.isupper() or letter in normal
    if letter.isupper():
        expected = "tcvn3" if heading[letter] != letter else None
        assert legacy.convert_cell_text(heading[letter], ".VnTimeH") == (letter, expected)


@pytest.mark.parametrize("letter", all_letters())
def test_vni_every_letter_round_trips(letter):
    encoded = vni_encoder()[letter]
    expected = "vni" if encoded != letter else None  # "í" and "ì" are the same in VNI
    assert legacy.convert_cell_text(encoded, "VNI-Times") == (letter, expected)
    # and inside a word, between ASCII letters
    assert legacy.convert_cell_text("t" + encoded + "n", "VNI-Times")[0] == "t" + letter + "n"


def test_vni_sequences_are_unique():
    encoder = vni_encoder()
    assert len(encoder) == 134
    assert len(set(encoder.values())) == 134


def test_tcvn3_real_phrases():
    assert legacy.convert_cell_text("Hç trî nhµ ë", ".VnTime") == ("Hỗ trợ nhà ở", "tcvn3")
    # "người" has TCVN3 "ư" = 0xAD, the soft hyphen, which screens and copy-paste hide:
    # in the file the word is "ng\xadêi" (shown as "ngêi").
    assert legacy.convert_cell_text("Xin chµo tÊt c¶ mäi ng\u00adêi", ".VnTime") == (
        "Xin chào tất cả mọi người", "tcvn3")
    assert legacy.convert_cell_text("Néi dung", ".VnArial")[0] == "Nội dung"
    assert legacy.convert_cell_text("§¬n vÞ tÝnh: triÖu ®ång", ".VnTime")[0] == "Đơn vị tính: triệu đồng"


def test_tcvn3_heading_font_is_all_capitals():
    assert legacy.convert_cell_text("céng hoµ x· héi chñ nghÜa viÖt nam", ".VnTimeH") == (
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3")
    assert legacy.convert_cell_text("ubnd x· t©n tó", ".VnArialH")[0] == "UBND XÃ TÂN TÚ"


def test_tcvn3_font_names_are_case_insensitive():
    assert legacy.convert_cell_text("Hç trî", ".VNTIME")[0] == "Hỗ trợ"
    assert legacy.convert_cell_text("Hç trî", ".vntime")[0] == "Hỗ trợ"
    assert legacy.font_encoding(".VnArial NarrowH") == ("tcvn3", True)
    assert legacy.font_encoding("Times New Roman") is None
    assert legacy.font_encoding(None) is None


def test_vni_real_phrases():
    assert legacy.convert_cell_text("Hoã trôï nhaø ôû", "VNI-Times") == ("Hỗ trợ nhà ở", "vni")
    assert legacy.convert_cell_text("Xin chaøo taát caû moïi ngöôøi", "VNI-Helve")[0] == \
        "Xin chào tất cả mọi người"
    assert legacy.convert_cell_text("Thò traán Phuû Thoâng", "VNI-Times")[0] == "Thị trấn Phủ Thông"
    assert legacy.convert_cell_text("ÑÔN VÒ TÍNH", "VNI-Times")[0] == "ĐƠN VỊ TÍNH"
    assert legacy.convert_cell_text("Vieät Nam", "vni-times")[0] == "Việt Nam"


def test_whole_words_round_trip_through_both_encodings():
    phrases = ["Hỗ trợ đất sản xuất, chuyển đổi nghề", "Tiểu dự án 1: Phát triển kinh tế nông, lâm nghiệp",
               "Nước sinh hoạt phân tán", "Xã Quân Hà", "Thị trấn Phủ Thông", "Ghi chú", "Tổng cộng",
               "Đầu tư cơ sở hạ tầng thiết yếu", "Giảm thiểu tình trạng tảo hôn và hôn nhân cận huyết thống"]
    for phrase in phrases:
        assert legacy.convert_cell_text(to_vni(phrase), "VNI-Times")[0] == phrase
        lower = phrase.lower()
        assert legacy.convert_cell_text(to_tcvn3(lower), ".VnTime")[0] == lower
        _, heading = tcvn3_encoder()
        # .VnTimeH shows a-z as capitals: type the ASCII letters in lower case
        upper = "".join(heading.get(c, c.lower() if c.isascii() else c) for c in phrase.upper())
        assert legacy.convert_cell_text(upper, ".VnTimeH")[0] == phrase.upper()


def test_unicode_text_in_a_legacy_font_is_left_alone():
    # An old template's font, but the officer typed Unicode.
    assert legacy.convert_cell_text("Hỗ trợ nhà ở", ".VnTime") == ("Hỗ trợ nhà ở", None)
    assert legacy.convert_cell_text("Thị trấn Phủ Thông", "VNI-Times") == ("Thị trấn Phủ Thông", None)
    # NFD Unicode too
    nfd = unicodedata.normalize("NFD", "Hỗ trợ")
    assert legacy.convert_cell_text(nfd, ".VnTime") == (nfd, None)


def test_plain_fonts_and_ascii_are_not_converted():
    assert legacy.convert_cell_text("Hç trî nhµ ë", "Times New Roman") == ("Hç trî nhµ ë", None)
    assert legacy.convert_cell_text("DA1 - 2024", ".VnTime") == ("DA1 - 2024", None)
    assert legacy.convert_cell_text("", ".VnTime") == ("", None)


def test_output_is_nfc():
    for text, font in [("Hç trî", ".VnTime"), ("Hoã trôï", "VNI-Times")]:
        new, _ = legacy.convert_cell_text(text, font)
        assert unicodedata.is_normalized("NFC", new)


# --- mojibake -----------------------------------------------------------------------------------
def as_mojibake(text: str, drop_undefined: bool = False) -> str:
    """UTF-8 bytes shown as Windows-1252; undefined bytes become U+0080-U+009F (or vanish)."""
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append("" if drop_undefined else chr(b))
    return "".join(out)


def test_mojibake_phuong_with_the_invisible_byte():
    assert repr(as_mojibake("Phường 1")) == repr("Ph\u00c6\u00b0\u00e1\u00bb\u009dng 1")
    assert legacy.repair_mojibake(as_mojibake("Phường 1")) == ("Phường 1", True)


def test_mojibake_phuong_as_usually_copied():
    # The form quoted in the domain notes: the byte 0x9D was dropped. After "ư" only "ờ" of the
    # five candidate letters makes a Vietnamese word ("ươ").
    assert legacy.repair_mojibake("PhÆ°á»ng") == ("Phường", True)
    assert legacy.repair_mojibake("ngÆ°á»i") == ("người", True)


@pytest.mark.parametrize("phrase", ["Thị trấn Phủ Thông", "Hỗ trợ nhà ở", "Đơn vị tính: triệu đồng",
                                    "Xã Quân Hà", "Nước sinh hoạt phân tán", "Ghi chú"])
def test_mojibake_round_trip(phrase):
    assert legacy.repair_mojibake(as_mojibake(phrase)) == (phrase, True)


def test_mojibake_every_letter():
    for letter in all_letters():
        assert legacy.repair_mojibake(as_mojibake("x" + letter + "y")) == ("x" + letter + "y", True), letter


def test_mojibake_ambiguous_dropped_byte_is_left_alone():
    # "Á" is C3 81: with 0x81 dropped it could as well be Í or Ý.
    broken = as_mojibake("Áo", drop_undefined=True)
    assert legacy.repair_mojibake(broken) == (broken, False)


def test_mojibake_dropped_byte_of_capital_d_is_restored():
    # "Đ" is C4 90; 0x90 is undefined in Windows-1252. Only Đ fits.
    assert legacy.repair_mojibake(as_mojibake("Đồng", drop_undefined=True)) == ("Đồng", True)


@pytest.mark.parametrize("text", ["Phường 1", "Hỗ trợ nhà ở", "Â©2024", "café", "naïve",
                                  "Ã", "1.270,5", "", "Giá trị: 30,43%", "Ãx"])
def test_mojibake_leaves_good_text_alone(text):
    assert legacy.repair_mojibake(text) == (text, False)


# --- real workbooks ---------------------------------------------------------------------------------
def write_workbook(path, cells):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Xa Tan Tu"
    for (coordinate, text, font) in cells:
        sheet[coordinate] = text
        if font:
            sheet[coordinate].font = Font(name=font)
    workbook.save(path)


def cell_text(cell):
    """A cell's text in Unicode and the conversion made, as the reader converts it."""
    return cells.convert_text(cell.value, cell.font.name if cell.font is not None else None)


def test_workbook_cells_with_legacy_fonts(tmp_path):
    path = tmp_path / "legacy.xlsx"
    write_workbook(path, [
        ("A1", "ubnd x· t©n tó", ".VnTimeH"),
        ("A2", "Hç trî nhµ ë", ".VnTime"),
        ("A3", "Xin chµo tÊt c¶ mäi ng\u00adêi", ".VnArial"),
        ("A4", "Hoã trôï nhaø ôû", "VNI-Times"),
        ("A5", "Hỗ trợ nhà ở", ".VnTime"),       # Unicode in an old font
        ("A6", "Hç trî nhµ ë", "Calibri"),         # not a legacy font
        ("A7", "PhÆ°á»ng", "Calibri"),             # mojibake, whatever the font
        ("A8", 1270.5, ".VnTime"),                  # numbers pass untouched
    ])
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].font.name == ".VnTime"
    assert [cell_text(sheet[f"A{r}"]) for r in range(1, 9)] == [
        ("UBND XÃ TÂN TÚ", "tcvn3"),
        ("Hỗ trợ nhà ở", "tcvn3"),
        ("Xin chào tất cả mọi người", "tcvn3"),
        ("Hỗ trợ nhà ở", "vni"),
        ("Hỗ trợ nhà ở", None),
        ("Hç trî nhµ ë", None),
        ("Phường", "mojibake"),
        (1270.5, None),
    ]


def test_sheet_values_converts_a_tcvn3_header(tmp_path):
    path = tmp_path / "header.xlsx"
    write_workbook(path, [("A1", "STT", ".VnTime"), ("B1", "Néi dung", ".VnTime"),
                          ("C1", "KÕ ho¹ch vèn", ".VnTime"), ("B2", "Hç trî nhµ ë", ".VnTime")])
    sheet = openpyxl.load_workbook(path).active
    rows, conversions = cells.openpyxl_grid(sheet, legacy_fonts=True)
    assert rows[0] == ("STT", "Nội dung", "Kế hoạch vốn")
    assert rows[1] == (None, "Hỗ trợ nhà ở", None)
    assert [(c["column"], c["row"], c["kind"]) for c in conversions] == [
        ("B", 1, "tcvn3"), ("C", 1, "tcvn3"), ("B", 2, "tcvn3")]


def test_sheet_values_in_read_only_mode(tmp_path):
    path = tmp_path / "ro.xlsx"
    write_workbook(path, [("A1", "Néi dung", ".VnTime")])
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert cells.openpyxl_grid(sheet, legacy_fonts=True)[0] == [("Nội dung",)]


def test_excel_escapes_of_control_characters_are_undone():
    assert legacy.unescape_ooxml("Hỗ trợ_x0007_ nhà ở_x001B_") == "Hỗ trợ\x07 nhà ở\x1b"
    assert legacy.unescape_ooxml("no escapes") == "no escapes"


def test_escaped_control_characters_in_a_workbook(tmp_path):
    path = tmp_path / "ctrl.xlsx"
    write_workbook(path, [("A1", "Hỗ trợ nhà ở_x0007_", None), ("A2", "Hç trî_x0008_", ".VnTime")])
    sheet = openpyxl.load_workbook(path).active
    assert cell_text(sheet["A1"]) == ("Hỗ trợ nhà ở\x07", "escape")
    assert cell_text(sheet["A2"]) == ("Hỗ trợ\x08", "tcvn3")
