// Draws every chart of a static course page with the vendored Vega bundle (vega.js, which sets
// globalThis.primerVega). Same steps as the live widget (primer_lib/widgets/js/livechart.js):
// compile the Vega-Lite spec, then fill its named datasets and parameters. Nothing is fetched.
(function () {
  "use strict";

  // Datasets are stored column-wise ({column: [values]}), as the live widget receives them.
  function toRows(columns) {
    var names = Object.keys(columns);
    var n = names.length ? columns[names[0]].length : 0;
    var rows = new Array(n);
    for (var i = 0; i < n; i++) {
      var row = {};
      for (var j = 0; j < names.length; j++) row[names[j]] = columns[names[j]][i];
      rows[i] = row;
    }
    return rows;
  }

  function showError(box, err) {
    box.className = "primer-livechart-error";
    box.textContent = "This chart could not be drawn: " + (err && err.message ? err.message : err);
    console.error(err);
  }

  function draw(figure) {
    var box = figure.querySelector(".primer-static-view");
    try {
      var lib = globalThis.primerVega;
      var payload = JSON.parse(figure.querySelector("script.primer-chart-data").textContent);
      var compiled = lib.vegaLite.compile(payload.spec).spec;
      var view = new lib.vega.View(lib.vega.parse(compiled), {
        renderer: "svg",
        container: box,
        hover: true,
        tooltip: new lib.Handler().call,
      });
      Object.keys(payload.datasets || {}).forEach(function (name) {
        view.data(name, toRows(payload.datasets[name]));
      });
      Object.keys(payload.params || {}).forEach(function (name) {
        view.signal(name, payload.params[name]);
      });
      return view.runAsync().then(function () {
        figure.dataset.drawn = "true";
      }, function (err) {
        showError(box, err);
      });
    } catch (err) {
      showError(box, err);
      return Promise.resolve();
    }
  }

  var figures = Array.prototype.slice.call(document.querySelectorAll(".primer-static-chart"));
  // The browser test waits for this mark before it reads the charts.
  Promise.all(figures.map(draw)).then(function () {
    document.body.dataset.chartsDone = String(figures.length);
  });
})();
