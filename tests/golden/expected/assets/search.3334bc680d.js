/* Search on a board, a town's page or the home page (gongkai/search.py builds the shards it reads).
   Progressive enhancement: without this script, or when a shard cannot be fetched, the
   form leads to the index pages. Plain ES5 for old WeChat WebViews; nothing from other
   hosts. Messages come from data-* attributes of .search-results (the site's language). */
(function () {
  "use strict";
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;
  var SHOWN = 20;

  function norm(text) {  /* as normalise() at build time: full-width to ASCII, lowercase */
    return text.replace(/[\uff01-\uff5e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/\u3000/g, " ").toLowerCase();
  }

  function load(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.onload = function () {
      var data = null;
      if (xhr.status === 200 || (xhr.status === 0 && xhr.responseText)) {
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      }
      done(data && data.v === 1 ? data : null);
    };
    xhr.onerror = function () { done(null); };
    xhr.send();
  }

  /* The documents (number: weight) holding one query word. */
  function postings(shard, word) {
    var found = null, keys = shard.t, runs = word.match(CJK) || [], i, j, k, p, key, here;
    function add(list, into) {  /* postings are gaps: (number - previous) * 4 + weight */
      for (var n = 0, doc = 0; n < list.length; n++) {
        doc += list[n] >> 2;
        var w = list[n] & 3;
        if (!(into[doc] >= w)) { into[doc] = w; }
      }
    }
    for (i = 0; i < runs.length; i++) {
      var run = runs[i], parts = [];
      if (run.length > 1 && !/^[a-z0-9]/.test(run)) {
        for (j = 0; j + 1 < run.length; j++) { parts.push(keys[run.substr(j, 2)] || []); }
      } else {  /* one character, or an ASCII word: every term holding it (or starting it) */
        here = {};
        for (key in keys) {
          if (keys.hasOwnProperty(key) &&
              (/^[a-z0-9]/.test(run) ? key.indexOf(run) === 0 : key.indexOf(run) >= 0)) {
            add(keys[key], here);
          }
        }
        parts.push(here);
      }
      for (k = 0; k < parts.length; k++) {
        var part = parts[k], set = {};
        if (part.length !== undefined) { add(part, set); } else { set = part; }
        if (found === null) { found = set; continue; }
        var both = {};
        for (p in found) {  /* every bigram must be there; the weakest field counts */
          if (found.hasOwnProperty(p) && set[p] !== undefined) { both[p] = Math.min(found[p], set[p]); }
        }
        found = both;
      }
    }
    return found || {};
  }

  function stored(doc) { return norm(doc[1] + " " + doc[4] + " " + (doc[5] || []).join(" ")); }

  /* Rank: summed weight of the words found (a word of three or more characters not seen
     in the stored texts counts less: its bigrams may be apart), then newest first. */
  function search(shards, query) {
    var words = norm(query).match(CJK) || [], hits = [], s, i, d;  /* runs of Chinese, ASCII words */
    if (!words.length) { return []; }
    for (s = 0; s < shards.length; s++) {
      var shard = shards[s], scores = {}, count = {};
      for (i = 0; i < words.length; i++) {
        var got = postings(shard, words[i]);
        for (d in got) {
          if (!got.hasOwnProperty(d)) { continue; }
          var w = got[d];
          if (words[i].length > 2 && stored(shard.d[d]).indexOf(words[i]) < 0) { w = 0.5; }
          scores[d] = (scores[d] || 0) + w;
          count[d] = (count[d] || 0) + 1;
        }
      }
      for (d in scores) {
        if (scores.hasOwnProperty(d)) {
          hits.push({doc: shard.d[d], base: shard.base, n: +d, s: s, all: count[d] === words.length,
                     score: scores[d]});
        }
      }
    }
    var all = hits.filter(function (h) { return h.all; });
    hits = all.length ? all : hits;  /* every word if any document has them all */
    hits.sort(function (a, b) {
      return (b.score - a.score) || (a.doc[3] < b.doc[3] ? 1 : a.doc[3] > b.doc[3] ? -1 : 0) ||
        (a.s - b.s) || (a.n - b.n);
    });
    hits.words = words;
    return hits;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.appendChild(document.createTextNode(text)); }
    return node;
  }

  function say(box, name, values) {
    var text = box.getAttribute("data-" + name) || "";
    for (var key in values) {
      if (values.hasOwnProperty(key)) { text = text.split("{" + key + "}").join(values[key]); }
    }
    return text;
  }

  function show(box, hits, query) {
    box.innerHTML = "";
    box.hidden = false;
    if (!hits.length) { box.appendChild(el("p", "search-none", say(box, "none", {query: query}))); return; }
    box.appendChild(el("p", "search-count", say(box, "found", {count: hits.length})));
    var list = el("ol", "entries"), shown = Math.min(hits.length, SHOWN);
    for (var i = 0; i < shown; i++) {
      var doc = hits[i].doc, item = el("li"), link = el("a", "", doc[1]);
      link.href = hits[i].base + doc[0];
      item.appendChild(link);
      var day = doc[3].split("-");
      item.appendChild(el("p", "meta", say(box, "date", {y: day[0], m: +day[1], d: +day[2]}) +
                          " · " + say(box, "kind-" + doc[2], {})));
      var lines = [], best = 1;  /* the lines holding the most query words */
      (doc[5] || []).forEach(function (line) {
        var text = norm(line), n = hits.words.filter(function (w) { return text.indexOf(w) >= 0; }).length;
        if (n > best) { best = n; lines = []; }
        if (n === best) { lines.push(line); }
      });
      var note = lines.length ? lines.slice(0, 3).join("；") : doc[4];
      if (note) { item.appendChild(el("p", "snippet", note)); }
      list.appendChild(item);
    }
    box.appendChild(list);
    if (hits.length > shown) { box.appendChild(el("p", "search-more", say(box, "more", {count: shown}))); }
  }

  function enhance(form) {
    var box = form.parentNode.querySelector(".search-results") || form.querySelector(".search-results");
    var input = form.querySelector("input[type=search]");
    var picker = form.querySelector("select[name=town]");  /* a county of many towns: one at a time */
    var urls = (form.getAttribute("data-shards") || form.getAttribute("data-shard") || "").split(/\s+/)
      .filter(function (u) { return u; });
    if (!box || !input || !(urls.length || picker) || !window.XMLHttpRequest || !window.JSON) { return; }
    var cache = {}, pending = {}, runs = 0, timer = null;
    function chosen() {  /* the shards searched now: the chosen town's, or the form's */
      var option = picker && picker.options[picker.selectedIndex];
      return picker ? (option ? [option.getAttribute("data-shard")] : []) : urls;
    }
    function get(url, then) {  /* each shard is fetched once; null when it cannot be had */
      if (cache.hasOwnProperty(url)) { then(cache[url]); return; }
      if (pending[url]) { pending[url].push(then); return; }
      pending[url] = [then];
      load(url, function (data) {
        if (data) { data.base = url.replace(/[^\/]*$/, ""); }
        cache[url] = data;
        var todo = pending[url]; delete pending[url];
        todo.forEach(function (f) { f(data); });
      });
    }
    function fetchAll(then) {  /* then(the shards, or null when none can be had) */
      var list = chosen(), got = [], left = list.length;
      if (!left) { then(null); return; }
      list.forEach(function (url, i) {
        get(url, function (data) {
          got[i] = data;
          if (--left) { return; }
          var shards = got.filter(function (d) { return d; });
          then(shards.length ? shards : null);
        });
      });
    }
    function failed() {  /* every shard searched now has been asked for, and none came */
      return chosen().every(function (url) { return cache.hasOwnProperty(url) && !cache[url]; });
    }
    function run() {
      var query = input.value.replace(/^\s+|\s+$/g, ""), ticket = ++runs;
      if (!query) { box.hidden = true; box.innerHTML = ""; return; }
      fetchAll(function (shards) {
        if (!shards || ticket !== runs) { return; }  /* a later query or town has come since */
        show(box, search(shards, query), query);
        if (picker) {  /* say which town was searched, so that none thinks it the county */
          box.insertBefore(el("p", "search-where", say(box, "where", {
            town: picker.options[picker.selectedIndex].text})), box.firstChild);
        }
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    if (picker) {
      picker.addEventListener("change", function () { clearTimeout(timer); run(); });
    }
    form.addEventListener("submit", function (event) {
      if (failed()) { return; }  /* the shard cannot be had: let the form go */
      event.preventDefault();
      clearTimeout(timer);
      fetchAll(function (shards) {
        if (shards) { run(); } else { form.submit(); }
      });
    });
  }

  var forms = document.querySelectorAll("form[data-shard], form[data-shards], form[data-by-town]");
  for (var i = 0; i < forms.length; i++) { enhance(forms[i]); }
  window.gongkaiSearch = search;  /* for the tests */
}());
