/* profgraph search in the browser, offline: folds text exactly as profgraph.lookup.search_key does,
   with the tables that module ships (window.ProfgraphSearch.folder), ranks names as the CLI's
   NameIndex.search does (exact, label prefix, word prefix, then similar spellings), and wires the
   site's search box (#site-search) to the index in search-index.js (window.PROFGRAPH_INDEX).
   graph.js, loaded after it, uses its folding, ranking and element().
   Labels only ever go in as text (textContent), never as HTML. */
(function () {
  "use strict";

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /* Return fold(text): the search key of text, as profgraph.lookup.search_key computes it. */
  function folder(tables) {
    var latin = tables.latin;
    var pattern = new RegExp(Object.keys(latin).map(escapeRegExp).sort(function (a, b) {
      return b.length - a.length;
    }).join("|"), "g");
    function map(table) {
      return function (letter) { return Object.prototype.hasOwnProperty.call(table, letter) ? table[letter] : letter; };
    }
    var letters = map(tables.letters), cyrillic = map(tables.cyrillic);
    return function fold(text) {
      var key = String(text).normalize("NFC").toLowerCase().replace(/ß/g, "ss");  // Python's casefold
      key = Array.from(key).map(letters).join("");
      key = Array.from(key).map(cyrillic).join("");
      key = key.replace(pattern, function (found) { return latin[found]; });
      key = key.normalize("NFKD").replace(/\p{Mn}/gu, "");
      return key.replace(/[^a-z0-9]+/g, " ").trim();
    };
  }

  /* 2 x longest common subsequence / total length, x 100: rapidfuzz's fuzz.ratio (Indel similarity). */
  function similarity(a, b) {
    if (!a.length || !b.length) {
      return 0;
    }
    var previous = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var current = [0];
      for (var j = 1; j <= b.length; j++) {
        current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
      }
      previous = current;
    }
    return 200 * previous[b.length] / (a.length + b.length);
  }

  /* Score one key against the folded query as NameIndex.search does (100 exact, 95-96 label
     prefix, 93-94 word prefix, at most 92 similar spelling, 0 none). */
  function score(key, query) {
    var extra = Math.min(key.length - query.length, 20) * 0.05;
    if (key === query) {
      return 100;
    }
    if (key.indexOf(query) === 0) {
      return 96 - extra;
    }
    if ((" " + key).indexOf(" " + query) >= 0) {
      return 94 - extra;
    }
    if (query.length >= 3) {
      var ratio = similarity(query, key);
      if (ratio >= 60) {
        return Math.min(ratio, 92);
      }
      if (key.indexOf(query) >= 0) {
        return 60;
      }
    }
    return 0;
  }

  /* Return up to limit {entry, score, name} for the entries ({keys, names?, label}) whose keys match
     query, best first, ties in the order of the matching name (or label), as the CLI sorts them;
     name is the index of the best-matching key. */
  function rank(entries, query, limit) {
    var found = [];
    if (!query) {
      return found;
    }
    entries.forEach(function (entry) {
      var best = 0, name = -1;
      entry.keys.forEach(function (key, index) {
        var value = score(key, query);
        if (value > best) {
          best = value;
          name = index;
        }
      });
      if (best > 0) {
        var text = entry.names ? entry.names[name] : entry.label;
        found.push({ entry: entry, score: Math.round(best * 10) / 10, name: name, text: text });
      }
    });
    found.sort(function (a, b) {
      return b.score - a.score || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
    });
    return found.slice(0, limit);
  }

  /* Return a new tag element holding text (as text, never markup), of class className. */
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

  window.ProfgraphSearch = { folder: folder, rank: rank, score: score, element: element };

  /* The site's search box ------------------------------------------------------------------ */

  var index = window.PROFGRAPH_INDEX;
  var input = document.getElementById("site-search");
  if (!index || !input) {
    return;
  }
  var form = input.form;
  var list = document.getElementById("site-search-results");
  var lang = document.documentElement.lang || "en";
  var fold = folder(index.fold);
  var words = JSON.parse(form.dataset.words);
  var entries = index.entries.map(function (row) {
    var labels = row[4];
    return {
      kind: row[0], id: row[1], file: row[2], status: row[3],
      label: labels[lang] || labels.en || labels[Object.keys(labels)[0]] || row[1],
      keys: row[5].map(function (name) { return name[0]; }),
      names: row[5].map(function (name) { return name[1]; })
    };
  });

  function address(entry) {
    return form.dataset[entry.kind + "Url"].replace("{file}", entry.file)
      .replace("{id}", encodeURIComponent(entry.id));
  }

  function show() {
    var hits = rank(entries, fold(input.value), 10);
    list.replaceChildren();
    if (!input.value.trim()) {
      list.hidden = true;
      return hits;
    }
    if (!hits.length) {
      list.appendChild(element("li", words.none, "site-search-empty"));
    }
    hits.forEach(function (hit) {
      var entry = hit.entry, item = element("li");
      var link = element("a", entry.label, entry.kind === "profession" ? "profession status-" + (entry.status || "unknown") : "skill");
      link.href = address(entry);
      item.appendChild(link);
      var matched = entry.names[hit.name];
      if (matched && matched !== entry.label) {
        item.appendChild(element("small", " (" + matched + ")"));
      }
      item.appendChild(element("span", words[entry.kind], "site-search-kind"));
      list.appendChild(item);
    });
    list.hidden = false;
    return hits;
  }

  input.addEventListener("input", show);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      list.hidden = true;
    } else if (event.key === "Enter" && !form.getAttribute("action")) {
      // the static site has no search page: Enter opens the best hit
      var hits = show();
      if (hits.length) {
        window.location.href = address(hits[0].entry);
      }
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) {
      list.hidden = true;
    }
  });
  window.profgraphSiteSearch = { entries: entries, fold: fold, show: show };
})();
