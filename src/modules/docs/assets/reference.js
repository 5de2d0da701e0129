// The sandbox's interactive API reference: a small, dependency-free renderer of
// the OpenAPI document, served by the service itself so that the docs work with
// no internet access. It lists every operation by tag, shows its parameters,
// request body and responses, and sends requests from the page ("Try it").
(function () {
  "use strict";

  var script = document.currentScript;
  var assets = script && script.src ? script.src.replace(/\/[^/]*$/, "") : location.pathname.replace(/\/$/, "") + "/assets";
  var specUrl = assets.replace(/\/assets$/, "") + "/json";
  var METHODS = ["get", "post", "put", "patch", "delete"];
  var store = {
    get: function (key) {
      try { return localStorage.getItem("lead-provider-sandbox:" + key) || ""; } catch (e) { return ""; }
    },
    set: function (key, value) {
      try { localStorage.setItem("lead-provider-sandbox:" + key, value); } catch (e) { /* private mode */ }
    },
  };

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = assets + "/reference.css";
  document.head.appendChild(css);

  /** h("div.class", {attr}, children...) with text children set as text, never as HTML */
  function h(tag, attrs) {
    var parts = tag.split(".");
    var el = document.createElement(parts[0] || "div");
    if (parts.length > 1) el.className = parts.slice(1).join(" ");
    var children = Array.prototype.slice.call(arguments, 2);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
        else if (k === "value") el.value = v;
        else el.setAttribute(k, v === true ? "" : v);
      });
    }
    children.forEach(function add(c) {
      if (c === undefined || c === null || c === false) return;
      if (Array.isArray(c)) return c.forEach(add);
      el.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    });
    return el;
  }

  var spec = null;

  function resolve(schema, depth) {
    if (!schema || typeof schema !== "object") return schema;
    if (schema.$ref && (depth || 0) < 20) {
      var path = schema.$ref.replace(/^#\//, "").split("/");
      var target = spec;
      for (var i = 0; i < path.length && target; i++) target = target[decodeURIComponent(path[i])];
      return resolve(target, (depth || 0) + 1);
    }
    return schema;
  }

  function typeOf(schema) {
    schema = resolve(schema);
    if (!schema) return "any";
    if (schema.enum) return schema.enum.map(function (v) { return JSON.stringify(v); }).join(" | ");
    var alternatives = schema.anyOf || schema.oneOf;
    if (alternatives) return alternatives.map(typeOf).join(" | ");
    var type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type || (schema.properties ? "object" : "any");
    if (type === "array") return typeOf(schema.items) + "[]";
    if (schema.format) type += " (" + schema.format + ")";
    if (schema.nullable) type += " | null";
    return type;
  }

  function example(schema, depth) {
    schema = resolve(schema);
    depth = depth || 0;
    if (!schema || depth > 8) return null;
    if (schema.example !== undefined) return schema.example;
    if (schema.examples !== undefined) return Array.isArray(schema.examples) ? schema.examples[0] : schema.examples;
    if (schema.default !== undefined) return schema.default;
    if (schema.enum) return schema.enum[0];
    if (schema.anyOf || schema.oneOf) return example((schema.anyOf || schema.oneOf)[0], depth + 1);
    if (schema.allOf) {
      var merged = {};
      schema.allOf.forEach(function (part) {
        var value = example(part, depth + 1);
        if (value && typeof value === "object") Object.assign(merged, value);
      });
      return merged;
    }
    var type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === "object" || schema.properties) {
      var out = {};
      Object.keys(schema.properties || {}).forEach(function (k) { out[k] = example(schema.properties[k], depth + 1); });
      return out;
    }
    if (type === "array") return [example(schema.items, depth + 1)];
    if (type === "integer" || type === "number") return 0;
    if (type === "boolean") return true;
    if (type === "string") {
      if (schema.format === "date-time") return new Date().toISOString().replace(/\.\d+Z$/, "Z");
      if (schema.format === "date") return new Date().toISOString().slice(0, 10);
      if (schema.format === "uuid") return "00000000-0000-0000-0000-000000000000";
      return "string";
    }
    return null;
  }

  function schemaTree(schema, depth) {
    schema = resolve(schema);
    depth = depth || 0;
    if (!schema || depth > 6) return null;
    var properties = schema.properties || (schema.items && resolve(schema.items) && resolve(schema.items).properties);
    if (!properties) return h("code.type", null, typeOf(schema));
    var required = schema.required || (schema.items && resolve(schema.items).required) || [];
    return h(
      "ul.schema",
      null,
      Object.keys(properties).map(function (name) {
        var prop = resolve(properties[name]) || {};
        var nested = prop.properties || (prop.items && resolve(prop.items) && resolve(prop.items).properties);
        return h(
          "li",
          null,
          h("code.name", null, name),
          " ",
          h("code.type", null, typeOf(prop)),
          required.indexOf(name) >= 0 ? h("span.required", null, "required") : null,
          prop.description ? h("div.description", null, prop.description) : null,
          nested ? schemaTree(prop, depth + 1) : null,
        );
      }),
    );
  }

  function jsonContent(content) {
    if (!content) return null;
    var type = Object.keys(content).filter(function (t) { return /json/.test(t); })[0] || Object.keys(content)[0];
    return type ? { type: type, schema: content[type] && content[type].schema, example: content[type] && content[type].example } : null;
  }

  function operationId(method, path) {
    return (method + "-" + path).replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "");
  }

  function tryIt(method, path, op) {
    var params = (op.parameters || []).map(resolve).filter(function (p) { return p && p.in !== "cookie"; });
    var inputs = {};
    var rows = params.map(function (p) {
      var input = h("input", { type: "text", placeholder: typeOf(p.schema), required: p.in === "path" });
      inputs[p.in + ":" + p.name] = input;
      return h("label", null, h("span", null, p.name + " (" + p.in + (p.required ? ", required" : "") + ")"), input);
    });
    // lists take bracketed keys (filter[cohort], page[per_page]) that the document may not declare one by one
    var extraQuery = h("input", { type: "text", placeholder: "e.g. filter[cohort]=2024&page[per_page]=5" });
    rows.push(h("label", null, h("span", null, "More query parameters"), extraQuery));
    var body = jsonContent(op.requestBody && op.requestBody.content);
    var hasBody = method !== "get" && method !== "delete";
    var bodyInput = hasBody
      ? h("textarea", { rows: 8, spellcheck: "false", placeholder: "JSON body" })
      : null;
    if (bodyInput && body) bodyInput.value = JSON.stringify(body.example !== undefined ? body.example : example(body.schema), null, 2);
    var result = h("div.result");
    var send = h("button.send", { type: "submit" }, "Send");
    var form = h(
      "form.try",
      {
        onsubmit: function (event) {
          event.preventDefault();
          var url = path.replace(/\{([^}]+)\}/g, function (_, name) {
            var input = inputs["path:" + name];
            return encodeURIComponent(input ? input.value : "");
          });
          var query = [];
          var headers = {};
          params.forEach(function (p) {
            var value = inputs[p.in + ":" + p.name].value;
            if (value === "") return;
            if (p.in === "query") query.push(encodeURIComponent(p.name) + "=" + encodeURIComponent(value));
            if (p.in === "header") headers[p.name] = value;
          });
          var more = extraQuery.value.trim().replace(/^[?&]+/, "");
          if (more) query.push(more);
          if (query.length) url += "?" + query.join("&");
          var token = document.getElementById("token").value.trim();
          if (token) headers.Authorization = "Bearer " + token;
          var serverDate = document.getElementById("server-date").value.trim();
          if (serverDate) headers["X-With-Server-Date"] = serverDate;
          var init = { method: method.toUpperCase(), headers: headers };
          if (bodyInput && bodyInput.value.trim() !== "") {
            headers["Content-Type"] = (body && body.type) || "application/json";
            init.body = bodyInput.value;
          }
          send.disabled = true;
          result.replaceChildren(h("p.muted", null, method.toUpperCase() + " " + url + " ..."));
          var started = performance.now();
          fetch(url, init)
            .then(function (response) {
              return response.text().then(function (text) {
                var shown = text;
                try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
                var headerLines = [];
                response.headers.forEach(function (v, k) { headerLines.push(k + ": " + v); });
                result.replaceChildren(
                  h("p", null, h("span.status.s" + String(response.status)[0], null, response.status + " " + response.statusText), " ",
                    h("span.muted", null, Math.round(performance.now() - started) + " ms, " + method.toUpperCase() + " " + url)),
                  h("details", null, h("summary", null, "Response headers"), h("pre", null, headerLines.join("\n"))),
                  h("pre.body", null, shown === "" ? "(empty body)" : shown),
                );
              });
            })
            .catch(function (error) { result.replaceChildren(h("p.error", null, String(error))); })
            .then(function () { send.disabled = false; });
        },
      },
      rows,
      bodyInput ? h("label", null, h("span", null, "Body (" + ((body && body.type) || "application/json") + ")"), bodyInput) : null,
      h("div", null, send),
      result,
    );
    return h("details.try-it", null, h("summary", null, "Try it"), form);
  }

  function operationView(method, path, op) {
    var params = (op.parameters || []).map(resolve).filter(Boolean);
    var body = jsonContent(op.requestBody && op.requestBody.content);
    var responses = op.responses || {};
    return h(
      "section.operation",
      { id: operationId(method, path) },
      h("h3", null, h("span.method." + method, null, method.toUpperCase()), " ", h("code.path", null, path)),
      op.summary ? h("p.summary", null, op.summary) : null,
      op.description ? h("p.description", null, op.description) : null,
      params.length
        ? h("div", null, h("h4", null, "Parameters"), h("table", null,
            h("thead", null, h("tr", null, h("th", null, "name"), h("th", null, "in"), h("th", null, "type"), h("th", null, "description"))),
            h("tbody", null, params.map(function (p) {
              return h("tr", null,
                h("td", null, h("code", null, p.name), p.required ? h("span.required", null, "required") : null),
                h("td", null, p.in),
                h("td", null, h("code.type", null, typeOf(p.schema))),
                h("td", null, p.description || ""));
            }))))
        : null,
      body ? h("div", null, h("h4", null, "Request body ", h("span.muted", null, body.type)), schemaTree(body.schema)) : null,
      Object.keys(responses).length
        ? h("div", null, h("h4", null, "Responses"), Object.keys(responses).map(function (status) {
            var response = resolve(responses[status]) || {};
            var content = jsonContent(response.content);
            return h("details.response", null,
              h("summary", null, h("span.status.s" + status[0], null, status), " ", response.description || ""),
              content && content.schema ? schemaTree(content.schema) : h("p.muted", null, "No schema documented."));
          }))
        : null,
      tryIt(method, path, op),
    );
  }

  function render() {
    var info = spec.info || {};
    var groups = {};
    var order = [];
    Object.keys(spec.paths || {}).forEach(function (path) {
      METHODS.forEach(function (method) {
        var op = spec.paths[path][method];
        if (!op) return;
        var tag = (op.tags && op.tags[0]) || "Other";
        if (!groups[tag]) { groups[tag] = []; order.push(tag); }
        groups[tag].push({ method: method, path: path, op: op });
      });
    });
    var tagOrder = (spec.tags || []).map(function (t) { return t.name; });
    order.sort(function (a, b) {
      var ia = tagOrder.indexOf(a), ib = tagOrder.indexOf(b);
      return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
    });

    var nav = h("nav", null, order.map(function (tag) {
      return h("div.group", null, h("div.tag", null, tag), groups[tag].map(function (o) {
        return h("a", { href: "#" + operationId(o.method, o.path), "data-search": (o.method + " " + o.path + " " + (o.op.summary || "")).toLowerCase() },
          h("span.method." + o.method, null, o.method.toUpperCase()), " ", o.path);
      }));
    }));
    var main = h("main", null, order.map(function (tag) {
      return h("div.group", null, h("h2", null, tag), groups[tag].map(function (o) { return operationView(o.method, o.path, o.op); }));
    }));

    var token = h("input", { id: "token", type: "password", autocomplete: "off", placeholder: "API token (lead provider or admin)", value: store.get("token"),
      oninput: function () { store.set("token", token.value); } });
    var serverDate = h("input", { id: "server-date", type: "text", placeholder: "X-With-Server-Date (optional, e.g. 2025-01-10T10:42:00Z)", value: store.get("server-date"),
      oninput: function () { store.set("server-date", serverDate.value); } });
    var filter = h("input", { type: "search", placeholder: "Filter operations", oninput: function () {
      var q = filter.value.toLowerCase();
      nav.querySelectorAll("a").forEach(function (a) { a.hidden = q !== "" && a.getAttribute("data-search").indexOf(q) < 0; });
    } });

    document.body.replaceChildren(
      h("header", null,
        h("div.title", null, h("h1", null, info.title || "API"), h("span.muted", null, "version " + (info.version || "?") + " · "), h("a", { href: specUrl }, "OpenAPI JSON")),
        h("div.settings", null, token, serverDate)),
      info.description ? h("p.intro", null, info.description) : null,
      h("div.layout", null, h("aside", null, filter, nav), main),
    );
    if (location.hash) {
      var target = document.getElementById(location.hash.slice(1));
      if (target) target.scrollIntoView();
    }
  }

  function start() {
    document.body.replaceChildren(h("p.loading", null, "Loading the API description from " + specUrl + " ..."));
    fetch(specUrl)
      .then(function (r) {
        if (!r.ok) throw new Error(specUrl + " answered " + r.status);
        return r.json();
      })
      .then(function (json) { spec = json; render(); })
      .catch(function (error) { document.body.replaceChildren(h("p.error", null, "Could not load the API description: " + error.message)); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
