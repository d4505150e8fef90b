/* profgraph graph widget: draws #pg-graph-data with vis-network, then wires the search box, the
   details panel and the highlighted reskilling paths. Labels only ever go in as text
   (textContent), never as HTML. window.profgraph exposes the state for tests and the curious. */
(function () {
  "use strict";
  var source = document.getElementById("pg-graph-data");
  if (!source || typeof vis === "undefined") {
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
  var state = {
    data: data, nodes: nodes, edges: edges, network: network,
    ready: false, settling: false, stabilizedMs: null, shown: null, highlighted: []
  };
  window.profgraph = state;

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function settled() {
    if (state.settling) {
      return;
    }
    state.settling = true;
    network.setOptions({ physics: { enabled: false } });
    highlight(null);
    // Fit once the final positions are drawn: a fit inside the stabilisation event can miss them.
    network.once("afterDrawing", function () {
      network.fit();
      state.stabilizedMs = Math.round(performance.now() - started);
      state.ready = true;
      if (loading) {
        loading.hidden = true;
      }
    });
    network.redraw();
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
    var others = Object.keys(item.labels).filter(function (lang) {
      return item.labels[lang] !== item.label;
    }).map(function (lang) {
      return lang + ": " + item.labels[lang];
    });
    if (others.length) {
      details.appendChild(element("p", others.join(" · "), "pg-langs"));
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

  var FOLD = { "ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и" };

  function fold(text) {
    return text.toLocaleLowerCase().replace(/[ёәғқңөұүһі]/g, function (letter) {
      return FOLD[letter];
    }).trim();
  }

  var searchable = data.nodes.filter(function (node) {
    var item = data.details[node.id];
    return item && item.kind === "profession";
  }).map(function (node) {
    var item = data.details[node.id];
    return { id: node.id, label: item.label, keys: Object.keys(item.labels).map(function (lang) {
      return fold(item.labels[lang]);
    }) };
  });

  function matches(text) {
    var query = fold(text);
    if (!query) {
      return [];
    }
    var found = searchable.filter(function (entry) {
      return entry.keys.some(function (key) { return key.indexOf(query) >= 0; });
    });
    found.sort(function (a, b) {
      var aStarts = a.keys.some(function (key) { return key.indexOf(query) === 0; }) ? 0 : 1;
      var bStarts = b.keys.some(function (key) { return key.indexOf(query) === 0; }) ? 0 : 1;
      return aStarts - bStarts || a.label.localeCompare(b.label);
    });
    return found.slice(0, 12);
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
               font: Object.assign({}, node.font, on ? {} : { color: "rgba(60, 60, 60, 0.25)" }) };
    }));
    edges.update(data.edges.map(function (edge) {
      var on = !onEdges || onEdges.has(edge.id);
      return { id: edge.id, hidden: edge.kind === "path" && !on,
               color: Object.assign({}, edge.color, { opacity: on ? 1 : data.dimmed / 2 }),
               font: Object.assign({}, edge.font, on ? {} : { color: "rgba(60, 60, 60, 0.25)" }) };
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
