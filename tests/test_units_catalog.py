"""Unit names (spec §3.1 "Which unit") and catalog labels (spec §3.1 "Rows")."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from mtqg_analysis.domain.catalog import load_catalog
from mtqg_analysis.errors import InputError
from mtqg_analysis.domain.periods import parse_period
from mtqg_analysis.domain.units import load_units

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def units():
    return load_units(REPO / "data" / "raw" / "units.csv")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize("name, code", [
    ("Xã Tân Tú", "01993"), ("Tân Tú", "01993"), ("X. Tân Tú", "01993"), ("X.Tân Tú", "01993"),
    ("UBND XÃ TÂN TÚ", "01993"), ("ỦY BAN NHÂN DÂN XÃ TÂN TÚ", "01993"), ("xã  tân\u00a0tú", "01993"),
    (unicodedata.normalize("NFD", "Xã Tân Tú"), "01993"), ("TT Phủ Thông", "01969"),
    ("TT. Phủ Thông", "01969"), ("Thị trấn Phủ Thông", "01969"), ("UBND THỊ TRẤN PHỦ THÔNG", "01969"),
    ("Cấp huyện", "063"), ("Xã Sỹ Bình", "01978"), ("Sĩ Bình", "01978"),
])
def test_unit_names_match_after_folding_and_without_prefixes(units, name, code):
    assert units.match(name) == code


@pytest.mark.parametrize("name", ["Xã Tân Tiến", "Hà Nội", "", "UBND"])
def test_unknown_unit_names_do_not_match(units, name):
    assert units.match(name) is None


def test_unknown_unit_error_names_the_closest_known_units(units):
    with pytest.raises(InputError) as info:
        units.resolve("Xã Tân Tư", file="2024-09/a.xlsx", sheet="Tân Tư")
    message = str(info.value)
    assert "file 2024-09/a.xlsx, sheet 'Tân Tư'" in message
    assert "unknown unit 'Xã Tân Tư'" in message and "closest known: Xã Tân Tú" in message


def test_units_in_force_in_a_period(units):
    """The province, the district and its 14 communes and town until 2025-06-30; the province of
    Thái Nguyên and the five successor communes from 2025-07-01 (spec §2.1)."""
    assert len(units.valid_in(parse_period("2024-09"))) == 16
    assert set(units.valid_in(parse_period("2025-06"))["code"]) >= {"06", "063", "01975"}
    after = units.valid_in(parse_period("2025-09"))
    assert sorted(after["code"]) == ["01849", "01969", "01981", "02008", "02014", "19"]
    assert len(units.expected(parse_period("2024-09"))) == 14  # communes and town, not the district or province
    assert len(units.expected(parse_period("2025-EXT"))) == 5


@pytest.mark.parametrize("label, context, code", [
    ("Dự án 1", [], "DA1"), ("DA1", [], "DA1"), ("DA 10", [], "DA10"), ("Dự án số 4", [], "DA4"),
    ("Tiểu dự án 2", ["DA3"], "DA3.TDA2"), ("TDA2", ["DA4"], "DA4.TDA2"), ("TDA 1", ["DA5"], "DA5.TDA1"),
    ("Nội dung số 02", ["DA1"], "DA1.ND2"), ("ND 02", ["DA1"], "DA1.ND2"), ("NDS 02", ["DA1"], "DA1.ND2"),
    ("Nội dung số 01", ["DA4", "DA4.TDA1"], "DA4.TDA1.ND1"), ("Nội dung số 01", ["DA3", "DA3.TDA2"], "DA3.TDA2.ND1"),
    ("Nội dung số 01", ["DA1"], "DA1.ND1"),
    ("Hỗ trợ nhà ở", [], "DA1.ND2"), ("HỖ TRỢ NHÀ Ở", [], "DA1.ND2"),
    ("Nội dung số 02: Hỗ trợ nhà ở", [], "DA1.ND2"),
    ("Hỗ trợ nước sinh hoạt phân tán", ["DA1", "DA1.ND4"], "DA1.ND4.PT"),
    ("Duy tu, bảo dưỡng công trình cơ sở hạ tầng", ["DA4", "DA4.TDA1"], "DA4.TDA1.DTBD"),
])
def test_labels_match_the_catalog_by_code_words_and_name_in_context(catalog, label, context, code):
    match = catalog.match(label, context)
    assert match is not None and match.code == code


@pytest.mark.parametrize("label", ["Hỗ trợ xây sân bóng", "Dự án 11", "Tiểu dự án 9"])
def test_labels_not_in_the_catalog_do_not_match(catalog, label):
    assert catalog.match(label, ["DA3"]) is None


@pytest.mark.parametrize("text, code", [("DA1.ND2", "DA1.ND2"), ("da3.tda2.nd1", "DA3.TDA2.ND1"), ("DA99", None)])
def test_catalog_codes_are_recognised_as_such(catalog, text, code):
    assert catalog.match_code(text) == code


def test_catalog_structure(catalog):
    assert catalog.ancestors("DA3.TDA2.ND1.CHUOI") == ["DA3.TDA2.ND1", "DA3.TDA2", "DA3"]
    assert catalog.is_descendant("DA1.ND4.PT", "DA1")
    assert not catalog.is_descendant("DA1", "DA1.ND4.PT")
    assert catalog.default_unit("DA1.ND2") == "nhà"
    assert catalog.default_capital("DA3.TDA2.ND1.CHUOI") == "sn"


def test_packaged_catalog_and_units_are_the_spec_copies():
    """The package ships copies of the spec's catalog and units (spec §2)."""
    spec = REPO / "mtqg_analysis" / "data"
    repo_units = pd.read_csv(REPO / "data" / "raw" / "units.csv", dtype=str, keep_default_na=False)
    packaged_units = pd.read_csv(spec / "units-bach-thong.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(repo_units, packaged_units)
    codes = set(pd.read_csv(spec / "catalog.csv", dtype=str)["code"])
    assert {"DA1", "DA1.ND2", "DA3.TDA2.ND1", "DA4.TDA1.ND1", "DA10.TDA3"} <= codes
