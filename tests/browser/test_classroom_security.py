"""Voila as served to a classroom (voila.json): clients cannot run code, read sources or open terminals.

The probes are what a curious student could do from the page (a websocket to its own kernel) or
with any HTTP client (raw paths, traversal, encodings), against the session's ``voila`` server.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from primer_lib.devtools.serve_dashboards import LOOPBACK
from tests.browser.conftest import BIN, NOTEBOOKS, ROOT, Server, free_port, start_server

pytestmark = pytest.mark.browser

LESSON = "00_start_here.ipynb"
SETTLE_MS = 2000

# Source files next to (and inside) the served folder, each with a string only its content has.
SOURCES = {
    "voila.json": "\"kernel_pools_config\"",
    "pyproject.toml": "[tool.mypy]",
    "README.md": "# Immunotherapy Primer, Part 2",
    "Makefile": ".PHONY:",
    "requirements.txt": "voila==0.5.13",
    "primer_lib/__init__.py": "Importing the",
    "primer_lib/tumor_growth.py": "def effector_threshold_millions(",
    "primer_lib/widgets/livechart.py": "class LiveChart(anywidget.AnyWidget)",
    "primer_lib/devtools/serve_dashboards.py": "def voila_command(",
    "tests/browser/conftest.py": "def start_server(",
}
NOTEBOOK_PATHS = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
#: Raw notebook JSON, never in a rendered page.
NOTEBOOK_NEEDLE = '"cell_type"'
# Jupyter Server / Lab endpoints that a standalone Voila must not have.
SERVER_ENDPOINTS = ["/api/kernels", "/api/sessions", "/api/terminals", "/api/contents", "/api/kernelspecs",
                    "/api/config/notebook", "/api/nbconvert", "/lab", "/tree", "/terminals/1",
                    "/terminals/websocket/1", "/api/me"]

# From inside the page: open a websocket to the page's own kernel, as the page itself does, and
# send an execute_request (forbidden) followed by a kernel_info_request (allowed).
PROBE = """async ({ code, settleMs }) => {
  const kernelId = JSON.parse(document.getElementById("jupyter-config-data").textContent).kernelId;
  const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/api/kernels/" + kernelId
                           + "/channels?session_id=probe-" + Date.now());
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error("no websocket")); });
  const seen = [];
  ws.onmessage = (e) => {
    if (typeof e.data !== "string") return;
    const m = JSON.parse(e.data);
    seen.push({ type: m.header.msg_type, parent: (m.parent_header || {}).msg_id || null,
                text: JSON.stringify(m.content).slice(0, 200) });
  };
  const send = (type, content) => {
    const id = "probe-" + type + "-" + Math.random().toString(16).slice(2);
    ws.send(JSON.stringify({ channel: "shell", header: { msg_id: id, msg_type: type, username: "",
      session: "probe", date: new Date().toISOString(), version: "5.3" }, parent_header: {}, metadata: {},
      content, buffers: [] }));
    return id;
  };
  const execute = send("execute_request", { code, silent: false, store_history: false, user_expressions: {},
                                            allow_stdin: false, stop_on_error: true });
  const info = send("kernel_info_request", {});
  // The kernel answers shell requests in order: once kernel_info_reply is in, an execute_reply
  // would be too. Wait a little longer anyway, for stray output.
  const until = Date.now() + 30000;
  while (!seen.some((m) => m.parent === info && m.type === "kernel_info_reply") && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, settleMs));
  ws.close();
  return { kernelId, execute, info, seen };
}"""


def request(server: Server, path: str, method: str = "GET", hops: int = 3) -> tuple[int, str]:
    """Request ``path`` byte for byte (no client-side ``..`` clean-up), following redirects."""
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        # A matching _xsrf cookie and header, so POST and DELETE get past the XSRF check.
        connection.request(method, path, headers={"Cookie": "_xsrf=x", "X-XSRFToken": "x"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        location = response.getheader("Location")
    finally:
        connection.close()
    if response.status in (301, 302, 303, 307, 308) and location and hops:
        local = urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
        return request(server, local, method, hops - 1)
    return response.status, body


def attack_paths(path: Path) -> list[str]:
    """URLs that might serve ``path``, a file inside or next to the served folder (notebooks/)."""
    rel = path.relative_to(ROOT).as_posix()  # from the repository root: Jupyter Server's layout
    served = path.relative_to(NOTEBOOKS).as_posix() if path.is_relative_to(NOTEBOOKS) else f"../{rel}"
    q = urllib.parse.quote(served)
    encoded = urllib.parse.quote(served, safe="")
    dots = q.replace("../", "%2e%2e/")
    absolute = urllib.parse.quote(str(path))
    paths = [
        f"/voila/files/{q}", f"/voila/files/{encoded}", f"/voila/files/{dots}",
        f"/voila/files/{urllib.parse.quote(encoded, safe='')}",  # double-encoded
        f"/voila/files/{q.replace('/', '%5c')}", f"/voila/files/.%2f{q}",
        # Dressed up as an allowlisted image.
        f"/voila/files/{q}%00.png", f"/voila/files/{q}%3f.png", f"/voila/files/{q}%23.svg",
        f"/voila/files/{q}/.png", f"/voila/files/{absolute}", f"/voila/files/{absolute}%00.gif",
        f"/voila/static/{absolute}", f"/voila/static/{dots}", f"/voila/labextensions/{absolute}",
        f"/voila/labextensions/{dots}", f"/voila/templates/lab/static/{absolute}",
        f"/voila/templates/lab/static/{dots}", f"/voila/api/themes/{dots}",
        f"/voila/api/contents/{q}?content=1", f"/voila/api/contents/{dots}?content=1&format=text",
        f"/voila/api/contents/{encoded}?content=1&format=base64",
        # Jupyter Server's and the classic notebook's file routes.
        f"/api/contents/{q}?content=1", f"/api/contents/{rel}?content=1", f"/files/{q}", f"/files/{rel}",
        f"/notebooks/{q}", f"/notebooks/{rel}", f"/edit/{rel}", f"/view/{rel}", f"/tree/{rel}",
        f"/lab/tree/{rel}", f"/nbconvert/html/{q}", f"/nbconvert/script/{rel}", f"/{rel}", f"/{q}",
    ]
    # Rendering a notebook is Voila's job (test_rendered_lesson_has_no_code checks what it shows);
    # asked to render anything else, Voila must not hand the file over.
    return paths if served.endswith(".ipynb") else [*paths, f"/voila/render/{q}", f"/voila/render/{dots}"]


def test_sources_exist_and_hold_their_needles():
    # Guards the probes below: each needle really is in its file.
    for name, needle in SOURCES.items():
        assert needle in (ROOT / name).read_text(encoding="utf-8"), name
    assert NOTEBOOK_PATHS and all(NOTEBOOK_NEEDLE in p.read_text(encoding="utf-8") for p in NOTEBOOK_PATHS)


def test_no_route_serves_notebooks_or_other_sources(voila):
    targets = [(ROOT / name, needle) for name, needle in SOURCES.items()]
    targets += [(p, NOTEBOOK_NEEDLE) for p in NOTEBOOK_PATHS]
    leaks, statuses = [], set()
    for path, needle in targets:
        for url in attack_paths(path):
            status, body = request(voila, url)
            statuses.add(status)
            if needle in body:
                leaks.append(f"{url} -> {status} with the file's content")
            elif url.startswith("/voila/api/contents/") and status == 200:
                # Voila's tree API answers for notebooks, but only with metadata.
                if json.loads(body).get("content") is not None:
                    leaks.append(f"{url} -> content")
            elif status < 400:
                leaks.append(f"{url} -> {status}")
    assert leaks == []
    assert statuses <= {200, 400, 403, 404, 405, 500}, statuses


def test_no_server_api_lab_or_terminals(voila):
    answers = {url: request(voila, url)[0] for url in SERVER_ENDPOINTS}
    answers |= {f"POST {url}": request(voila, url, "POST")[0] for url in ("/api/kernels", "/api/terminals",
                                                                       "/api/sessions", "/api/contents")}
    assert all(status in (403, 404, 405) for status in answers.values()), answers
    # The tree and its API list the served folder and its sub-folders only: not the repository.
    root = urllib.parse.quote(str(ROOT), safe="")
    for url in ("/voila/api/contents/..", "/voila/api/contents/%2e%2e", f"/voila/api/contents/{root}",
                "/voila/tree/..", "/voila/tree/%2e%2e", "/voila/tree/dashboards/%2e%2e/%2e%2e",
                f"/voila/tree/{root}", "/voila/tree/.ipynb_checkpoints"):
        status, body = request(voila, url)
        assert status >= 400 and "primer_lib" not in body, (url, status)


@pytest.fixture(scope="module")
def lesson(voila, browser) -> Iterator[tuple[object, str]]:
    """00_start_here rendered by the classroom server: the page and the HTML the server sent."""
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(f"{voila.url}/voila/render/{LESSON}", wait_until="load", timeout=120_000)
        assert response is not None and response.ok
        kernel_id = json.loads(page.inner_text("#jupyter-config-data"))["kernelId"]
        yield page, response.text()
    finally:
        context.close()
    # Closing a page does not stop its kernel; leave the session's server as it was.
    assert request(voila, f"/api/kernels/{kernel_id}", "DELETE")[0] == 204


def test_rendered_lesson_has_no_code(lesson):
    page, html = lesson
    cells = json.loads((NOTEBOOKS / LESSON).read_text(encoding="utf-8"))["cells"]
    prose = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    code_lines = {line.strip() for line in code.splitlines()}
    # Lines that only code has (a short call like `Markdown(x)` could also be prose).
    distinctive = {line for line in code_lines if len(line) >= 20 and line not in prose}
    assert distinctive and "from primer_lib" in code
    assert "from primer_lib" not in html
    assert [line for line in distinctive if line in html] == []
    config = json.loads(page.inner_text("#jupyter-config-data"))
    assert config["terminalsAvailable"] is False


def _probe(page, marker: Path) -> dict:
    code = f"open({str(marker)!r}, 'w').write('ran')"
    result: dict = page.evaluate(PROBE, {"code": code, "settleMs": SETTLE_MS})
    return result


def test_kernel_websocket_refuses_code(voila, lesson, tmp_path):
    page, _ = lesson
    marker = tmp_path / "executed"
    result = _probe(page, marker)
    replies = {m["type"] for m in result["seen"] if m["parent"] == result["info"]}
    assert "kernel_info_reply" in replies, "the probe's websocket works: an allowed request is answered"
    about_execute = [m for m in result["seen"] if m["parent"] == result["execute"]]
    assert about_execute == [], "the kernel never saw the execute_request"
    assert not marker.exists()
    assert 'Received message of type "execute_request", which is not allowed. Ignoring.' in (
        voila.log.read_text(encoding="utf-8"))


PERMISSIVE_MANAGER = '''
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import validate


class PermissiveKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager without the message allowlist (Voila passes it in; this drops it)."""

    @validate("allowed_message_types")
    def _allow_everything(self, proposal):
        return []
'''


@pytest.fixture
def voila_without_allowlist(tmp_path, monkeypatch) -> Iterator[Server]:
    """Voila on a one-cell notebook with voila.json's settings, minus preheating and the message allowlist."""
    (tmp_path / "permissive_kernels.py").write_text(PERMISSIVE_MANAGER, encoding="utf-8")
    folder = tmp_path / "served"
    folder.mkdir()
    cell = {"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
            "source": ["x = 1"]}
    notebook = {"cells": [cell], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    (folder / "one.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    port = free_port()
    server = start_server([str(BIN / "voila"), str(folder), f"--Voila.ip={LOOPBACK}", f"--port={port}",
                           "--VoilaConfiguration.preheat_kernel=False",
                           "--VoilaConfiguration.multi_kernel_manager_class="
                           "permissive_kernels.PermissiveKernelManager"], port, tmp_path / "voila.log")
    yield server
    server.stop()


def test_same_probe_runs_code_without_the_allowlist(voila_without_allowlist, browser, tmp_path):
    # Shows the probe above can fail: with the allowlist gone, the same messages execute code.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{voila_without_allowlist.url}/voila/render/one.ipynb", wait_until="load", timeout=120_000)
        marker = tmp_path / "executed"
        result = _probe(page, marker)
    finally:
        context.close()
    replies = {m["type"] for m in result["seen"] if m["parent"] == result["execute"]}
    assert "execute_reply" in replies, result["seen"]
    assert marker.read_text() == "ran"
