"""The Python API an analyst uses (README "In Python"): what the package exports, typed and
documented, and arguments it refuses."""
from __future__ import annotations

import inspect
import pydoc
import subprocess
import sys

import pandas as pd
import pytest

import mtqg_analysis
from mtqg_analysis import analysis
from mtqg_analysis.errors import InputErrors, ParameterError
from sample_render import copy_sample

ENTRY_POINTS = ["load_period", "load_year", "load_quality", "periods", "load_catalog", "load_units", "units_for",
                "YearData", "Catalog", "Units", "Period", "parse_period", "analysis", "InputErrors", "ParameterError",
                "BusyError"]


def public_callables():
    for name in mtqg_analysis.__all__:
        value = getattr(mtqg_analysis, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            yield name, value


def test_the_entry_points_and_every_figure_are_exported():
    assert set(ENTRY_POINTS) <= set(mtqg_analysis.__all__)
    assert set(analysis.__all__) <= set(mtqg_analysis.__all__)
    namespace: dict = {}
    exec("from mtqg_analysis import *", namespace)
    assert set(mtqg_analysis.__all__) <= set(namespace)
    assert namespace["by_level"] is analysis.by_level and namespace["load_year"] is mtqg_analysis.store.load_year


def test_dir_and_help_list_the_public_names():
    assert set(mtqg_analysis.__all__) <= set(dir(mtqg_analysis))
    text = pydoc.render_doc(mtqg_analysis, renderer=pydoc.plaintext)
    for name in ("load_period", "load_year", "load_quality", "load_catalog", "load_units", "by_level", "ranking",
                 "trajectory", "with_line_names", "YearData"):
        assert f"{name}(" in text or f"class {name}" in text, name


def test_importing_the_package_does_not_import_pandas():
    # `mtqg --help` and `import mtqg_analysis` stay quick; pandas comes with the first loader used
    code = "import sys, mtqg_analysis, mtqg_analysis.cli; assert 'pandas' not in sys.modules, 'pandas imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_function_is_typed_and_documented():
    for name, value in public_callables():
        assert inspect.getdoc(value), f"{name} has no docstring"
        if inspect.isclass(value):
            continue
        signature = inspect.signature(value)
        untyped = [p for p, param in signature.parameters.items() if param.annotation is inspect.Parameter.empty]
        assert not untyped, f"{name}: parameters without a type: {untyped}"
        assert signature.return_annotation is not inspect.Signature.empty, f"{name} has no return type"


def test_loaders_take_a_period_a_data_folder_and_a_keyword_rebuild():
    for loader in (mtqg_analysis.load_period, mtqg_analysis.load_year, mtqg_analysis.load_quality):
        parameters = inspect.signature(loader).parameters
        # load_year also takes reuse (one load per process, for the notebooks of mtqg report)
        extra = ["reuse"] if loader is mtqg_analysis.load_year else []
        assert list(parameters) == ["period", "data_dir", "rebuild", *extra]
        assert parameters["rebuild"].kind is inspect.Parameter.KEYWORD_ONLY
        assert all(parameters[name].kind is inspect.Parameter.KEYWORD_ONLY for name in extra)
        assert "Literal['auto', 'never', 'always']" in str(inspect.signature(loader, eval_str=True).parameters["rebuild"])


# --- arguments refused ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return copy_sample(tmp_path_factory.mktemp("api") / "data")


@pytest.mark.parametrize("rebuild", ["sometimes", True, None, "AUTO"])
def test_an_unknown_rebuild_is_refused_and_nothing_is_built(data, rebuild):
    with pytest.raises(ParameterError, match="rebuild must be one of 'auto', 'never', 'always'"):
        mtqg_analysis.load_period("2024-09", data, rebuild=rebuild)
    assert not (data / "processed" / "2024-09").exists()


def test_a_wrong_period_or_missing_data_folder_is_refused(data, tmp_path):
    with pytest.raises(ParameterError, match="'2024-13' is not a reporting period"):
        mtqg_analysis.load_year("2024-13", data)
    with pytest.raises(InputErrors, match="does not exist"):
        mtqg_analysis.load_period("2024-06", tmp_path / "no-data")


def test_figures_refuse_unknown_levels_rates_and_languages(data):
    funding = mtqg_analysis.load_period("2024-06", data)
    with pytest.raises(ParameterError, match="unknown catalog level 'district'"):
        analysis.by_level(funding, "district")
    with pytest.raises(ParameterError, match="unknown rate 'speed'"):
        analysis.ranking(funding, rate="speed")
    for figure in (analysis.by_level, analysis.with_line_names, analysis.full_and_none):
        with pytest.raises(ParameterError, match="unknown language 'fr'"):
            figure(funding, lang="fr")


def test_line_names_are_joined_from_the_catalog(data):
    funding = mtqg_analysis.load_period("2024-06", data)
    named = analysis.with_line_names(funding)
    housing = named[named["line_code"] == "DA1.ND2"].iloc[0]
    assert (housing["line_name"], housing["project"]) == ("Nội dung số 02: Hỗ trợ nhà ở", "DA1")
    assert analysis.with_line_names(funding, lang="en").loc[housing.name, "line_name"] == "Housing support"
    assert len(named) == len(funding) and list(named.columns[:len(funding.columns)]) == list(funding.columns)
    unknown = analysis.with_line_names(pd.DataFrame({"line_code": ["XX.9"]}))
    assert unknown.iloc[0].tolist() == ["XX.9", "XX.9", "XX.9"]
