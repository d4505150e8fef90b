/* profgraph graph widget: draws #pg-graph-data with vis-network, moves nodes apart until no two
   labels overlap, then wires the search box (search.js folds the query as the CLI does), the details
   panel, the highlighted reskilling paths and the "paths only" switch. Labels only ever go in as
   text (textContent), never as HTML. window.profgraph exposes the state for tests and the curious. */
(function () {
  "use strict";
  var source = document.getElementById("pg-graph-data");
  if (!source || typeof vis === "undefined" || !window.ProfgraphSearch) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("pg-network");
  var loading = document.getElementById("pg-loading");
  var details = document.getElementById("pg-details");
  var input = document.getElementById("pg-search");
  var results = document.getElementById("pg-search-results");
  var started = performance.now();
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);
  var pathsOnly = document.getElementById("pg-paths-only");
  var state = {
    data: data, nodes: nodes, edges: edges, network: network,
    ready: false, settling: false, stabilizedMs: null, shown: null, highlighted: [], spreadRounds: 0
  };
  window.profgraph = state;

  var element = window.ProfgraphSearch.element;

  function settled() {
    if (state.settling) {
      return;
    }
    state.settling = true;
    network.setOptions({ physics: { enabled: false } });
    highlight(null);
    // Fit once the final positions are drawn: a fit inside the stabilisation event can miss them.
    // Labels are measured only once drawn, so the spreading waits for that drawing too.
    network.once("afterDrawing", function () {
      if (data.spread) {
        state.spreadRounds = spread();
      }
      network.fit();
      state.stabilizedMs = Math.round(performance.now() - started);
      state.ready = true;
      if (loading) {
        loading.hidden = true;
      }
    });
    network.redraw();
  }

  /* Move nodes apart until no two of them overlap, labels included (vis-network's bounding box of a
     node covers its shape and its label). Each round pushes every overlapping pair apart along the
     axis where they overlap least, half each. Returns the rounds it took. */
  function spread() {
    var GAP = 12, ROUNDS = 300;
    var ids = nodes.getIds().filter(function (id) { return !nodes.get(id).hidden; });
    var positions = network.getPositions(ids);
    var boxes = ids.map(function (id) {
      var box = network.getBoundingBox(id), at = positions[id];
      return { id: id, x: at.x, y: at.y, left: box.left - at.x - GAP / 2, right: box.right - at.x + GAP / 2,
               top: box.top - at.y - GAP / 2, bottom: box.bottom - at.y + GAP / 2 };
    });
    for (var round = 0; round < ROUNDS; round++) {
      var moved = false;
      for (var i = 0; i < boxes.length; i++) {
        var a = boxes[i];
        for (var j = i + 1; j < boxes.length; j++) {
          var b = boxes[j];
          var across = Math.min(a.x + a.right, b.x + b.right) - Math.max(a.x + a.left, b.x + b.left);
          var down = Math.min(a.y + a.bottom, b.y + b.bottom) - Math.max(a.y + a.top, b.y + b.top);
          if (across <= 0 || down <= 0) {
            continue;
          }
          moved = true;
          if (across < down) {
            var sideways = (a.x + (a.left + a.right) / 2 <= b.x + (b.left + b.right) / 2 ? -1 : 1) * (across / 2 + 0.5);
            a.x += sideways;
            b.x -= sideways;
          } else {
            var upwards = (a.y + (a.top + a.bottom) / 2 <= b.y + (b.top + b.bottom) / 2 ? -1 : 1) * (down / 2 + 0.5);
            a.y += upwards;
            b.y -= upwards;
          }
        }
      }
      if (!moved) {
        break;
      }
    }
    boxes.forEach(function (box) { network.moveNode(box.id, box.x, box.y); });
    return round;
  }

  /* Details panel ------------------------------------------------------------------------ */

  function showDetails(id) {
    var item = data.details[id];
    if (!item || !details) {
      return;
    }
    details.replaceChildren();
    details.appendChild(element("h2", item.label));
    details.appendChild(element("p", item.kindName, "pg-kind"));
    var list = element("dl");
    item.fields.forEach(function (field) {
      list.appendChild(element("dt", field[0]));
      list.appendChild(element("dd", field[1]));
    });
    details.appendChild(list);
    if (item.otherLabels.length) {
      details.appendChild(element("p", item.otherLabels.map(function (other) {
        return other[0] + ": " + other[1];
      }).join(" · "), "pg-langs"));
    }
    if (item.skills) {
      Object.keys(item.skills).forEach(function (type) {
        details.appendChild(element("h3", type));
        details.appendChild(element("p", item.skills[type].join(", ")));
      });
    }
    if (item.url) {
      var link = element("a", data.words.open_page);
      link.setAttribute("href", item.url);
      details.appendChild(element("p")).appendChild(link);
    }
    state.shown = id;
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showDetails(params.nodes[0]);
      spotlight(params.nodes[0]);
    } else {
      spotlight(null);
    }
  });

  /* Search ------------------------------------------------------------------------------- */

  var fold = window.ProfgraphSearch.folder(data.fold);

  var searchable = data.nodes.filter(function (node) {
    var item = data.details[node.id];
    return item && item.kind === "profession";
  }).map(function (node) {
    var item = data.details[node.id];
    return { id: node.id, label: item.label, keys: item.keys };
  });

  function matches(text) {
    return window.ProfgraphSearch.rank(searchable, fold(text), 12).map(function (hit) { return hit.entry; });
  }

  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showDetails(id);
    spotlight(id);
    results.hidden = true;
  }

  function listMatches() {
    var found = matches(input.value);
    results.replaceChildren();
    if (!input.value.trim()) {
      results.hidden = true;
      return found;
    }
    if (!found.length) {
      results.appendChild(element("li")).appendChild(element("span", data.words.no_match, "pg-empty"));
    }
    found.forEach(function (entry) {
      var button = element("button", entry.label);
      button.type = "button";
      button.dataset.node = entry.id;
      button.addEventListener("click", function () { focusNode(entry.id); });
      results.appendChild(element("li")).appendChild(button);
    });
    results.hidden = false;
    return found;
  }

  if (input && results) {
    input.addEventListener("input", listMatches);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var found = listMatches();
        if (found.length) {
          focusNode(found[0].id);
        }
        event.preventDefault();
      } else if (event.key === "Escape") {
        results.hidden = true;
      }
    });
  }

  /* Reskilling paths --------------------------------------------------------------------- */

  /* Show the nodes and edges in ``onNodes``/``onEdges`` (Sets) in full and fade the rest, labels too. */
  function fade(onNodes, onEdges) {
    nodes.update(data.nodes.map(function (node) {
      var on = !onNodes || onNodes.has(node.id);
      return { id: node.id, opacity: on ? 1 : data.dimmed,
               font: Object.assign({}, node.font, on ? {} : { color: data.dimmedLabel }) };
    }));
    edges.update(data.edges.map(function (edge) {
      var on = !onEdges || onEdges.has(edge.id);
      return { id: edge.id, hidden: edge.kind === "path" && !on,
               color: Object.assign({}, edge.color, { opacity: on ? 1 : data.dimmed / 2 }),
               font: Object.assign({}, edge.font, on ? {} : { color: data.dimmedLabel }) };
    }));
  }

  function highlight(ranks) {
    if (!data.paths.length) {
      return;
    }
    var chosen = data.paths.filter(function (path) { return !ranks || ranks.indexOf(path.rank) >= 0; });
    var onNodes = new Set(), onEdges = new Set();
    if (data.focus) {
      onNodes.add(data.focus);
    }
    chosen.forEach(function (path) {
      path.nodes.forEach(function (id) { onNodes.add(id); });
      path.edges.forEach(function (id) { onEdges.add(id); });
    });
    fade(onNodes, onEdges);
    state.highlighted = chosen.map(function (path) { return path.rank; });
    document.querySelectorAll(".pg-path").forEach(function (button) {
      button.classList.toggle("pg-active", !!ranks && ranks.indexOf(Number(button.dataset.rank)) >= 0);
    });
    if (ranks) {
      network.fit({ nodes: Array.from(onNodes), animation: { duration: 400 } });
    }
  }

  /* Without paths to show, a chosen node and its neighbours stand out; null shows everything again. */
  function spotlight(id) {
    if (data.paths.length) {
      return;
    }
    if (id === null) {
      fade(null, null);
      return;
    }
    fade(new Set(network.getConnectedNodes(id).concat([id])), new Set(network.getConnectedEdges(id)));
  }

  document.querySelectorAll(".pg-path").forEach(function (button) {
    button.addEventListener("click", function () { highlight([Number(button.dataset.rank)]); });
  });
  var all = document.getElementById("pg-all-paths");
  if (all) {
    all.addEventListener("click", function () {
      highlight(null);
      network.fit({ animation: { duration: 400 } });
    });
  }
  /* "Paths only": hide every node and edge that is not on a listed path (the origin stays). */
  function showPathsOnly(only) {
    var onNodes = new Set(data.focus ? [data.focus] : []), onEdges = new Set();
    data.paths.forEach(function (path) {
      path.nodes.forEach(function (id) { onNodes.add(id); });
      path.edges.forEach(function (id) { onEdges.add(id); });
    });
    nodes.update(data.nodes.map(function (node) { return { id: node.id, hidden: only && !onNodes.has(node.id) }; }));
    // path edges keep what highlight() chose for them
    edges.update(data.edges.filter(function (edge) { return edge.kind !== "path"; }).map(function (edge) {
      return { id: edge.id, hidden: only };
    }));
    state.pathsOnly = only;
    network.fit({ animation: { duration: 300 } });
  }

  if (pathsOnly) {
    pathsOnly.checked = false;
    pathsOnly.addEventListener("change", function () { showPathsOnly(pathsOnly.checked); });
  }
  state.pathsOnly = false;
  state.showPathsOnly = showPathsOnly;
  state.highlight = highlight;
  state.focus = focusNode;

  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  network.setData({ nodes: nodes, edges: edges });
  if (!data.nodes.length || !data.options.physics || data.options.physics.enabled === false) {
    settled();
  }
  if (data.focus && details) {
    showDetails(data.focus);
  }
})();
