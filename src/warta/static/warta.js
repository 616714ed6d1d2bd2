// Warta dashboard charts. Each element with data-chart names its kind and, in data-source,
// the id of a <script type="application/json"> holding its data (the page's own JSON, never
// evaluated). plotly.js is served by this server from the installed plotly package.
(function () {
  "use strict";

  var COOP = "#2e8b57", CONFLICT = "#c0392b", INK = "#1d2330";
  var CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function dataOf(element) {
    var holder = document.getElementById(element.dataset.source);
    return holder ? JSON.parse(holder.textContent) : null;
  }

  function empty(element, message) {
    element.classList.add("empty");
    element.textContent = message;
  }

  // Events per month: cooperative above the axis, conflictual below, and the mean Goldstein
  // score of the month as a line on its own axis.
  function months(element, rows) {
    if (!rows || rows.length === 0) { empty(element, "No dated events."); return; }
    var x = rows.map(function (r) { return r.month; });
    var traces = [
      { type: "bar", name: "cooperative", x: x, y: rows.map(function (r) { return r.cooperative; }), marker: { color: COOP } },
      { type: "bar", name: "conflictual", x: x, y: rows.map(function (r) { return -r.conflictual; }), marker: { color: CONFLICT },
        customdata: rows.map(function (r) { return r.conflictual; }), hovertemplate: "%{customdata} conflictual<extra></extra>" }
    ];
    if (element.dataset.score === "yes") {
      traces.push({ type: "scatter", mode: "lines+markers", name: "Goldstein score", x: x, yaxis: "y2",
                    y: rows.map(function (r) { return r.score; }), line: { color: INK, width: 1.5 } });
    }
    Plotly.newPlot(element, traces, {
      barmode: "relative", margin: { t: 20, r: 50, b: 40, l: 45 }, legend: { orientation: "h", y: -0.18 },
      xaxis: { type: "category", tickangle: -45, automargin: true }, yaxis: { title: { text: "events" } },
      yaxis2: { overlaying: "y", side: "right", range: [-10, 10], title: { text: "score" }, showgrid: false }
    }, CONFIG);
  }

  // Actors on a circle, the busiest first; one line per pair, as wide as their shared events.
  function network(element, graph) {
    if (!graph || graph.nodes.length === 0) { empty(element, "No events between actors yet."); return; }
    var position = {}, n = graph.nodes.length;
    graph.nodes.forEach(function (node, i) {
      var angle = 2 * Math.PI * i / n;
      position[node.actor] = [Math.cos(angle), Math.sin(angle)];
    });
    var heaviest = Math.max.apply(null, graph.edges.map(function (e) { return e.weight; }).concat([1]));
    var traces = graph.edges.map(function (edge) {
      var a = position[edge.source], b = position[edge.target];
      var share = (edge.cooperative || 0) / edge.weight;
      return { type: "scatter", mode: "lines", x: [a[0], b[0]], y: [a[1], b[1]], hoverinfo: "skip", showlegend: false,
               line: { width: 1 + 9 * edge.weight / heaviest, color: share >= 0.5 ? COOP : CONFLICT }, opacity: 0.35 + 0.5 * edge.weight / heaviest };
    });
    var biggest = Math.max.apply(null, graph.nodes.map(function (node) { return node.weight; }));
    traces.push({
      type: "scatter", mode: "markers+text", showlegend: false,
      x: graph.nodes.map(function (node) { return position[node.actor][0]; }),
      y: graph.nodes.map(function (node) { return position[node.actor][1]; }),
      text: graph.nodes.map(function (node) { return node.name; }), textposition: "top center",
      customdata: graph.nodes.map(function (node) { return node.actor; }),
      hovertemplate: "%{text}: %{marker.size:.0f}<extra></extra>",
      marker: { size: graph.nodes.map(function (node) { return 8 + 30 * Math.sqrt(node.weight / biggest); }), color: "#1f5fbf",
                line: { color: "#fff", width: 1 } }
    });
    Plotly.newPlot(element, traces, {
      margin: { t: 20, r: 20, b: 20, l: 20 }, hovermode: "closest",
      xaxis: { visible: false, range: [-1.3, 1.3] }, yaxis: { visible: false, range: [-1.2, 1.2], scaleanchor: "x" }
    }, CONFIG);
    element.on("plotly_click", function (event) {
      var actor = event.points[0].customdata;
      if (actor) { window.location.href = "/actors/" + encodeURIComponent(actor); }
    });
  }

  var KINDS = { months: months, network: network };
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var draw = KINDS[element.dataset.chart];
    if (draw) { draw(element, dataOf(element)); element.dataset.drawn = "yes"; }
  });
})();
