// The request inspector: a page over the request log (GET /admin/requests).
// Plain DOM, no dependencies, no outside requests; every value is set as
// text, never as HTML. The admin token is kept in sessionStorage (this tab only).
(function () {
  "use strict";

  var TOKEN_KEY = "lead-provider-sandbox:admin-token";
  var POLL_MS = 2000;
  var $ = function (id) { return document.getElementById(id); };
  var token = read();
  var selectedId = null;
  var records = [];
  var timer = null;
  var lastKey = "";

  function read() { try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; } }
  function write(value) { try { if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* storage off */ } }

  /** h("td.path", "text") or h("ul", null, [children]) */
  function h(tag, text, children) {
    var parts = tag.split(".");
    var el = document.createElement(parts[0]);
    if (parts.length > 1) el.className = parts.slice(1).join(" ");
    if (text !== null && text !== undefined) el.textContent = String(text);
    (children || []).forEach(function (c) { el.appendChild(c); });
    return el;
  }

  function api(path) {
    return fetch(path, { headers: { authorization: "Bearer " + token }, cache: "no-store" }).then(function (r) {
      if (r.status === 401) { logout("That token is not the admin token."); throw new Error("401"); }
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    });
  }

  function showLogin(message) {
    $("login").hidden = false;
    $("main").hidden = true;
    $("forget").hidden = true;
    $("login-error").textContent = message || "";
    $("token").focus();
  }

  function logout(message) {
    token = "";
    write("");
    if (timer) clearTimeout(timer);
    timer = null;
    showLogin(message);
  }

  function start() {
    $("login").hidden = true;
    $("main").hidden = false;
    $("forget").hidden = false;
    api("/admin/lead-providers").then(function (r) {
      if (r.status !== 200 || !Array.isArray(r.body)) return;
      var select = $("f-provider");
      r.body.forEach(function (p) {
        var o = h("option", p.name);
        o.value = p.id;
        select.appendChild(o);
      });
      var unknown = h("option", "(no provider)");
      unknown.value = "-";
      select.appendChild(unknown);
    }).catch(function () {});
    poll();
  }

  function query() {
    var q = ["limit=200"];
    var provider = $("f-provider").value;
    var status = $("f-status").value.trim();
    var path = $("f-path").value.trim();
    if (provider && provider !== "-") q.push("lead_provider_id=" + encodeURIComponent(provider));
    if (status) q.push("status=" + encodeURIComponent(status));
    if (path) q.push("path_prefix=" + encodeURIComponent(path));
    return q.join("&");
  }

  function poll() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!token) return;
    var q = query();
    api("/admin/requests?" + q).then(function (r) {
      if (r.status === 422) {
        // a refused filter shows no rows: the old ones would look like its answer
        $("filter-error").textContent = r.body.errors.map(function (e) { return e.title + ": " + e.detail; }).join("; ");
        records = []; lastKey = ""; render();
        $("empty").hidden = true;
        $("state").textContent = "filter refused · nothing shown";
        return;
      }
      $("filter-error").textContent = "";
      var data = r.body.data || [];
      if ($("f-provider").value === "-") data = data.filter(function (x) { return x.lead_provider_id === null; });
      var key = q + "|" + data.map(function (x) { return x.id; }).join(",");
      records = data;
      if (key !== lastKey) { lastKey = key; render(); }
      $("state").textContent = "updated " + new Date().toISOString().slice(11, 19) + " UTC" + (data.length ? " · " + data.length + " shown" : "");
    }).catch(function (e) {
      if (String(e && e.message) !== "401") $("state").textContent = "cannot reach the sandbox; retrying";
    }).then(function () {
      if (token && $("f-live").checked) timer = setTimeout(poll, POLL_MS);
    });
  }

  var TOKEN_KINDS = {
    none: "none (no Authorization header)", unknown: "unknown (not a token of this sandbox, or revoked)",
    lead_provider: "a lead provider's token", v3_lead_provider: "a lead provider's v3 (RECT) token",
    admin: "the admin token", not_checked: "not checked (answered before authentication)",
  };
  var NOW_SOURCES = {
    header: "from the request's X-With-Server-Date header", clock: "the admin clock (PUT /admin/clock moved it)", real: "real time (the admin clock is not moved)",
  };

  function statusClass(status) { return "status s" + String(status).charAt(0); }
  // a fault on purpose (POST /admin/faults, X-Sandbox-Fault): a badge beside the status; status 0 = no answer sent
  function faultLabel(f) { return f ? "fault: " + f.kind.replace("_", " ") : ""; }
  function statusCell(r) {
    var cell = h("td." + statusClass(r.status).replace(" ", "."), r.status === 0 ? "none" : r.status);
    if (r.fault) cell.appendChild(h("span.fault", faultLabel(r.fault)));
    return cell;
  }

  function render() {
    var tbody = $("rows");
    tbody.textContent = "";
    $("empty").hidden = records.length > 0;
    records.forEach(function (r) {
      var tr = h("tr", null, [
        h("td.mono", r.time.slice(11, 23)),
        statusCell(r),
        h("td.mono", r.method),
        h("td.path", r.path + (r.query ? "?" + r.query : "")),
        h("td.col-provider", r.lead_provider_name || (r.lead_provider_id ? r.lead_provider_id.slice(0, 8) : "none")),
        h("td.num.col-ms", r.duration_ms),
      ]);
      tr.dataset.id = String(r.id);
      tr.tabIndex = 0;
      if (r.id === selectedId) tr.className = "selected";
      tr.addEventListener("click", function () { open(r.id); });
      tr.addEventListener("keydown", function (e) { if (e.key === "Enter") open(r.id); });
      tbody.appendChild(tr);
    });
  }

  function pretty(text) {
    if (text === null || text === undefined) return h("p.none", "(empty)");
    var shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON (or cut at 64 KiB): as it is */ }
    return h("pre", shown);
  }

  function open(id) {
    selectedId = id;
    api("/admin/requests/" + encodeURIComponent(id)).then(function (r) {
      if (r.status !== 200) { show(h("p.none", "This request is no longer in the log.")); return; }
      var d = r.body.data;
      var parts = [];
      if (d.fault) {
        parts.push(h("div.faulted", null, [
          h("h2", "Fault on purpose: " + d.fault.kind.replace("_", " ")),
          h("p", d.fault.rule_id ? "rule " + d.fault.rule_id : "asked for by the request's X-Sandbox-Fault header"),
        ]));
      }
      // the server's plain-words reason: an empty 403 (the admin token on /api/v2), a bare 401, a date judged as of X-With-Server-Date
      if (d.hint) {
        parts.push(h("div.reasons.hint", null, [
          h("h2", d.status >= 400 ? "Refused: " + d.status + " (why)" : "Note"),
          h("p", d.hint),
        ]));
      }
      if (d.errors.length) {
        parts.push(h("div.reasons", null, [
          h("h2", "Refused: " + d.status),
          h("ul", null, d.errors.map(function (e) { return h("li", e); })),
        ]));
      }
      var facts = [
        ["method", d.method], ["path", d.path], ["query", d.query || "(none)"], ["status", d.status === 0 ? "none (no answer sent)" : d.status],
        ["time", d.time], ["duration", d.duration_ms + " ms"],
        ["provider", d.lead_provider_name ? d.lead_provider_name + " (" + d.lead_provider_id + ")" : (d.lead_provider_id || "none (no lead provider's token)")],
        ["token", TOKEN_KINDS[d.token_kind] || d.token_kind],
        ["record", "#" + d.id],
      ];
      var sent = d.request_headers || {};
      facts.push(["now", (d.now || "not a date: " + (sent["x-with-server-date"] || "")) + " · " + (NOW_SOURCES[d.now_source] || d.now_source)]);
      var dl = h("dl.facts");
      facts.forEach(function (f) { dl.appendChild(h("dt", f[0])); dl.appendChild(h("dd.mono", f[1])); });
      parts.push(dl);
      var copy = h("button.copy-curl", "Copy as curl");
      copy.type = "button";
      var copied = h("span.copied");
      copy.addEventListener("click", function () { copyCurl(d.id, copied); });
      parts.push(h("p.actions", null, [copy, copied]));
      parts.push(h("h3", "Request headers"));
      var hl = h("dl.facts.headers");
      Object.keys(sent).forEach(function (name) { hl.appendChild(h("dt.mono", name)); hl.appendChild(h("dd.mono", sent[name])); });
      parts.push(Object.keys(sent).length ? hl : h("p.none", "(none)"));
      parts.push(h("h3", "Request body"));
      parts.push(pretty(d.request_body));
      parts.push(h("h3", "Response body"));
      parts.push(pretty(d.response_body));
      show(h("div", null, parts));
      render();
    }).catch(function () {});
  }

  // the request again as one curl command ($TOKEN where the token was): to the clipboard, and shown
  function copyCurl(id, note) {
    fetch("/admin/requests/" + encodeURIComponent(id) + "/curl", { headers: { authorization: "Bearer " + token }, cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (text) {
        var shown = function (message) { note.textContent = message; note.title = text; note.dataset.curl = text; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(function () { shown("copied: set TOKEN, then paste"); }, function () { shown(text); });
        } else shown(text);
      })
      .catch(function () { note.textContent = "cannot reach the sandbox"; });
  }

  function show(content) {
    var body = $("detail-body");
    body.textContent = "";
    body.appendChild(content);
    $("detail").hidden = false;
    $("detail").scrollTop = 0;
  }

  $("close").addEventListener("click", function () {
    $("detail").hidden = true;
    selectedId = null;
    render();
  });
  $("forget").addEventListener("click", function () { logout(""); });
  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = $("token").value.trim();
    if (!value) return;
    token = value;
    $("token").value = "";
    fetch("/admin/requests?limit=1", { headers: { authorization: "Bearer " + token } }).then(function (r) {
      if (r.status === 200) { write(token); start(); }
      else logout("That token is not the admin token.");
    }).catch(function () { logout("Cannot reach the sandbox."); });
  });
  var refilter;
  ["f-provider", "f-status", "f-path"].forEach(function (id) {
    $(id).addEventListener("input", function () { clearTimeout(refilter); refilter = setTimeout(poll, 250); });
  });
  $("f-live").addEventListener("change", function () { if ($("f-live").checked) poll(); });
  $("filters").addEventListener("submit", function (e) { e.preventDefault(); poll(); });

  if (token) start();
  else showLogin("");
})();
