// LiveChart front end: embeds a Vega-Lite spec once, then applies data-only
// updates with view.data(...) so a slider move redraws without re-parsing the spec.
// The Vega library arrives once per page through a shared VegaLibrary widget
// (its source is ~800 KB, too big to repeat in every chart's state).

const LIBRARY_PREFIX = "IPY_MODEL_";

async function loadVega(model) {
  const key = "__primerVega_" + model.get("library_version");
  if (!globalThis[key]) {
    globalThis[key] = (async () => {
      const ref = model.get("library");
      const lib = await model.widget_manager.get_model(ref.slice(LIBRARY_PREFIX.length));
      const url = URL.createObjectURL(new Blob([lib.get("source")], { type: "text/javascript" }));
      try {
        return await import(/* webpackIgnore: true */ url);
      } finally {
        URL.revokeObjectURL(url);
      }
    })();
  }
  return globalThis[key];
}

// Datasets travel column-wise ({name: {column: [values]}}): smaller and faster to
// build in the kernel than one object per row.
function toRows(columns) {
  const names = Object.keys(columns);
  const n = names.length ? columns[names[0]].length : 0;
  const rows = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = {};
    for (const c of names) row[c] = columns[c][i];
    rows[i] = row;
  }
  return rows;
}

function applyData(view, datasets) {
  for (const [name, columns] of Object.entries(datasets || {})) {
    view.data(name, toRows(columns));
  }
}

function applyParams(view, params) {
  for (const [name, value] of Object.entries(params || {})) {
    view.signal(name, value);
  }
}

// Kernel watchdog: one per page (window), shared by every LiveChart, so a lesson with six
// charts sends one ping, not six. When the Python kernel behind a page dies, restarts or is
// culled, its widgets silently stop answering; the watchdog notices and tells the learner to
// reload. Pings ride on a live LiveChart's comm; LiveChart._answer_heartbeat replies.
const WATCHDOG_KEY = "__primerKernelWatchdog";
// A ping every 5 s. 20 s without a reply from a kernel that is idle and connected means it
// is gone, so the banner appears at most ~25 s after death. While the kernel reports "busy"
// (a long "Run trial" on a crowded classroom machine) silence is expected and never counts.
// Browsers throttle timers in background tabs, so a late tick restarts the count.
// A test may shorten these through globalThis.__primerHeartbeatTiming, set before the first chart.
const HEARTBEAT = { intervalMs: 5000, timeoutMs: 20000, lateTickMs: 12500 };
const PING = "primer-ping";
const PONG = "primer-pong";
const BANNER_CLASS = "primer-kernel-lost";

function kernelState(manager) {
  // The widget manager's kernel (Voila, JupyterLab). Lab sets it to null, or throws, once the
  // notebook is closed or its kernel shut down: then there is nothing left to watch.
  try {
    if (!manager || !("kernel" in manager)) return {};
    const kernel = manager.kernel;
    return kernel ? { status: kernel.status, connection: kernel.connectionStatus } : { detached: true };
  } catch (err) {
    return { detached: true };
  }
}

function makeBanner() {
  const banner = document.createElement("div");
  banner.className = BANNER_CLASS;
  banner.setAttribute("role", "alert");
  banner.style.cssText =
    "position:fixed;top:0;left:0;right:0;z-index:2147483647;padding:1em 1.5em;text-align:center;" +
    "background:#7a0019;color:#fff;font:bold 1.35rem/1.5 system-ui,sans-serif;" +
    "box-shadow:0 2px 12px rgba(0,0,0,.4);";
  const lead = document.createElement("div");
  lead.textContent = "This page has lost its connection to Python, so its charts and controls no longer respond.";
  const advice = document.createElement("div");
  advice.style.fontWeight = "normal";
  advice.textContent = "Reload the page to start again. (In JupyterLab: restart the kernel and run the cells again.)";
  banner.append(lead, advice);
  if (!document.querySelector(".jp-LabShell, .jp-NotebookShell")) {
    // Reloading JupyterLab does not bring a kernel back, so the button is for Voila pages.
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "Reload page";
    reload.style.cssText = "margin-top:.5em;font:inherit;font-size:1.1rem;padding:.3em 1.2em;cursor:pointer;";
    reload.addEventListener("click", () => window.location.reload());
    banner.append(reload);
  }
  return banner;
}

function createWatchdog() {
  // One group per widget manager, i.e. per kernel: JupyterLab may show several notebooks.
  // armed: the kernel has answered once (a model restored without a kernel never will).
  const groups = new Map();
  const timing = { ...HEARTBEAT, ...(globalThis.__primerHeartbeatTiming || {}) };
  const state = { groups, banner: null, reason: "", lastTick: null, timer: null, manual: false,
                  beat: 0, pings: 0, pongs: 0 };

  const refreshBanner = () => {
    const lost = [...groups.values()].some((g) => g.lost);
    if (lost && !(state.banner && state.banner.isConnected)) {
      state.banner = makeBanner();
      document.body.appendChild(state.banner);
    } else if (!lost && state.banner) {
      state.banner.remove();
      state.banner = null;
    }
    // Why, for the tests and anyone inspecting the page: "no reply", "kernel dead", "send failed: ...".
    if (state.banner) state.banner.dataset.reason = state.reason;
  };

  const markLost = (group, reason) => {
    group.lost = true;
    state.reason = reason;
  };

  const ping = (group, now) => {
    // The newest model: after a restart in JupyterLab, re-run cells make new, live ones.
    const model = group.models[group.models.length - 1];
    if (group.silentSince === null) group.silentSince = now;
    state.beat += 1;
    state.pings += 1;
    try {
      model.send({ type: PING, beat: state.beat });
    } catch (err) {
      // e.g. "Cannot send" once the kernel restarted: nothing will ever answer this comm.
      markLost(group, "send failed: " + (err && err.message ? err.message : err));
    }
  };

  state.tick = (now) => {
    const late = state.lastTick !== null && now - state.lastTick > timing.lateTickMs;
    state.lastTick = now;
    for (const [manager, group] of groups) {
      if (!group.models.length || (manager && manager.isDisposed)) {
        // Every chart closed, or JupyterLab closed the notebook: nothing to watch.
        groups.delete(manager);
        continue;
      }
      const kernel = kernelState(manager);
      if (kernel.detached) {
        group.silentSince = null;
        continue;
      }
      if (kernel.status === "dead") {
        markLost(group, "kernel dead");
      } else if (late || (kernel.status === "busy" && kernel.connection === "connected")) {
        group.silentSince = null;
      } else if (group.armed && group.silentSince !== null && now - group.silentSince >= timing.timeoutMs) {
        markLost(group, "no reply");
      }
      ping(group, now);
    }
    refreshBanner();
  };

  state.register = (model) => {
    const manager = model.widget_manager;
    if (!groups.has(manager)) groups.set(manager, { models: [], armed: false, silentSince: null, lost: false });
    const group = groups.get(manager);
    group.models.push(model);
    // A new model comes from a running kernel (JupyterLab: cells run again after a restart).
    group.silentSince = null;
    group.lost = false;
    refreshBanner();
    const onMessage = (content) => {
      if (!content || content.type !== PONG) return;
      state.pongs += 1;
      group.armed = true;
      group.silentSince = null;
      if (group.lost) {
        group.lost = false;
        refreshBanner();
      }
    };
    model.on("msg:custom", onMessage);
    if (state.timer === null && !state.manual) {
      state.timer = setInterval(() => state.tick(performance.now()), timing.intervalMs);
    }
    return () => {
      model.off("msg:custom", onMessage);
      const i = group.models.indexOf(model);
      if (i >= 0) group.models.splice(i, 1);
    };
  };

  // For the tests, which drive tick() with their own clock.
  state.stop = () => {
    state.manual = true;
    clearInterval(state.timer);
    state.timer = null;
  };
  state.timing = timing;
  return state;
}

// anywidget calls this once per model (render runs once per view).
function initialize({ model }) {
  if (!globalThis[WATCHDOG_KEY]) globalThis[WATCHDOG_KEY] = createWatchdog();
  return globalThis[WATCHDOG_KEY].register(model);
}

function render({ model, el }) {
  el.classList.add("primer-livechart");
  const box = document.createElement("div");
  box.className = "primer-livechart-view";
  box.setAttribute("role", "img");
  el.appendChild(box);
  let view = null;
  let renders = 0;

  const markDrawn = () => {
    renders += 1;
    el.dataset.renders = String(renders);
  };

  const showError = (err) => {
    box.textContent = "This chart could not be drawn: " + (err && err.message ? err.message : err);
    box.className = "primer-livechart-error";
  };

  const embed = async () => {
    try {
      const { vega, vegaLite, Handler } = await loadVega(model);
      if (view) view.finalize();
      const compiled = vegaLite.compile(model.get("spec")).spec;
      view = new vega.View(vega.parse(compiled), {
        renderer: "svg",
        container: box,
        hover: true,
        tooltip: new Handler().call,
      });
      applyData(view, model.get("datasets"));
      applyParams(view, model.get("params"));
      await view.runAsync();
      box.setAttribute("aria-label", model.get("description"));
      markDrawn();
    } catch (err) {
      showError(err);
    }
  };

  const update = async (apply) => {
    if (!view) return;
    try {
      const start = performance.now();
      apply();
      await view.runAsync();
      box.setAttribute("aria-label", model.get("description"));
      // Read by the benchmark: browser-side cost of the last data update.
      el.dataset.lastUpdateMs = (performance.now() - start).toFixed(1);
      markDrawn();
    } catch (err) {
      showError(err);
    }
  };

  const onData = () => update(() => applyData(view, model.get("datasets")));
  const onParams = () => update(() => applyParams(view, model.get("params")));
  model.on("change:spec", embed);
  model.on("change:datasets", onData);
  model.on("change:params", onParams);
  embed();
  return () => {
    model.off("change:spec", embed);
    model.off("change:datasets", onData);
    model.off("change:params", onParams);
    if (view) view.finalize();
  };
}

export default { initialize, render };
