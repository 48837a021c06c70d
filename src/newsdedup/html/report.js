// The newsdedup HTML report's page: reads the run from the JSON data element and draws it a page
// at a time. Article text only ever goes into text nodes (never innerHTML): it is hostile.
(function () {
  "use strict";

  var CLUSTERS_PER_PAGE = 20;
  var SINGLES_PER_PAGE = 100;
  var SKIPPED_PER_PAGE = 100;
  var number = new Intl.NumberFormat("en");
  performance.mark("newsdedup-start");
  var data = JSON.parse(document.getElementById("report-data").textContent);
  performance.mark("newsdedup-parsed");
  var app = document.getElementById("app");

  // el("p", {class: "x"}, "text", child): an element; strings become text nodes.
  function el(tag, attributes) {
    var node = document.createElement(tag);
    if (attributes) {
      Object.keys(attributes).forEach(function (name) {
        if (attributes[name] !== null && attributes[name] !== undefined) {
          node.setAttribute(name, attributes[name]);
        }
      });
    }
    for (var index = 2; index < arguments.length; index += 1) {
      append(node, arguments[index]);
    }
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) {
      return;
    }
    if (Array.isArray(child)) {
      child.forEach(function (item) { append(node, item); });
    } else if (typeof child === "string") {
      node.appendChild(document.createTextNode(child));
    } else {
      node.appendChild(child);
    }
  }

  // Text a screen reader says but nobody sees (what a colour says to the eye).
  function spoken(text) {
    return el("span", {class: "sr-only"}, text);
  }

  function titleOf(member) {
    return member.title || "(no title)";
  }

  function counted(count, one, many) {
    return number.format(count) + " " + (count === 1 ? one : many);
  }

  function score(value) {
    return value.toFixed(2);
  }

  // A member's facts as a definition list (only those it has).
  function facts(member) {
    var rows = [
      ["Id", member.id], ["Source", member.source], ["Published", member.published],
      ["Byline", member.byline], ["Dateline", member.dateline], ["Wire", member.wire],
      ["Body", number.format(member.chars) + " characters"], ["Path", member.path], ["URL", member.url]
    ];
    return el("dl", {class: "facts"}, rows.filter(function (row) { return row[1]; }).map(function (row) {
      return [el("dt", null, row[0]), el("dd", null, row[1])];
    }));
  }

  // The texts of a piece of a copy's diff (html_report.py's _diff_pieces says how they are stored):
  // [the canonical's or, for a kept piece, the copy's text] or, for a changed piece, [canonical's, copy's].
  function pieceTexts(piece, body) {
    if (typeof piece[1] !== "number") {
      return piece.slice(1);
    }
    var start = piece[1];
    var end = piece[2];
    if (piece[0] === "=" && piece.length > 3) {  // kept, worded a little differently: head, middle, tail
      return [body.slice(start, start + piece[3]) + piece[4] + body.slice(end - piece[5], end)];
    }
    return [body.slice(start, end)].concat(piece.slice(3));
  }

  // A long kept passage shows its two ends around a button that shows the rest: the changes stand out.
  var KEPT_SHOWN = 700;
  var KEPT_CONTEXT = 150;

  // `at`, or one on where it would split a character written as two UTF-16 units (an emoji).
  function whole(text, at) {
    var unit = text.charCodeAt(at);
    return unit >= 0xdc00 && unit <= 0xdfff ? at + 1 : at;
  }

  function keptText(text) {
    if (text.length <= KEPT_SHOWN) {
      return el("span", {class: "kept"}, text);
    }
    var headEnd = text.indexOf(" ", KEPT_CONTEXT) + 1;  // after a space near the context's end, if any
    if (headEnd <= 0 || headEnd > 2 * KEPT_CONTEXT) {
      headEnd = whole(text, KEPT_CONTEXT);
    }
    var tailStart = text.lastIndexOf(" ", text.length - KEPT_CONTEXT);
    if (tailStart < text.length - 2 * KEPT_CONTEXT) {
      tailStart = whole(text, text.length - KEPT_CONTEXT);
    }
    var head = text.slice(0, headEnd);
    var hidden = text.slice(headEnd, tailStart);
    var tail = text.slice(tailStart);
    var span = el("span", {class: "kept"}, head);
    var more = el("button", {type: "button", class: "more"},
      "… " + number.format(hidden.length) + " characters kept: show them …");
    more.addEventListener("click", function () {
      var diff = span.closest(".diff");
      span.replaceChild(document.createTextNode(hidden), more);
      diff.focus({preventScroll: true});  // where the button was, for the keyboard
    });
    span.appendChild(more);
    span.appendChild(document.createTextNode(tail));
    return span;
  }

  function diffView(cluster, copy) {
    var view = el("div", {class: "diff-view"});
    var changes = copy.changes;
    if (changes) {
      view.appendChild(el("p", {class: "change-figures"},
        "Words: " + number.format(changes.words[0]) + " kept, " + number.format(changes.words[1]) + " cut, " +
        number.format(changes.words[2]) + " added. Passages: " + number.format(changes.passages[0]) +
        " kept, " + number.format(changes.passages[1]) + " cut, " + number.format(changes.passages[2]) +
        " added."));
      if (changes.headline_differs) {
        view.appendChild(el("p", {class: "headline"}, "Headline: ",
          el("del", {class: "cut"}, spoken("canonical: "), titleOf(cluster.members[0])), " ",
          el("ins", {class: "added"}, spoken("copy: "), titleOf(copy))));
      }
      if (changes.substitution_count) {
        var shown = changes.substitutions.map(function (item) {
          var what = item[2] ? " (figure)" : item[3] ? " (name)" : "";
          return el("li", null, el("del", {class: "cut"}, spoken("was "), item[0] || "(nothing)"), " → ",
            el("ins", {class: "added"}, spoken("now "), item[1] || "(nothing)"), what);
        });
        var more = changes.substitution_count - changes.substitutions.length;
        view.appendChild(el("div", {class: "substitutions"},
          el("p", null, number.format(changes.substitution_count) + " substitution" +
            (changes.substitution_count === 1 ? "" : "s") + " in shared text" + (more > 0 ? " (the first " +
            changes.substitutions.length + ")" : "") + ":"),
          el("ul", null, shown)));
      }
    }
    if (!copy.diff) {
      view.appendChild(el("p", {class: "note"}, "The text was not kept for this report."));
      return view;
    }
    var text = el("div", {class: "diff", role: "group", tabindex: "0",
      "aria-label": "The copy's text against the canonical"});
    copy.diff.forEach(function (piece) {
      var texts = pieceTexts(piece, cluster.body);
      switch (piece[0]) {
        case "=":
          text.appendChild(keptText(texts[0]));
          break;
        case "-":
          text.appendChild(el("del", {class: "cut"}, spoken("[cut: "), texts[0], spoken("]")));
          break;
        case "+":
          text.appendChild(el("ins", {class: "added"}, spoken("[added: "), texts[0], spoken("]")));
          break;
        default:
          text.appendChild(el("span", {class: "changed"},
            el("del", null, spoken("[changed from: "), texts[0]),
            el("ins", null, spoken(" to: "), texts[1], spoken("]"))));
      }
    });
    view.appendChild(text);
    return view;
  }

  // Draws a details element's content the first time it is opened.
  function lazy(details, build) {
    details.addEventListener("toggle", function () {
      if (details.open && !details.dataset.built) {
        details.dataset.built = "true";
        details.appendChild(build());
      }
    });
  }

  function copyItem(cluster, copy) {
    var label = copy.changes ? copy.changes.label : "";
    var details = el("details", {class: "copy"},
      el("summary", null,
        el("span", {class: "copy-title"}, titleOf(copy)), " ",
        el("span", {class: "meta"},
          el("span", {class: "id"}, copy.id),
          copy.source ? " · " + copy.source : "",
          copy.published ? " · " + copy.published : "",
          " · sim " + score(copy.similarity) + " · cont " + score(copy.containment),
          label ? el("span", {class: "label"}, label) : null)));
    lazy(details, function () {
      return el("div", {class: "copy-body"}, facts(copy), diffView(cluster, copy));
    });
    return el("li", null, details);
  }

  function canonicalText(body) {
    var details = el("details", {class: "text"}, el("summary", null, "Read the canonical's text"));
    lazy(details, function () { return el("div", {class: "diff"}, body); });
    return details;
  }

  function clusterBody(cluster) {
    var canonical = cluster.members[0];
    var copies = cluster.members.slice(1);
    var reasons = cluster.reasons.map(function (reason) {
      return el("li", {class: reason[2] ? "decisive" : null},
        el("span", {class: "mark", "aria-hidden": "true"}, reason[2] ? "✓" : "·"),
        spoken(reason[2] ? "decided: " : "considered: "), reason[1]);
    });
    return el("div", {class: "cluster-body"},
      el("p", {class: "permalink"}, el("a", {href: "#cluster-" + cluster.number}, "Link to this cluster")),
      el("section", {class: "canonical"},
        el("h3", null, "Canonical: ", titleOf(canonical)),
        facts(canonical),
        reasons.length ? el("div", null, el("p", {class: "why"}, "Why this one:"), el("ul", {class: "reasons"}, reasons))
          : null,
        cluster.body === null ? null : canonicalText(cluster.body)),
      el("section", {class: "copies"},
        el("h3", null, copies.length === 1 ? "1 copy" : copies.length + " copies",
          " (open one to see what it changed)"),
        el("ul", {class: "copy-list"}, copies.map(function (copy) { return copyItem(cluster, copy); }))));
  }

  function clusterItem(cluster) {
    var canonical = cluster.members[0];
    var sources = [];
    var labels = [];
    cluster.members.forEach(function (member) {
      if (member.source && sources.indexOf(member.source) < 0) {
        sources.push(member.source);
      }
      if (member.changes && labels.indexOf(member.changes.label) < 0) {
        labels.push(member.changes.label);
      }
    });
    var details = el("details", {class: "cluster"},
      el("summary", null,
        el("span", {class: "number"}, "#" + cluster.number), " ",
        el("span", {class: "cluster-title"}, titleOf(canonical)), " ",
        el("span", {class: "meta"}, counted(cluster.members.length, "article", "articles"),
          sources.length ? " · " + sources.slice(0, 4).join(", ") + (sources.length > 4 ? ", …" : "") : "",
          labels.slice(0, 3).map(function (label) { return el("span", {class: "label"}, label); }),
          labels.length > 3 ? " …" : null)));
    lazy(details, function () { return clusterBody(cluster); });
    return el("li", {id: "cluster-" + cluster.number}, details);
  }

  // A paged list: items (indices into all) drawn `size` at a time by draw(index) into list.
  function Pager(name, size, list, draw) {
    this.size = size;
    this.list = list;
    this.draw = draw;
    this.items = [];
    this.page = 0;
    this.navs = ["", " (bottom)"].map(function (where) {
      var previous = el("button", {type: "button", class: "previous"}, "← Previous");
      var next = el("button", {type: "button", class: "next"}, "Next →");
      var page = el("input", {type: "number", inputmode: "numeric", min: "1", class: "page-number"});
      var pages = el("span");
      var place = el("label", {class: "where"}, "Page ", page, " of ", pages);
      var none = el("span", {class: "where"}, "Nothing matches");
      return {node: el("nav", {class: "pager", "aria-label": name + where}, previous, place, none, next),
              previous: previous, next: next, page: page, pages: pages, place: place, none: none};
    });
    var pager = this;
    this.navs.forEach(function (nav, index) {
      nav.previous.addEventListener("click", function () { pager.go(pager.page - 1, index === 1); });
      nav.next.addEventListener("click", function () { pager.go(pager.page + 1, index === 1); });
      nav.page.addEventListener("change", function () {
        var wanted = parseInt(nav.page.value, 10);
        pager.go(isNaN(wanted) ? pager.page : wanted - 1, index === 1);
      });
    });
  }

  Pager.prototype.pages = function () {
    return Math.max(1, Math.ceil(this.items.length / this.size));
  };

  Pager.prototype.show = function (items) {
    this.items = items;
    this.go(0, false);
  };

  // Draws page `page`; from the bottom pager, the list's top comes into view. The keyboard's focus
  // goes to the page number at the top when the bottom pager was used or the button pressed is now off.
  Pager.prototype.go = function (page, fromBottom) {
    var focused = document.activeElement;
    this.page = Math.min(Math.max(page, 0), this.pages() - 1);
    var start = this.page * this.size;
    var fragment = document.createDocumentFragment();
    this.items.slice(start, start + this.size).forEach(function (index) {
      fragment.appendChild(this.draw(index));
    }, this);
    this.list.replaceChildren(fragment);
    if (this.list.tagName === "OL") {
      this.list.setAttribute("start", String(start + 1));
    }
    var pager = this;
    this.navs.forEach(function (nav) {
      nav.previous.disabled = pager.page === 0;
      nav.next.disabled = pager.page >= pager.pages() - 1;
      nav.page.value = String(pager.page + 1);
      nav.page.max = String(pager.pages());
      nav.pages.textContent = number.format(pager.pages());
      nav.place.hidden = !pager.items.length;
      nav.none.hidden = Boolean(pager.items.length);
      nav.node.hidden = pager.items.length <= pager.size && !fromBottom;
    });
    if (fromBottom) {
      this.navs[0].node.hidden = false;
      this.navs[0].node.scrollIntoView({block: "start"});
      this.navs[0].page.focus({preventScroll: true});
    } else if (focused && focused.disabled) {
      this.navs[0].page.focus();
    }
  };

  function range(count) {
    var indices = new Array(count);
    for (var index = 0; index < count; index += 1) {
      indices[index] = index;
    }
    return indices;
  }

  // What the search looks in: titles, sources and ids, lower-cased once, on the first search.
  var haystacks = null;

  function searchText(values) {
    return values.filter(Boolean).join("\n").toLowerCase();
  }

  function buildHaystacks() {
    return {
      clusters: data.clusters.map(function (cluster) {
        return searchText([].concat.apply([], cluster.members.map(function (member) {
          return [member.id, member.title, member.source];
        })));
      }),
      singles: data.singles.map(function (row) { return searchText([row[1], row[2], row[3]]); })
    };
  }

  function matching(texts, words) {
    var found = [];
    for (var index = 0; index < texts.length; index += 1) {
      var text = texts[index];
      if (words.every(function (word) { return text.indexOf(word) >= 0; })) {
        found.push(index);
      }
    }
    return found;
  }

  function singleRow(row) {
    // data-label: a narrow screen shows each row as a card, the column's name before each value.
    return el("tr", null,
      el("td", {class: "id", "data-label": "Id"}, row[1]),
      el("td", {class: "title", "data-label": "Title"}, row[2] || "(no title)"),
      el("td", {"data-label": "Source"}, row[3] || null),
      el("td", {class: "nowrap", "data-label": "Published"}, row[4] || null),
      el("td", {class: "path", "data-label": "Path"}, row[5]));
  }

  function start() {
    var query = el("input", {id: "query", type: "search", autocomplete: "off", spellcheck: "false",
      "aria-describedby": "search-help match-count"});
    var count = el("p", {id: "match-count", class: "count", "aria-live": "polite"});
    app.appendChild(el("div", {id: "search", class: "search", role: "search"},
      el("label", {for: "query"}, "Search titles, sources and ids"),
      query,
      el("p", {id: "search-help", class: "help"}, "Every word must appear. Press / to come back here."),
      count));

    var clusterList = el("ol", {class: "clusters"});
    var clusterPager = new Pager("Pages of clusters with copies", CLUSTERS_PER_PAGE, clusterList, function (index) {
      return clusterItem(data.clusters[index]);
    });
    app.appendChild(el("section", {"aria-labelledby": "copies-heading"},
      el("h2", {id: "copies-heading"}, "Clusters with copies"),
      el("p", {class: "legend"}, "In a copy's text: ",
        el("span", {class: "kept"}, "kept"), " ", el("del", {class: "cut"}, "cut"), " ",
        el("ins", {class: "added"}, "added"), " ",
        el("span", {class: "changed"}, el("del", null, "changed"), el("ins", null, "to this"))),
      clusterPager.navs[0].node,
      data.clusters.length ? clusterList : el("p", {class: "note"}, "No article has a copy in this run."),
      clusterPager.navs[1].node));

    var singleBody = el("tbody");
    var singlePager = new Pager("Pages of single articles", SINGLES_PER_PAGE, singleBody, function (index) {
      return singleRow(data.singles[index]);
    });
    var singlesSummary = el("summary");
    app.appendChild(el("section", {"aria-labelledby": "singles-heading"},
      el("h2", {id: "singles-heading"}, "Single articles"),
      el("details", {class: "singles"}, singlesSummary,
        singlePager.navs[0].node,
        el("div", {class: "table-scroll"}, el("table", {class: "single-table"},
          el("thead", null, el("tr", null, ["Id", "Title", "Source", "Published", "Path"].map(function (name) {
            return el("th", {scope: "col"}, name);
          }))), singleBody)),
        singlePager.navs[1].node)));

    if (data.skipped.length) {
      var skippedList = el("ul", {class: "skipped"});
      var skippedPager = new Pager("Pages of skipped inputs", SKIPPED_PER_PAGE, skippedList, function (index) {
        var item = data.skipped[index];
        return el("li", null, el("span", {class: "path"}, item[0]), ": ", item[1]);
      });
      app.appendChild(el("section", {"aria-labelledby": "skipped-heading"},
        el("h2", {id: "skipped-heading"}, "Skipped inputs (" + number.format(data.skipped.length) + ")"),
        el("details", {class: "skipped-box"}, el("summary", null, "Show the inputs that could not be used"),
          skippedPager.navs[0].node, skippedList, skippedPager.navs[1].node)));
      skippedPager.show(range(data.skipped.length));
    }

    function filter() {
      var words = query.value.toLowerCase().split(/\s+/).filter(Boolean);
      var clusters, singles;
      if (words.length) {
        haystacks = haystacks || buildHaystacks();
        clusters = matching(haystacks.clusters, words);
        singles = matching(haystacks.singles, words);
        count.textContent = number.format(clusters.length) + " of " + number.format(data.clusters.length) +
          " clusters with copies and " + number.format(singles.length) + " of " +
          number.format(data.singles.length) + " single articles match.";
      } else {
        clusters = range(data.clusters.length);
        singles = range(data.singles.length);
        count.textContent = counted(data.clusters.length, "cluster with copies", "clusters with copies") + ", " +
          counted(data.singles.length, "single article", "single articles") + ".";
      }
      clusterPager.show(clusters);
      singlePager.show(singles);
      count.dataset.query = query.value;  // what the lists show now (tests wait for it)
      singlesSummary.textContent = (words.length ? "Show the " + number.format(singles.length) + " matching" :
        "Show the " + number.format(singles.length)) + " single article" + (singles.length === 1 ? "" : "s") +
        " (no copy found)";
    }

    var pending = null;
    query.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(filter, 120);
    });
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // no wait for more typing
        clearTimeout(pending);
        filter();
      }
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        query.focus();
      }
    });
    // report.html#cluster-12 opens cluster 12 (its page, the cluster open, in view).
    function showLinked() {
      var found = /^#cluster-(\d+)$/.exec(location.hash);
      if (!found) {
        return;
      }
      var wanted = Number(found[1]);
      var index = data.clusters.findIndex(function (cluster) { return cluster.number === wanted; });
      if (index < 0) {
        return;
      }
      if (query.value) {
        query.value = "";
        filter();
      }
      clusterPager.go(Math.floor(index / CLUSTERS_PER_PAGE), false);
      var item = document.getElementById("cluster-" + wanted);
      var details = item.querySelector("details");
      details.open = true;
      item.scrollIntoView({block: "start"});
      details.querySelector("summary").focus({preventScroll: true});
    }

    window.addEventListener("hashchange", showLinked);
    filter();
    showLinked();
    // The browser goes to the address's fragment once the page has loaded, and takes the focus
    // back: give it to the linked cluster again then.
    window.addEventListener("load", function () {
      var item = /^#cluster-\d+$/.test(location.hash) ? document.getElementById(location.hash.slice(1)) : null;
      if (item) {
        item.querySelector("summary").focus({preventScroll: true});
      }
    });
    performance.mark("newsdedup-ready");  // benchmarks/html_report.py reads how long the page took
    document.documentElement.setAttribute("data-ready", "true");
  }

  start();
}());
