"""The JupyterHub path in INSTRUCTORS.md works: its nbgitpuller link, image and config (issue 10).

The link is taken from the guide and run against a real Jupyter Server with nbgitpuller, on a
local upstream repository: first click clones, later clicks keep the student's edits. The
Dockerfile cannot be built here (no Docker engine), so its pip step is resolved with
``pip install --dry-run`` against the course's pins instead.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "INSTRUCTORS.md"
TOKEN = "hub-path-test"
COURSE_DIR = "immunotherapy-primer"  # what a clone of OWNER/REPO is called in the test


def block(name: str) -> str:
    """The fenced block that follows ``<!-- hub:<name> -->`` in the guide."""
    match = re.search(rf"<!-- hub:{name} -->\n```\w*\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert match, f"INSTRUCTORS.md has no hub:{name} block"
    return match.group(1)


def documented_link() -> tuple[str, dict[str, str]]:
    parts = urlsplit(block("link").strip())
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return parts.path, query


def dev_pin(name: str) -> str:
    pins = dict(line.split("==") for line in (ROOT / "requirements-dev.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    return pins[name]


def test_link_has_nbgitpuller_form_and_lands_on_a_lesson():
    path, query = documented_link()
    assert path == "/hub/user-redirect/git-pull"
    assert set(query) == {"repo", "branch", "urlpath"}
    assert query["repo"] == "https://github.com/OWNER/REPO"
    app, folder, rest = query["urlpath"].split("/", 2)[0], *query["urlpath"].split("/", 3)[2:]
    assert (app, folder) == ("lab", "REPO"), "urlpath is relative to the home: lab/tree/<repo folder>/…"
    assert (ROOT / rest).is_file(), f"urlpath points at {rest}, which the course does not have"


def test_dockerfile_installs_the_pinned_environment_and_tested_nbgitpuller():
    dockerfile = block("dockerfile")
    assert "FROM python:3.11" in dockerfile  # the Python the pins were resolved for
    assert "-r /opt/primer/requirements.txt" in dockerfile
    assert f"nbgitpuller=={dev_pin('nbgitpuller')}" in dockerfile
    assert '"jupyterhub==${JUPYTERHUB_VERSION}"' in dockerfile
    assert "--uid 1000 jovyan" in dockerfile and 'CMD ["jupyterhub-singleuser"]' in dockerfile


def test_dockerfile_pip_step_resolves_against_the_pins(tmp_path):
    version = re.search(r"JUPYTERHUB_VERSION=([\d.]+)", GUIDE.read_text(encoding="utf-8"))
    assert version, "the guide shows a --build-arg JUPYTERHUB_VERSION example"
    report = tmp_path / "report.json"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--report", str(report), "-r", str(ROOT / "requirements.txt"),
         f"jupyterhub=={version.group(1)}", f"nbgitpuller=={dev_pin('nbgitpuller')}"],
        check=True, capture_output=True, timeout=300)
    chosen = {item["metadata"]["name"].lower(): item["metadata"]["version"]
              for item in json.loads(report.read_text())["install"]}
    assert chosen["jupyterhub"] == version.group(1)
    assert chosen["jupyterlab"] == dict(
        line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith("jupyterlab=="))["jupyterlab"]


def test_config_fragment_points_the_hub_at_the_image():
    config = yaml.safe_load(block("config"))
    image = config["singleuser"]["image"]
    assert image["name"].endswith("/immunotherapy-primer") and image["tag"] == "<commit>"
    assert config["singleuser"]["defaultUrl"] == "/lab"
    assert config["singleuser"]["memory"]["limit"]


# --- nbgitpuller against a real Jupyter Server --------------------------------------------

def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=teacher", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout


def commit_files(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def hub_server(tmp_path) -> Iterator[tuple[str, Path]]:
    """A Jupyter Server (with nbgitpuller) whose root is a student's home folder."""
    home = tmp_path / "home"
    home.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", f"--ServerApp.root_dir={home}", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--no-browser", "--allow-root", f"--IdentityProvider.token={TOKEN}"],
        cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "Jupyter Server exited"
                time.sleep(0.25)
        else:
            pytest.fail("Jupyter Server did not answer within 60 s")
        yield url, home
    finally:
        server.terminate()
        server.wait(timeout=30)


def click(url: str, repo: Path) -> list[dict[str, str]]:
    """What a student's click on the guide's link does: nbgitpuller's page, then its pull."""
    _, query = documented_link()
    query["repo"] = repo.as_uri()
    query["urlpath"] = query["urlpath"].replace("/REPO/", f"/{COURSE_DIR}/")
    headers = {"Authorization": f"token {TOKEN}"}
    page_request = urllib.request.Request(f"{url}/git-pull?{urlencode(query)}", headers=headers)
    page = urllib.request.urlopen(page_request)
    assert page.status == 200 and b"git-pull" in page.read()
    api = urllib.request.Request(f"{url}/git-pull/api?{urlencode(query)}", headers=headers)
    events = []
    with urllib.request.urlopen(api, timeout=60) as stream:
        for line in stream:
            if line.startswith(b"data:"):
                events.append(json.loads(line[5:]))
                if events[-1].get("phase") in {"finished", "error"}:
                    break
    assert events and events[-1]["phase"] == "finished", events[-1:]
    return events


def test_link_clones_then_updates_without_losing_student_edits(hub_server, tmp_path):
    url, home = hub_server
    if shutil.which("git") is None:
        pytest.fail("git is needed by nbgitpuller and by this test")
    upstream = tmp_path / COURSE_DIR
    upstream.mkdir()
    git(upstream, "init", "-q", "-b", documented_link()[1]["branch"])
    lesson = "notebooks/00_start_here.ipynb"
    commit_files(upstream, {lesson: "intro\nline two\n", "notebooks/01.ipynb": "one\n",
                            "notebooks/02.ipynb": "two\n", "notebooks/04.ipynb": "four\n"}, "term starts")

    click(url, upstream)  # first click: the course arrives in the home folder
    course = home / COURSE_DIR
    assert (course / lesson).read_text() == "intro\nline two\n"

    (course / "notebooks/01.ipynb").write_text("one\nmy notes\n")   # the student's work
    (course / lesson).write_text("intro\nmy answer\n")               # same line as the fix below
    (course / "notebooks/02.ipynb").unlink()                          # deleted by mistake
    commit_files(upstream, {lesson: "intro\nline two, corrected\n", "notebooks/03.ipynb": "three\n",
                            "notebooks/04.ipynb": "four, corrected\n"}, "mid-term fix")

    click(url, upstream)  # a later click: update without losing work
    assert (course / "notebooks/01.ipynb").read_text() == "one\nmy notes\n"
    assert (course / lesson).read_text() == "intro\nmy answer\n", "on the same lines the student wins"
    assert (course / "notebooks/02.ipynb").read_text() == "two\n", "a deleted file comes back"
    assert (course / "notebooks/03.ipynb").read_text() == "three\n", "new lessons arrive"
    assert (course / "notebooks/04.ipynb").read_text() == "four, corrected\n", "untouched files update"
