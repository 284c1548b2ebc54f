"""Programme catalogs (spec §2.2): a data folder's ``raw/catalog.csv``, the packaged catalogs, the
programme's name in the reports, and ``mtqg init``. A new programme is a CSV away: the made-up
catalog below is cleaned and rendered with no code change."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import REPO
from mtqg_analysis.domain import resources
from mtqg_analysis.domain.catalog import load_catalog, packaged_catalog
from mtqg_analysis.report.notice import narrative
from mtqg_analysis.store import is_stale, load_period, load_year
from test_notebooks import visible_text
from workbook_builder import Sheet

MADE_UP = """code,parent,level,vi_name,en_name,default_unit,default_capital
CTVC,,programme,Chương trình thử nghiệm phát triển vùng cao giai đoạn 2026-2035,Trial highland development programme 2026-2035,,
DA1,CTVC,project,Dự án 1: Đường giao thông nông thôn,Project 1: Rural roads,,dtpt
DA1.ND1,DA1,content,Nội dung số 01: Làm mới đường thôn,New village roads,km,dtpt
DA1.ND2,DA1,content,Nội dung số 02: Sửa chữa đường thôn,Village road repairs,km,sn
DA2,CTVC,project,Dự án 2: Nước sạch cho trường học,Project 2: Clean water for schools,công trình,dtpt
"""
ROWS = [
    ("I", "Dự án 1: Đường giao thông nông thôn", None, None, "1.500", None, "450", None, None),
    ("1", "Nội dung số 01: Làm mới đường thôn", "km", 5, "1.200", 2, "400", None, None),
    ("2", "Nội dung số 02: Sửa chữa đường thôn", "km", 3, "300", 1, "50", None, None),
    ("II", "Dự án 2: Nước sạch cho trường học", "công trình", 2, "800", 1, "500", None, "Đã nghiệm thu 01 công trình"),
]


@pytest.fixture
def made_up(data_dir, make_workbook):
    (data_dir / "raw" / "catalog.csv").write_text(MADE_UP, encoding="utf-8")
    make_workbook("a.xlsx", Sheet(rows=ROWS, name="Tân Tú"), Sheet(rows=ROWS[:3], name="Lục Bình"))
    return data_dir


def test_a_made_up_catalog_is_cleaned_and_rendered_with_no_code_change(made_up, mtqg, tmp_path):
    run = mtqg("clean", "--period", "2024-09", "--data-dir", made_up)
    assert run.code == 0, run.stderr
    tidy = load_period("2024-09", made_up, rebuild="never")
    assert sorted(set(tidy["line_code"])) == ["DA1.ND1", "DA1.ND2", "DA2"]
    assert tidy.groupby("line_code")["plan_vnd"].sum().to_dict() == {
        "DA1.ND1": 2_400_000_000, "DA1.ND2": 600_000_000, "DA2": 800_000_000}
    year = load_year("2024-09", made_up)
    assert year.catalog.programme_name("vi") == "Chương trình thử nghiệm phát triển vùng cao giai đoạn 2026-2035"
    text = narrative(year.funding, units=year.units, catalog=year.catalog)
    assert "Dự án 1. Đường giao thông nông thôn" in text and "Nội dung số 01: Làm mới đường thôn" in text
    reports = tmp_path / "reports"
    run = mtqg("report", "--period", "2024-09", "--jobs", "1", "--data-dir", made_up, "--reports-dir", reports)
    assert run.code == 0, run.stderr
    page = visible_text((reports / "2024-09" / "report.html").read_text(encoding="utf-8"))
    assert ("Báo cáo tình hình thực hiện Chương trình thử nghiệm phát triển vùng cao giai đoạn 2026-2035 "
            "– Huyện Bạch Thông") in page
    assert "Nước sạch cho trường học" in page and "Sửa chữa đường thôn" in page
    assert "Chương trình MTQG phát triển KT-XH" not in page
    index = visible_text((reports / "index.html").read_text(encoding="utf-8"))
    assert "Báo cáo Chương trình thử nghiệm phát triển vùng cao giai đoạn 2026-2035" in index


def test_the_data_folders_catalog_is_an_input_of_its_tables(made_up, mtqg):
    assert mtqg("clean", "--period", "2024-09", "--data-dir", made_up).code == 0
    assert not is_stale("2024-09", made_up)
    path = made_up / "raw" / "catalog.csv"
    path.write_text(MADE_UP.replace("Nước sạch cho trường học", "Nước sạch trường học"), encoding="utf-8")
    assert is_stale("2024-09", made_up)


@pytest.mark.parametrize("change, words", [
    (lambda t: t + "DA1.ND1,DA1,content,Trùng mã,Duplicate,km,dtpt\n", "row 7, column code: catalog code 'DA1.ND1' appears twice"),
    (lambda t: t.replace("DA2,CTVC,project", "DA2,DA9,project"), "row 6, column parent: parent 'DA9' is not a code"),
    (lambda t: t.replace("DA1.ND2,DA1,content", "DA1.ND2,DA1,muc"), "row 5, column level: unknown level 'muc'"),
    (lambda t: t + "CT2,,programme,Khác,Other,,\n", "row 7, column level: only the first row may be the programme"),
    (lambda t: t.replace("vi_name", "ten"), "the catalog lacks the column(s) vi_name"),
])
def test_a_catalog_that_cannot_be_used_is_a_clear_error(made_up, mtqg, change, words):
    path = made_up / "raw" / "catalog.csv"
    path.write_text(change(MADE_UP), encoding="utf-8")
    run = mtqg("clean", "--period", "2024-09", "--data-dir", made_up)
    assert run.code != 0 and "catalog.csv" in run.stderr and words in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_packaged_catalogs_name_their_programme():
    default = load_catalog()
    assert default.programme_code == "DTTSMN" and "DTTSMN" not in default.codes
    assert default.programme_name("vi").startswith("Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS&MN")
    poverty = packaged_catalog("giam-ngheo")
    assert poverty.programme_name("vi") == "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025"
    assert poverty.parent("DA1") == "" and poverty.project_of("DA3.TDA2") == "DA3"
    assert poverty.match("Tiểu dự án 2", ["DA3"]).code == "DA3.TDA2"
    assert poverty.match("Dự án 5").code == "DA5"
    spec = REPO.parent / "shared" / "spec" / "catalog-giam-ngheo.csv"
    if spec.exists():
        assert resources.read_text("catalog-giam-ngheo.csv") == spec.read_text(encoding="utf-8")


def test_a_catalog_without_a_programme_row_gets_a_generic_name(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("\n".join(MADE_UP.splitlines()[:1] + MADE_UP.splitlines()[2:]).replace(",CTVC,", ",,") + "\n",
                    encoding="utf-8")
    catalog = load_catalog(path)
    assert catalog.programme_name("vi") == "Chương trình mục tiêu quốc gia" and catalog.codes[0] == "DA1"


# --- mtqg init ------------------------------------------------------------------------------------------
def test_init_prepares_a_data_folder_for_a_programme(tmp_path, mtqg):
    folder = tmp_path / "giam-ngheo"
    run = mtqg("init", "--programme", "giam-ngheo", "--data-dir", folder)
    assert run.code == 0, run.stderr
    assert (folder / "raw" / "catalog.csv").read_bytes() == resources.data_path("catalog-giam-ngheo.csv").read_bytes()
    assert (folder / "raw" / "units.csv").read_bytes() == resources.data_path("units-bach-thong.csv").read_bytes()
    assert (folder / "processed").is_dir()
    assert f"wrote {folder / 'raw' / 'catalog.csv'}" in run.stdout and "next: edit" in run.stdout
    again = mtqg("init", "--programme", "giam-ngheo", "--data-dir", folder)
    assert again.code != 0 and "already exist" in again.stderr and "--force" in again.stderr
    assert mtqg("init", "--programme", "1719", "--data-dir", folder, "--force").code == 0
    assert load_catalog(folder / "raw" / "catalog.csv").programme_code == "DTTSMN"


def test_init_with_a_catalog_and_units_of_ones_own(tmp_path, mtqg):
    catalog, units = tmp_path / "ct.csv", tmp_path / "dv.csv"
    catalog.write_text(MADE_UP, encoding="utf-8")
    units.write_text("code,name,kind,parent_code,aliases,valid_from,valid_to,successor_code\n"
                     "19,Tỉnh Thái Nguyên,tinh,,,2025-07-01,,\n01969,Xã Phủ Thông,xa,19,Phủ Thông,2025-07-01,,\n",
                     encoding="utf-8")
    folder = tmp_path / "data"
    run = mtqg("init", "--catalog", catalog, "--units-csv", units, "--data-dir", folder)
    assert run.code == 0, run.stderr
    assert (folder / "raw" / "catalog.csv").read_text(encoding="utf-8") == MADE_UP
    assert pd.read_csv(folder / "raw" / "units.csv", dtype=str)["code"].tolist() == ["19", "01969"]


@pytest.mark.parametrize("args, words", [
    (["--programme", "giam-ngheo-2026"], "unknown programme 'giam-ngheo-2026'; the package ships: 1719, giam-ngheo"),
    (["--catalog", "missing.csv"], "cannot read the catalog"),
])
def test_init_refuses_what_it_cannot_use_and_writes_nothing(tmp_path, mtqg, args, words):
    folder = tmp_path / "data"
    run = mtqg("init", *args, "--data-dir", folder)
    assert run.code != 0 and words in run.stderr, run.stderr
    assert not (folder / "raw" / "catalog.csv").exists() and not re.search("Traceback", run.stderr)
