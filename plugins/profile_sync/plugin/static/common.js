"use strict";
// Helpers shared by the two pages. Data is only ever put into the page as text (never as HTML).
const PS = (() => {
  const base = document.body.dataset.base || "";
  // Airflow's own pages sit beside the plugin's mount point: under a sub-path when Airflow is served under one
  const airflowRoot = base.replace(/\/profile-sync$/, "");

  class ApiError extends Error {
    constructor(status, detail) { super(detail); this.status = status; }
  }

  async function api(path, options = {}) {
    const init = { credentials: "same-origin", headers: { Accept: "application/json" }, ...options };
    if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(base + "/api" + path, init);
    let payload = null;
    try { payload = await response.json(); } catch (_) { payload = null; }
    if (!response.ok) {
      let detail = payload && payload.detail !== undefined ? payload.detail : response.statusText;
      if (typeof detail !== "string") detail = JSON.stringify(detail);
      throw new ApiError(response.status, detail);
    }
    return payload;
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function badge(text, kind) {
    return el("span", { class: "badge " + String(kind || text || "none").replace(/[^a-z_]/gi, "") }, text || "—");
  }

  function when(value) {
    if (!value) return "—";
    const date = new Date(value);
    if (isNaN(date)) return String(value);
    return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
  }

  function num(value) { return value === null || value === undefined ? "—" : Number(value).toLocaleString(); }

  function table(node, columns, rows, empty) {
    node.replaceChildren(
      el("thead", {}, el("tr", {}, columns.map((c) => el("th", { class: c.num ? "num" : null }, c.title)))),
      el("tbody", {}, rows.length
        ? rows.map((row) => el("tr", {}, columns.map((c) => el("td", { class: c.cls || (c.num ? "num" : null) }, c.cell(row)))))
        : el("tr", {}, el("td", { colspan: columns.length, class: "muted" }, empty || "Nothing here."))),
    );
  }

  function notice(message, isError) {
    const box = document.getElementById("notice");
    if (!message) { box.hidden = true; return; }
    box.hidden = false;
    box.className = "notice" + (isError ? " error" : "");
    box.replaceChildren(message);
  }

  function explain(error) {
    if (error.status === 401) {
      return el("span", {}, "You are not logged in to Airflow. ", el("a", { href: airflowRoot + "/", target: "_top" }, "Log in"), " and come back.");
    }
    if (error.status === 403) return "Your Airflow role does not allow this: " + error.message;
    return "Error " + (error.status || "") + ": " + error.message;
  }

  return { base, airflowRoot, api, el, badge, when, num, table, notice, explain, ApiError };
})();
