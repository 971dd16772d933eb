"""requirements.txt is the one pin file; environment.yml and binder/ must follow it."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from primer_lib.devtools import envfiles

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"
GENERATED = envfiles.generated_files(ROOT)
# Named in the course design: learners get exactly these versions.
COURSE_STACK = [
    "jupyterlab", "ipywidgets", "voila", "altair", "nbval",
    "numpy", "scipy", "pandas", "anywidget",
]  # fmt: skip


def test_generated_file_list_is_not_empty() -> None:
    assert {path.relative_to(ROOT).as_posix() for path in GENERATED} == {
        "environment.yml",
        "binder/environment.yml",
        "binder/postBuild",
        "binder/README.md",
    }


@pytest.mark.parametrize("path", list(GENERATED), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_generated_file_matches_requirements(path: Path) -> None:
    assert path.is_file(), f"{path} is missing: run `make envfiles`"
    assert path.read_text(encoding="utf-8") == GENERATED[path], (
        f"{path} disagrees with requirements.txt: run `make envfiles`, never edit it by hand"
    )


def test_pyproject_dependencies_are_pinned_within_their_ranges() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dependencies = pyproject["project"]["dependencies"]
    pins = envfiles.read_pins(REQUIREMENTS)
    assert dependencies
    for dependency in map(Requirement, dependencies):
        name = canonicalize_name(dependency.name)
        assert name in pins, f"{name} is a dependency of primer_lib but not pinned"
        assert dependency.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} is outside pyproject.toml's {dependency}"
        )


def test_course_stack_is_pinned_exactly() -> None:
    stack = envfiles.course_stack(REQUIREMENTS)
    for name in COURSE_STACK:
        assert name in stack, f"{name} is missing from the course-stack section"
        Version(stack[name])  # raises on anything but one exact version


def test_read_pins_normalises_names() -> None:
    pins = envfiles.read_pins(REQUIREMENTS)
    assert "jinja2" in pins and "jupyter-core" in pins
    assert all(name == canonicalize_name(name) for name in pins)


@pytest.mark.parametrize("relative", ["environment.yml", "binder/environment.yml"])
def test_environment_yml_parses_and_pins_python_311(relative: str) -> None:
    environment = yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))
    assert environment["channels"] == ["conda-forge"]
    dependencies = environment["dependencies"]
    assert "python=3.11" in dependencies
    pip_pins = next(item["pip"] for item in dependencies if isinstance(item, dict))
    pins = envfiles.read_pins(REQUIREMENTS)
    assert pip_pins == [f"{name}=={version}" for name, version in pins.items()]


def test_postbuild_is_an_executable_bash_script_installing_the_package() -> None:
    postbuild = ROOT / "binder" / "postBuild"
    assert os.access(postbuild, os.X_OK), "binder/postBuild must be executable"
    lines = postbuild.read_text(encoding="utf-8").splitlines()
    assert lines[0] in {"#!/bin/bash", "#!/usr/bin/env bash"}
    assert any(line.startswith("set -e") for line in lines)
    assert "python -m pip install --no-deps -e ." in lines


def test_postbuild_installs_primer_lib_in_a_fresh_venv(tmp_path: Path) -> None:
    """Run binder/postBuild as Binder does: from the repository root, `python` on PATH."""
    repo = tmp_path / "repo"
    shutil.copytree(
        ROOT / "primer_lib",
        repo / "primer_lib",
        ignore=shutil.ignore_patterns("__pycache__", "node_modules", "*.egg-info"),
    )
    shutil.copy2(ROOT / "pyproject.toml", repo)
    shutil.copytree(ROOT / "binder", repo / "binder")
    readme = ROOT / "README.md"  # pyproject.toml names it; the build fails without it
    if readme.is_file():
        shutil.copy2(readme, repo)
    else:
        (repo / "README.md").write_text("# stub\n", encoding="utf-8")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)

    result = subprocess.run(
        ["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr

    # Run from tmp_path, not repo, so the import cannot come from the working directory.
    found = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import importlib.util; print(importlib.util.find_spec('primer_lib').origin)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert Path(found.stdout.strip()) == repo / "primer_lib" / "__init__.py"


def _copy_sources(tmp_path: Path) -> Path:
    shutil.copy2(REQUIREMENTS, tmp_path)
    for path in GENERATED:
        target = tmp_path / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return tmp_path


def test_check_passes_on_the_repository() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "primer_lib.devtools.envfiles", "--check"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_fails_on_a_hand_edit_and_write_repairs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy_sources(tmp_path)
    assert envfiles.main(["--check"], root=root) == 0
    edited = root / "binder" / "environment.yml"
    edited.write_text(edited.read_text(encoding="utf-8") + "      - requests==0.1\n")
    capsys.readouterr()
    assert envfiles.main(["--check"], root=root) == 1
    assert "binder/environment.yml" in capsys.readouterr().out
    assert envfiles.main([], root=root) == 0
    assert envfiles.main(["--check"], root=root) == 0


def test_check_fails_when_requirements_change(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path)
    requirements = root / "requirements.txt"
    text = requirements.read_text(encoding="utf-8")
    requirements.write_text(text.replace("numpy==", "numpy==0.0.0+", 1), encoding="utf-8")
    assert set(envfiles.stale_files(root)) == {
        root / "environment.yml",
        root / "binder" / "environment.yml",
    }


def test_check_fails_when_postbuild_is_not_executable(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path)
    (root / "binder" / "postBuild").chmod(0o644)
    assert envfiles.stale_files(root) == [root / "binder" / "postBuild"]


def test_relock_round_trips_and_takes_versions_from_the_freeze(tmp_path: Path) -> None:
    text = REQUIREMENTS.read_text(encoding="utf-8")
    pins = [line for line in text.splitlines() if line and not line.startswith("#")]
    freeze = [
        *pins,
        "pip==99.0",
        "setuptools==99.0",
        "# Editable install with no version control (primer-lib==0.1.0)",
        "-e /somewhere/primer-lib",
    ]
    random.Random(0).shuffle(freeze)  # the section order must not depend on the freeze
    assert envfiles.relocked_text(text, "\n".join(freeze)) == text

    bumped = [line.replace("numpy==", "numpy==9.") for line in freeze] + ["NewDep==1.0"]
    relocked = tmp_path / "requirements.txt"
    relocked.write_text(envfiles.relocked_text(text, "\n".join(bumped)), encoding="utf-8")
    old_stack = envfiles.course_stack(REQUIREMENTS)
    assert envfiles.course_stack(relocked) == {**old_stack, "numpy": "9." + old_stack["numpy"]}
    new_pins = envfiles.read_pins(relocked)
    assert new_pins["newdep"] == "1.0"
    assert not {"pip", "setuptools", "primer-lib"} & set(new_pins)
    header = text.split(envfiles.STACK_HEADER)[0]
    assert relocked.read_text(encoding="utf-8").startswith(header + envfiles.STACK_HEADER)


def test_relock_refuses_a_freeze_without_the_course_stack() -> None:
    text = REQUIREMENTS.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="is not in the freeze"):
        envfiles.relocked_text(text, "pandas==3.1.1\n")
