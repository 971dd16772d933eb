"""A page whose kernel dies or is shut down says so (reload) instead of silently freezing.

The watchdog in ``livechart.js`` pings the kernel through one LiveChart; these tests drive its
rules with fake models and a fake clock, then kill and shut down real Voila kernels.
"""

from __future__ import annotations

import json
import signal
import time

import psutil
import pytest

from tests.browser.conftest import ROOT
from tests.browser.exercise import assert_no_python_errors, wait_for_charts

pytestmark = pytest.mark.browser

LIVECHART_JS = ROOT / "primer_lib" / "widgets" / "js" / "livechart.js"
LESSON = "00_start_here.ipynb"
#: The banner must appear within ~30 s of the kernel's death (heartbeat: 5 s pings, 20 s silence).
BANNER_WITHIN_S = 30
BANNER = ".primer-kernel-lost"

# Fake anywidget models (send/on/off, a widget manager with a kernel) and a hand-driven clock.
SCENARIOS = """async (source) => {
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const { initialize } = (await import(url)).default;
  const KEY = "__primerKernelWatchdog";
  const manager = (status = "idle") => ({ kernel: { status, connectionStatus: "connected" } });
  const fakeModel = (mgr, log, fail = false) => {
    const handlers = [];
    return {
      widget_manager: mgr,
      send(content) { if (fail) throw new Error("Cannot send"); log.push(content); },
      on(name, cb) { if (name === "msg:custom") handlers.push(cb); },
      off(name, cb) { const i = handlers.indexOf(cb); if (i >= 0) handlers.splice(i, 1); },
      pong() { handlers.forEach((cb) => cb({ type: "primer-pong", beat: 1 })); },
    };
  };
  const fresh = () => {
    if (globalThis[KEY]) globalThis[KEY].stop();
    delete globalThis[KEY];
    document.querySelectorAll(".primer-kernel-lost").forEach((b) => b.remove());
  };
  const start = (models) => {
    fresh();
    const cleanups = models.map((model) => initialize({ model }));
    globalThis[KEY].stop();
    return cleanups;
  };
  const banner = () => document.querySelector(".primer-kernel-lost");
  const run = (from, to, step = 5000) => { for (let t = from; t <= to; t += step) globalThis[KEY].tick(t); };
  const out = {};

  // Six charts on one page: one ping per beat, answered, never a banner.
  let mgr = manager(), log = [];
  let models = Array.from({ length: 6 }, () => fakeModel(mgr, log));
  start(models);
  for (let t = 0; t <= 60000; t += 5000) { globalThis[KEY].tick(t); models[5].pong(); }
  out.pingsFor6Charts = log.length;
  out.timing = globalThis[KEY].timing;
  out.pingTypes = [...new Set(log.map((m) => m.type))];
  out.bannerWhenAnswered = !!banner();

  // Answered once, then silent while idle: banner after the timeout, gone when a reply returns.
  mgr = manager(); log = [];
  models = [fakeModel(mgr, log)];
  start(models);
  globalThis[KEY].tick(0); models[0].pong();
  run(5000, 20000);
  out.bannerAfter15sSilence = !!banner();
  run(25000, 25000);
  out.bannerAfter20sSilence = !!banner();
  out.reason = banner() && banner().dataset.reason;
  out.role = banner() && banner().getAttribute("role");
  out.text = banner() && banner().innerText;
  models[0].pong();
  out.bannerAfterReply = !!banner();

  // A busy kernel (long computation) may stay silent for minutes.
  mgr = manager(); log = [];
  models = [fakeModel(mgr, log)];
  start(models);
  globalThis[KEY].tick(0); models[0].pong();
  mgr.kernel.status = "busy";
  run(5000, 180000);
  out.bannerWhileBusy = !!banner();
  mgr.kernel.status = "idle";
  globalThis[KEY].tick(185000); models[0].pong();
  run(190000, 200000);
  out.bannerWhenIdleAndAnswering = !!banner();

  // A throttled background tab: one late tick is not silence.
  mgr = manager(); log = [];
  models = [fakeModel(mgr, log)];
  start(models);
  globalThis[KEY].tick(0); models[0].pong();
  globalThis[KEY].tick(5000);
  globalThis[KEY].tick(65000);
  out.bannerAfterLateTick = !!banner();

  // Never answered (e.g. a model restored without a kernel): no banner from silence alone.
  mgr = manager(); log = [];
  start([fakeModel(mgr, log)]);
  run(0, 60000);
  out.bannerNeverArmed = !!banner();

  // Sending throws (comm gone after a restart): banner at once, nothing uncaught.
  mgr = manager(); log = [];
  start([fakeModel(mgr, log, true)]);
  globalThis[KEY].tick(0);
  out.bannerWhenSendThrows = !!banner();
  out.reasonWhenSendThrows = banner() && banner().dataset.reason;

  // The kernel reports "dead": banner at once.
  mgr = manager(); log = [];
  models = [fakeModel(mgr, log)];
  start(models);
  globalThis[KEY].tick(0); models[0].pong();
  mgr.kernel.status = "dead";
  globalThis[KEY].tick(5000);
  out.bannerWhenDead = !!banner();

  // JupyterLab closed the notebook (manager disposed or kernel detached; sending would throw) or
  // every chart closed: no banner, no pings.
  mgr = manager(); log = [];
  models = [fakeModel(mgr, log)];
  let cleanups = start(models);
  globalThis[KEY].tick(0); models[0].pong();
  mgr.isDisposed = true;
  run(5000, 60000);
  out.bannerWhenDisposed = !!banner();
  mgr = manager(); log = [];
  models = [fakeModel(mgr, log, true)];
  start(models);
  mgr.kernel = null;
  run(0, 60000);
  out.bannerWhenDetached = !!banner();
  out.pingsWhenDetached = log.length;
  mgr = manager(); log = [];
  models = [fakeModel(mgr, log)];
  cleanups = start(models);
  globalThis[KEY].tick(0); models[0].pong();
  cleanups.forEach((c) => c());
  run(5000, 60000);
  out.pingsAfterClose = log.length;
  out.bannerWhenClosed = !!banner();
  fresh();
  return out;
}"""


def test_watchdog_rules_with_fake_kernels(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content("<!doctype html><html><body><p>fake page</p></body></html>")
    out = page.evaluate(SCENARIOS, LIVECHART_JS.read_text(encoding="utf-8"))
    context.close()
    assert out["timing"] == {"intervalMs": 5000, "timeoutMs": 20000, "lateTickMs": 12500}
    assert out["pingsFor6Charts"] == 13, "one ping per beat for the whole page, not one per chart"
    assert out["pingTypes"] == ["primer-ping"]
    assert not out["bannerWhenAnswered"]
    assert not out["bannerAfter15sSilence"]
    assert out["bannerAfter20sSilence"] and out["reason"] == "no reply" and out["role"] == "alert"
    assert "lost its connection to Python" in out["text"] and "Reload the page" in out["text"]
    assert "JupyterLab" in out["text"] and "Reload page" in out["text"]
    assert not out["bannerAfterReply"], "a reply (e.g. cells run again) takes the banner away"
    assert not out["bannerWhileBusy"] and not out["bannerWhenIdleAndAnswering"]
    assert not out["bannerAfterLateTick"]
    assert not out["bannerNeverArmed"]
    assert out["bannerWhenSendThrows"] and out["reasonWhenSendThrows"] == "send failed: Cannot send"
    assert out["bannerWhenDead"]
    assert not out["bannerWhenDisposed"]
    assert not out["bannerWhenDetached"] and out["pingsWhenDetached"] == 0
    assert out["pingsAfterClose"] == 1 and not out["bannerWhenClosed"]
    assert errors == []


def _open_lesson(context, url: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/voila/render/{LESSON}", wait_until="commit", timeout=120_000)
    return page, errors


def _wait_until_watched(page) -> str:
    """Wait for the chart and the kernel's first heartbeat reply; return the page's kernel id."""
    wait_for_charts(page, 1)
    page.wait_for_function("() => (globalThis.__primerKernelWatchdog || {}).pongs > 0", timeout=30_000)
    assert page.locator(BANNER).count() == 0
    return str(json.loads(page.inner_text("#jupyter-config-data"))["kernelId"])


def _kill_kernel_process(kernel_id: str) -> None:
    # The kernel's command line names its connection file, kernel-<id>.json.
    procs = [p for p in psutil.process_iter(["cmdline"])
             if any(kernel_id in arg for arg in p.info["cmdline"] or [])]
    assert len(procs) == 1, f"expected one process for kernel {kernel_id}, found {len(procs)}"
    procs[0].send_signal(signal.SIGKILL)


def _shut_down_kernel(page, url: str, kernel_id: str) -> int:
    """DELETE /api/kernels/<id>, as the idle culler does; return the HTTP status."""
    page.request.get(url + "/")  # the tree page sets the _xsrf cookie the REST API asks for
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_xsrf")
    return int(page.request.delete(f"{url}/api/kernels/{kernel_id}", headers={"X-XSRFToken": xsrf}).status)


def test_banner_when_kernel_is_killed_or_shut_down(voila, browser):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    # Only silence reveals a shut-down kernel: a 1 s beat and 4 s timeout there keep the test short
    # (the real 5 s / 20 s are checked above). The killed page keeps the real numbers.
    contexts[1].add_init_script(
        "globalThis.__primerHeartbeatTiming = { intervalMs: 1000, timeoutMs: 4000, lateTickMs: 2500 };")
    try:
        # Both pages load at once, sharing the wait for their kernels.
        (killed, killed_errors), (shut, shut_errors) = (_open_lesson(c, voila.url) for c in contexts)
        killed_id, shut_id = _wait_until_watched(killed), _wait_until_watched(shut)
        start = time.monotonic()
        _kill_kernel_process(killed_id)
        assert _shut_down_kernel(shut, voila.url, shut_id) == 204
        for page in (killed, shut):
            remaining_ms = max(1.0, (BANNER_WITHIN_S - (time.monotonic() - start)) * 1000)
            page.locator(BANNER).wait_for(timeout=remaining_ms)
        for page in (killed, shut):
            banner = page.locator(BANNER)
            assert banner.get_attribute("role") == "alert"
            assert "lost its connection to Python" in banner.inner_text()
            assert banner.is_visible() and banner.bounding_box()["y"] <= 1
            assert_no_python_errors(page, kernel_lost=True)
        # The server restarts a killed kernel, but the page's widgets died with it: the next ping fails.
        assert killed.locator(BANNER).get_attribute("data-reason").startswith("send failed")
        assert shut.locator(BANNER).get_attribute("data-reason") == "no reply"
        assert killed_errors == [] and shut_errors == [], "nothing uncaught"
        # Leave the session's server as it was: the restarted kernel goes too.
        assert _shut_down_kernel(killed, voila.url, killed_id) == 204
    finally:
        for context in contexts:
            context.close()
