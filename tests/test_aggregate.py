"""Aggregations and indicators (spec §1, §5) on hand-built tables: the 2024-06 figures of
figures-2024-H1.md at unit level, a 2024-09 table, and random tables for the exactness property."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, HealthCheck
from hypothesis import strategies as st

from conftest_aggregate import h1_frame, q3_frame, tidy
from mtqg_analysis import analysis as agg
from mtqg_analysis import analysis as ind
from mtqg_analysis.domain.catalog import load_catalog
from mtqg_analysis.domain.notation import amount, percent as rate
from mtqg_analysis.domain.units import load_units
from mtqg_analysis.errors import ParameterError

UNITS = load_units()  # the packaged Bạch Thông units: tells the communes from the district level

# line: plan qty, plan, done qty, disbursed, physical rate, financial rate (figures-2024-H1.md)
H1_LINES = {
    "DA1.ND2": (46, "2.041", 14, "616", "30,43%", "30,18%"),
    "DA1.ND4.PT": (74, "223", 44, "132", "59,46%", "59,19%"),
    "DA3.TDA2.ND1.CHUOI": (5, "4.550", 1, "919", "20,00%", "20,20%"),
    "DA3.TDA2.ND1.CONGDONG": (19, "6.993", 7, "2.471", "36,84%", "35,34%"),
    "DA4.TDA1.DTBD": (16, "2.629", 7, "807,463", "43,75%", "30,71%"),
    "DA4.TDA1.ND1": (36, "14.302", 16, "6.606", "44,44%", "46,19%"),
    "DA8": (None, "1.066,4", None, "133,77", "–", "12,54%"),
}
SHORT = {"063": "huyện", "01969": "TT Phủ Thông", "01975": "Vi Hương", "01978": "Sĩ Bình",
         "01981": "Vũ Muộn", "01984": "Đôn Phong", "01990": "Lục Bình", "01993": "Tân Tú",
         "01999": "Nguyên Phúc", "02002": "Cao Sơn", "02005": "Quân Hà", "02008": "Cẩm Giàng",
         "02011": "Mỹ Thanh", "02014": "Dương Phong", "02017": "Quang Thuận"}


def names(codes):
    return {SHORT[c] for c in codes}


def check_h1_lines(frame):
    """Every line's figures as the notice prints them."""
    lines = frame.pipe(agg.by_level, "line").set_index("code")
    assert list(lines.index) == sorted(H1_LINES, key=load_catalog().order)  # catalog order
    for code, (pq, plan, dq, disb, phys, fin) in H1_LINES.items():
        row = lines.loc[code]
        assert amount(row["plan_vnd"]) == plan, code
        assert amount(row["disbursed_vnd"]) == disb, code
        assert rate(row["financial_rate"]) == fin, code
        assert rate(row["physical_rate"]) == phys, code
        if pq is None:
            assert np.isnan(row["plan_qty"]) and np.isnan(row["done_qty"])
        else:
            assert (row["plan_qty"], row["done_qty"]) == (pq, dq)
    total = agg.total(frame)
    assert amount(total["plan_vnd"]) == "31.804,4"
    assert amount(total["disbursed_vnd"]) == "11.685,233"
    assert rate(total["financial_rate"]) == "36,74%"
    assert total["plan_vnd"] == 31_804_400_000 and total["disbursed_vnd"] == 11_685_233_000


def check_h1_communes(frame):
    """Every list of communes the notice names, as sets."""
    assert names(ind.units_disbursed_any(frame, "DA1.ND2")) == {
        "Tân Tú", "Lục Bình", "Nguyên Phúc", "Mỹ Thanh", "Dương Phong", "Vi Hương"}
    assert names(ind.units_disbursed_full(frame, "DA1.ND4.PT")) == {
        "Tân Tú", "Lục Bình", "Nguyên Phúc", "Sĩ Bình", "Cao Sơn", "Dương Phong", "Quang Thuận", "TT Phủ Thông"}
    assert names(ind.units_disbursed_none(frame, "DA1.ND4.PT")) == {"Mỹ Thanh", "Vũ Muộn"}
    assert names(ind.units_disbursed_any(frame, "DA3.TDA2.ND1.CHUOI")) == {"Đôn Phong"}
    assert names(ind.units_disbursed_any(frame, "DA3.TDA2.ND1.CONGDONG")) == {
        "Cao Sơn", "Vi Hương", "Nguyên Phúc", "Đôn Phong", "Lục Bình"}
    assert names(ind.units_outputs_done(frame, "DA4.TDA1.DTBD")) == {"Vi Hương", "Mỹ Thanh"}
    assert names(ind.top_units(frame, UNITS, n=2, line_code="DA8")) == {"Vũ Muộn", "Vi Hương"}
    assert names(ind.units_disbursed_none(frame, "DA8")) == {"Lục Bình", "Cao Sơn"}
    assert names(ind.top_units(frame, UNITS, n=2)) == {"Vi Hương", "Lục Bình"}


def test_h1_lines_reproduce_the_notice():
    check_h1_lines(h1_frame())


def test_h1_communes_named_by_the_notice():
    check_h1_communes(h1_frame())


def test_by_project_rolls_leaves_up_and_keeps_one_measure_unit_only():
    projects = h1_frame().pipe(agg.by_level, "project").set_index("code")
    assert list(projects.index) == ["DA1", "DA3", "DA4", "DA8"]
    assert projects.loc["DA1", "plan_vnd"] == 2_041_000_000 + 223_000_000
    # nhà and téc are not added: DA1 has no quantity; DA3 (dự án) and DA4 (công trình) do
    assert np.isnan(projects.loc["DA1", "plan_qty"]) and projects.loc["DA1", "measure_unit"] == ""
    assert projects.loc["DA3", "plan_qty"] == 24 and projects.loc["DA3", "done_qty"] == 8
    assert projects.loc["DA4", "measure_unit"] == "công trình" and projects.loc["DA4", "plan_qty"] == 52
    assert projects["plan_vnd"].dtype == np.int64 and projects["disbursed_vnd"].dtype == np.int64
    assert projects["share_of_total_plan"].sum() == pytest.approx(1.0)
    assert projects.loc["DA8", "name"].startswith("Dự án 8")


def test_a_leaf_without_the_level_stays_itself():
    subs = h1_frame().pipe(agg.by_level, "subproject").set_index("code")
    assert list(subs.index) == ["DA1.ND2", "DA1.ND4.PT", "DA3.TDA2", "DA4.TDA1", "DA8"]
    assert subs.loc["DA8", "level"] == "project"
    contents = h1_frame().pipe(agg.by_level, "content")
    assert "DA3.TDA2.ND1" in set(contents["code"]) and "DA1.ND4" in set(contents["code"])


def test_unknown_level_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unknown catalog level"):
        agg.by_level(h1_frame(), "commune")


def test_by_capital_type_uses_the_catalog_where_the_report_did_not_split():
    frame = h1_frame()
    eff = agg.with_effective_capital(frame)
    assert set(eff.loc[eff["line_code"] == "DA4.TDA1.DTBD", "effective_capital"]) == {"sn"}
    assert set(eff.loc[eff["line_code"] == "DA4.TDA1.ND1", "effective_capital"]) == {"dtpt"}
    cap = frame.pipe(agg.by_capital_type).set_index("effective_capital")
    # dtpt: housing, investment works; sn: water, projects, maintenance, DA8
    assert cap.loc["dtpt", "plan_vnd"] == 2_041_000_000 + 14_302_000_000
    assert cap["plan_vnd"].sum() == 31_804_400_000


def test_by_budget_source_and_by_unit():
    src = h1_frame().pipe(agg.by_budget_source).set_index("budget_source")
    assert list(src.index) == ["nstw", "nsdp", ""]
    assert src.loc["nstw", "disbursed_vnd"] == 9_170_000
    units = h1_frame().pipe(agg.by_unit).set_index("unit_code")
    assert units.loc["01975", "plan_vnd"] == 2_402_000_000
    assert units.loc["01975", "disbursed_vnd"] == 1_961_100_000
    assert np.isnan(units.loc["01975", "plan_qty"])  # nhà, dự án, công trình mixed


def test_unit_by_project_cross():
    cross = h1_frame().pipe(agg.by_unit_level, "project")
    row = cross[(cross["unit_code"] == "01984") & (cross["code"] == "DA8")].iloc[0]
    assert row["plan_vnd"] == 102_000_000 and row["disbursed_vnd"] == 9_170_000
    assert cross["plan_vnd"].sum() == 31_804_400_000
    heat = agg.pivot_rates(h1_frame())
    assert heat.loc["Xã Lục Bình", "DA8"] == 0.0
    assert np.isnan(heat.loc["Xã Quang Thuận", "DA8"])


def test_rates_are_nan_where_the_denominator_is_zero():
    rows = tidy([("Tân Tú", "DA1.ND2", "nhà", 0, 0, "0", "0", "", ""),
                 ("Lục Bình", "DA8", "", None, None, "0", "0", "", "")])
    out = rows.pipe(agg.by_level, "line")
    assert out["financial_rate"].isna().all() and out["physical_rate"].isna().all()
    assert out["share_of_total_plan"].isna().all()


# --- exactness: rolling up to any level equals summing the leaves directly -------------------------
LEAVES = ["DA1.ND2", "DA1.ND4.PT", "DA3.TDA2.ND1.CHUOI", "DA3.TDA2.ND1.CONGDONG",
          "DA4.TDA1.DTBD", "DA4.TDA1.ND1", "DA8", "DA3.TDA1", "DA10.TDA3"]
row_strategy = st.tuples(
    st.sampled_from(["Tân Tú", "Lục Bình", "Vi Hương", "huyện"]), st.sampled_from(LEAVES),
    st.integers(0, 10**13), st.integers(0, 10**13),
    st.one_of(st.none(), st.floats(0, 1e4, allow_nan=False)), st.sampled_from(["", "dtpt", "sn"]),
    st.sampled_from(["", "nstw", "nsdp"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row_strategy, min_size=1, max_size=25), st.sampled_from(["line", "project", "subproject", "content", "item"]))
def test_rollup_to_any_level_equals_summing_leaves(rows, level):
    cat = load_catalog()
    frame = tidy([(u, line, cat.default_unit(line), q, q, "0", "0", cap, src)
                  for u, line, _, _, q, cap, src in rows])
    frame["plan_vnd"] = np.array([r[2] for r in rows], dtype="int64")
    frame["disbursed_vnd"] = np.array([r[3] for r in rows], dtype="int64")
    out = frame.pipe(agg.by_level, level).set_index("code")
    assert out["plan_vnd"].dtype == np.int64
    for code, group in out.iterrows():
        members = [line for line in frame["line_code"] if (cat.at_level(line, level) or line) == code] \
            if level != "line" else [code]
        leaves = frame[frame["line_code"].isin(members)]
        # exact integer sums (Python ints, no float on the way)
        assert int(group["plan_vnd"]) == sum(int(v) for v in leaves["plan_vnd"])
        assert int(group["disbursed_vnd"]) == sum(int(v) for v in leaves["disbursed_vnd"])
    assert int(out["plan_vnd"].sum()) == sum(r[2] for r in rows)
    assert agg.total(frame)["disbursed_vnd"] == sum(r[3] for r in rows)


# --- periods -----------------------------------------------------------------------------------------
def test_in_period_change_2024_09_minus_2024_06():
    frames = {"2024-09": q3_frame(), "2024-06": h1_frame()}
    change = ind.change_against_previous(frames, "2024-09").set_index(["unit_code", "line_code"])
    row = change.loc[("01978", "DA1.ND2")]
    assert row["disbursed_vnd_change"] == 88_000_000 and row["done_qty_change"] == 2
    assert change["disbursed_vnd_change"].sum() == 88_000_000
    assert change["plan_vnd_change"].sum() == 100_000_000
    assert change["disbursed_vnd_change"].dtype == np.int64


def test_first_period_of_a_year_is_its_own_change():
    change = ind.change_against_previous({"2024-06": h1_frame()}, "2024-06")
    assert change["disbursed_vnd_change"].sum() == 11_685_233_000
    with pytest.raises(ParameterError):
        ind.change_against_previous({"2024-06": h1_frame()}, "2024-09")


def test_trajectory_and_plan_adjustments():
    frames = {"2024-09": q3_frame(), "2024-06": h1_frame()}
    tot = ind.trajectory(frames).set_index("period")
    assert list(tot.index) == ["2024-06", "2024-09"]
    by_line = ind.trajectory(frames, by="line_code")
    assert by_line.groupby("period")["disbursed_vnd"].sum().to_dict() == tot["disbursed_vnd"].to_dict()
    assert tot.loc["2024-06", "disbursed_vnd"] == 11_685_233_000
    assert tot.loc["2024-09", "disbursed_vnd"] == 11_773_233_000
    adj = ind.plan_adjustments(frames)
    assert len(adj) == 1
    row = adj.iloc[0]
    assert (row["unit_code"], row["line_code"], row["old_plan_vnd"], row["new_plan_vnd"]) == \
        ("02017", "DA3.TDA2.ND1.CONGDONG", 1_054_000_000, 1_154_000_000)
    assert (row["period_from"], row["period_to"]) == ("2024-06", "2024-09")


def test_district_change():
    change = ind.district_change(q3_frame(), h1_frame())
    assert change["disbursed_vnd_change"] == 88_000_000 and change["plan_vnd_change"] == 100_000_000


# --- unit standing -----------------------------------------------------------------------------------
def test_ranking_by_financial_and_physical_rate():
    ranking = ind.ranking(h1_frame(), UNITS)
    assert list(ranking["unit_code"][:2]) == ["01975", "01990"]
    assert "063" not in set(ranking["unit_code"])
    assert ranking["rank"].iloc[0] == 1 and ranking["financial_rate"].is_monotonic_decreasing
    # physical: only lines measured in one unit can be ranked
    housing = h1_frame().query("line_code == 'DA1.ND2'")
    phys = ind.ranking(housing, rate="physical")
    assert phys.iloc[0]["physical_rate"] == 0.5  # Vi Hương 3/6
    with pytest.raises(ParameterError):
        ind.ranking(housing, rate="speed")


def test_behind_pace_below_half_of_the_share_of_year():
    slow = ind.behind_pace(h1_frame())  # 2024-06: bar 0.25
    assert (slow["financial_rate"] < 0.25).all() and (slow["pace"] == 0.25).all()
    assert "02017" in set(slow["unit_code"])  # Quang Thuận: 18 of 1.972 triệu
    assert "01975" not in set(slow["unit_code"])
    by_line = ind.behind_pace(h1_frame(), "2024-06", threshold=1.0, by="line")
    assert ((by_line["financial_rate"] < 0.5)).all()
