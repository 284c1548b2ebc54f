"""The dependency lists in pyproject.toml and environment.yml agree (declared once, mirrored once)."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name_and_bound(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    return match[1].lower().replace("_", "-"), match[2].replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(_name_and_bound(r) for r in requirements)


def _environment() -> dict[str, str]:
    deps = {}
    in_deps = False
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        match = re.match(r"^  - ([^:#]+?)\s*$", line)
        if in_deps and match:
            name, bound = _name_and_bound(match[1])
            if name not in ("python", "pip"):
                deps[name] = bound
    return deps


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    assert _environment() == _pyproject()


def test_nbconvert_is_at_least_the_release_that_fixed_the_path_traversal_cves():
    assert _pyproject()["nbconvert"] == ">=7.17.1"


def test_python_version_floor_is_3_11():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in (ROOT / "environment.yml").read_text(encoding="utf-8")


def test_console_script_mtqg_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["mtqg"] == "mtqg_analysis.cli:main"
