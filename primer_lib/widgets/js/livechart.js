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

export default { render };
