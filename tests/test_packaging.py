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


# --- the committed constraints (README "Installing") ---------------------------------------------------
def _constraints() -> list[tuple[str, str, str]]:
    """(name, pinned version, environment marker) of every line of constraints.txt."""
    pins = []
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement, _, marker = line.partition(";")
        name, _, version = requirement.strip().partition("==")
        pins.append((name.lower().replace("_", "-"), version.strip(), marker.strip()))
    return pins


def test_make_installs_from_the_committed_constraints():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "CONSTRAINTS := constraints.txt" in makefile
    assert "$(STAMP): pyproject.toml $(CONSTRAINTS)" in makefile
    assert "pip install --quiet -c $(CONSTRAINTS) -e '.[test]'" in makefile
    assert all(version for _, version, _ in _constraints())  # every line an exact pin


def test_constraints_pin_every_declared_dependency_within_its_bounds():
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    pinned = {}
    for name, version, _marker in _constraints():
        pinned.setdefault(name, []).append(version)
    for name, bound in _pyproject().items():
        assert name in pinned, f"{name} is not in constraints.txt: run `make constraints`"
        for version in pinned[name]:
            assert Version(version) in SpecifierSet(bound), f"{name}=={version} is outside {bound}: run `make constraints`"


def test_this_environment_was_installed_from_the_constraints():
    """Every package that mtqg-analysis[test] needs here is at its pinned version (make venv did it)."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.markers import Marker
    from packaging.requirements import Requirement

    pins = {name: version for name, version, marker in _constraints() if not marker or Marker(marker).evaluate()}
    wanted, seen, checked = ["mtqg-analysis[test]"], set(), 0
    while wanted:
        requirement = Requirement(wanted.pop())
        name = requirement.name.lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        if name != "mtqg-analysis":
            assert name in pins, f"{name} is installed but not pinned in constraints.txt"
            assert dist.version == pins[name], f"{name} {dist.version} installed, {pins[name]} pinned: run `make venv`"
            checked += 1
        for sub in dist.requires or []:
            sub_req = Requirement(sub)
            extras = requirement.extras or {""}
            if sub_req.marker is None or any(sub_req.marker.evaluate({"extra": e}) for e in extras):
                wanted.append(sub)
    assert checked > 50  # the whole tree was walked, not only the direct dependencies


def test_the_license_is_an_spdx_expression_with_its_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    from importlib.metadata import metadata

    assert metadata("mtqg-analysis")["License-Expression"] == "MIT"


def test_the_changelog_has_an_entry_for_this_version():
    from mtqg_analysis import __version__

    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog


def test_the_package_says_it_is_typed():
    from importlib.resources import files

    assert files("mtqg_analysis").joinpath("py.typed").is_file()
