"use strict";
(() => {
  const { api, el, badge, when, num, table, notice, explain, base, airflowRoot } = PS;
  const dagId = decodeURIComponent(location.pathname.split("/profiles/")[1] || "").replace(/\/$/, "");
  const pageSize = 50;
  let profile = null;

  function pager(node, page, go) {
    const items = page.items || [];
    const from = items.length ? page.offset + 1 : 0;
    const to = page.offset + items.length;
    const more = page.total !== null && page.total !== undefined ? to < page.total : items.length === page.limit;
    node.replaceChildren(
      el("button", { type: "button", class: "secondary", disabled: page.offset === 0,
        onclick: () => go(Math.max(0, page.offset - page.limit)) }, "‹ Previous"),
      el("span", {}, `${num(from)}–${num(to)}` + (page.total !== null && page.total !== undefined ? ` of ${num(page.total)}` : "")),
      el("button", { type: "button", class: "secondary", disabled: !more, onclick: () => go(page.offset + page.limit) }, "Next ›"),
    );
  }

  function showHistory(sourceId) {
    document.getElementById("history-source").value = sourceId;
    selectTab("history");
    loadHistory(0);
  }

  const sourceCell = (row) => el("button", { type: "button", class: "linkish", title: "Show this record's history",
    onclick: () => showHistory(row.source_id) }, row.source_id);

  async function loadRecords(offset = 0) {
    const params = new URLSearchParams({ offset, limit: pageSize });
    const search = document.getElementById("records-search").value.trim();
    const status = document.getElementById("records-status").value;
    if (search) params.set("search", search);
    if (status) params.set("status", status);
    const page = await guarded(() => api(`/profiles/${encodeURIComponent(dagId)}/records?${params}`));
    if (!page) return;
    table(document.getElementById("records"), [
      { title: "Source id", cell: sourceCell },
      { title: "Target id", cell: (r) => r.target_id ?? "—" },
      { title: "Store", cell: (r) => r.store },
      { title: "Status", cell: (r) => badge(r.status) },
      { title: "Last synced", cell: (r) => when(r.last_synced_at) },
      { title: "Last error", cls: "error-text", cell: (r) => r.last_error || "" },
    ], page.items, search || status ? "No record matches." : "No record synced yet.");
    pager(document.getElementById("records-pager"), page, loadRecords);
  }

  async function loadFailed(offset = 0) {
    const params = new URLSearchParams({ offset, limit: pageSize });
    const search = document.getElementById("failed-search").value.trim();
    if (search) params.set("search", search);
    const page = await guarded(() => api(`/profiles/${encodeURIComponent(dagId)}/failed?${params}`));
    if (!page) return;
    table(document.getElementById("failed"), [
      { title: "Source id", cell: sourceCell },
      { title: "Store", cell: (r) => r.store },
      { title: "Reason", cls: "error-text", cell: (r) => r.reason },
      { title: "Attempts", num: true, cell: (r) => num(r.attempts) },
      { title: "First seen", cell: (r) => when(r.first_seen) },
      { title: "Last seen", cell: (r) => when(r.last_seen) },
      { title: "Run", cell: (r) => r.run_id ? el("code", {}, r.run_id) : "—" },
    ], page.items, "No failed entry.");
    pager(document.getElementById("failed-pager"), page, loadFailed);
  }

  async function loadQueue(offset = 0) {
    const params = new URLSearchParams({ offset, limit: pageSize });
    const page = await guarded(() => api(`/profiles/${encodeURIComponent(dagId)}/queue?${params}`));
    if (!page) return;
    table(document.getElementById("queue"), [
      { title: "Source id", cell: sourceCell },
      { title: "Store", cell: (r) => r.store },
      { title: "Queued", cell: (r) => when(r.queued_at) },
      { title: "Reason", cell: (r) => r.reason || "" },
      { title: "Status", cell: (r) => badge(r.status) },
    ], page.items, "The export queue is empty.");
    pager(document.getElementById("queue-pager"), page, loadQueue);
  }

  async function loadHistory(offset = 0) {
    const params = new URLSearchParams({ offset, limit: pageSize });
    const sourceId = document.getElementById("history-source").value.trim();
    if (sourceId) params.set("source_id", sourceId);
    document.getElementById("history-note").textContent = profile && !profile.history
      ? "This profile does not keep per-record history (schedule_config.enable_history is off)." : "";
    const page = await guarded(() => api(`/profiles/${encodeURIComponent(dagId)}/history?${params}`));
    if (!page) return;
    table(document.getElementById("history"), [
      { title: "When", cell: (r) => when(r.at) },
      { title: "Source id", cell: (r) => r.source_id },
      { title: "Store", cell: (r) => r.store },
      { title: "Action", cell: (r) => badge(r.action, r.action === "failed" ? "failed" : "none") },
      { title: "Target id", cell: (r) => r.target_id ?? "—" },
      { title: "Detail", cls: "error-text", cell: (r) => r.detail || "" },
      { title: "Run", cell: (r) => r.run_id ? el("code", {}, r.run_id) : "—" },
    ], page.items, sourceId ? "No history for this record." : "No history yet.");
    pager(document.getElementById("history-pager"), page, loadHistory);
  }

  function confSummary(conf) {
    const parts = Object.entries(conf || {}).map(([k, v]) =>
      Array.isArray(v) ? `${k}: ${v.length} id(s)` : `${k}: ${JSON.stringify(v)}`);
    return parts.join(", ") || "—";
  }

  function renderRuns(runs) {
    table(document.getElementById("runs"), [
      { title: "Run", cell: (r) => el("a", { href: `${airflowRoot}/dags/${encodeURIComponent(dagId)}/runs/${encodeURIComponent(r.run_id)}`, target: "_top" }, r.run_id) },
      { title: "State", cell: (r) => badge(r.state) },
      { title: "Type", cell: (r) => r.run_type },
      { title: "Conf", cell: (r) => confSummary(r.conf) },
      { title: "Started", cell: (r) => when(r.start_date || r.run_after) },
      { title: "Ended", cell: (r) => when(r.end_date) },
      { title: "By", cell: (r) => r.triggered_by || "—" },
    ], runs, "No run yet.");
  }

  const SERIES = ["created", "updated", "matched", "failed"];

  // One stacked bar per run (oldest left): created, updated, matched, failed, from the per-record history.
  function renderTrend(trend, queued) {
    const section = document.getElementById("trend");
    section.hidden = false;
    document.getElementById("trend-queue").textContent = `· ${num(queued)} waiting in the export queue`;
    const chart = document.getElementById("trend-chart");
    if (!trend.length) {
      chart.replaceChildren(el("p", { class: "muted" }, "No run with history yet."));
      return;
    }
    const ns = "http://www.w3.org/2000/svg";
    const svg = (tag, attrs = {}) => {
      const node = document.createElementNS(ns, tag);
      for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
      return node;
    };
    const width = 720, height = 160, pad = 24, gap = 4;
    const top = Math.max(1, ...trend.map((r) => SERIES.reduce((sum, key) => sum + (r[key] || 0), 0)));
    const bar = Math.max(4, Math.min(40, (width - pad) / trend.length - gap));
    const root = svg("svg", { viewBox: `0 0 ${width} ${height + pad}`, width: "100%", height: height + pad, preserveAspectRatio: "xMinYMin meet" });
    root.append(svg("line", { x1: pad, y1: height, x2: width, y2: height, class: "axis" }));
    const label = svg("text", { x: 0, y: 12, class: "tick" });
    label.textContent = num(top);
    root.append(label);
    trend.forEach((run, index) => {
      const group = svg("g", { class: "run", "data-run": run.run_id });
      const title = svg("title");
      title.textContent = `${run.run_id}: ` + SERIES.map((key) => `${run[key] || 0} ${key}`).join(", ");
      group.append(title);
      let y = height;
      for (const key of SERIES) {
        const h = ((run[key] || 0) / top) * (height - 16);
        if (h <= 0) continue;
        y -= h;
        group.append(svg("rect", { x: pad + index * (bar + gap), y, width: bar, height: h, class: `bar ${key}`, "data-count": run[key] }));
      }
      root.append(group);
    });
    chart.replaceChildren(root);
  }

  function card(label, value, id) {
    return el("div", { class: "card", id }, el("div", { class: "value" }, value), el("div", { class: "label" }, label));
  }

  async function loadProfile() {
    const data = await guarded(() => api(`/profiles/${encodeURIComponent(dagId)}`));
    if (!data) return false;
    profile = data;
    document.title = `${data.name} · Sync profiles`;
    document.getElementById("title").textContent = data.name;
    const conns = Object.entries(data.connections).map(([k, v]) => `${k}: ${v}`).join(", ");
    document.getElementById("subtitle").replaceChildren(
      el("code", {}, data.id), ` · ${data.summary} · connections ${conns} · `,
      el("a", { href: `${airflowRoot}/dags/${encodeURIComponent(data.id)}`, target: "_top" }, "DAG in Airflow"));
    const dag = data.dag;
    document.getElementById("facts").replaceChildren(
      dag ? (dag.is_paused ? badge("paused") : badge("enabled")) : badge("not in Airflow", "none"),
      el("span", { class: "badge none" }, data.schedule ? `schedule ${data.schedule}` : "manual only"),
      el("span", { class: "badge none" }, `behaviour ${data.behaviour}`),
      dag && dag.last_run_state ? el("span", {}, "last run ", badge(dag.last_run_state), " ", when(dag.last_run_at)) : null,
    );
    document.getElementById("cards").replaceChildren(
      card("mapped records", num(data.counts.mapped), "count-mapped"),
      card("failed entries", num(data.counts.failed), "count-failed"),
      card("queued for export", num(data.counts.queued), "count-queued"),
      card("next run", dag && dag.next_run && !dag.is_paused ? when(dag.next_run) : "—", "next-run"),
    );
    const actions = document.getElementById("actions");
    actions.hidden = false;
    for (const id of ["retry-failed", "resync"]) {
      const button = document.getElementById(id);
      button.disabled = !data.can_trigger;
      button.title = data.can_trigger ? "" : "Your Airflow role may not trigger this DAG.";
    }
    document.getElementById("retry-failed").textContent = `Retry failed entries (${num(data.counts.failed)})`;
    document.getElementById("export-box").hidden = !data.can_trigger;
    document.getElementById("export-store").replaceChildren(el("option", { value: "*" }, "every store"),
      ...data.stores.map((s) => el("option", { value: s }, s)));
    renderRuns(data.runs);
    renderTrend(data.trend || [], data.counts.queued);
    return true;
  }

  async function guarded(call) {
    try {
      return await call();
    } catch (error) {
      notice(explain(error), true);
      return null;
    }
  }

  async function act(path, body, confirmText) {
    if (confirmText && !window.confirm(confirmText)) return;
    const result = document.getElementById("action-result");
    result.textContent = "Working…";
    const answer = await guarded(() => api(`/profiles/${encodeURIComponent(dagId)}/${path}`, { method: "POST", body: body || {} }));
    if (!answer) { result.textContent = ""; return; }
    const run = answer.run_id ? answer : answer.run;
    const queued = answer.queued ? `${answer.queued} id(s) queued. ` : "";
    result.replaceChildren(queued, run ? el("span", {}, "Run ", el("code", { id: "new-run" }, run.run_id), " ", badge(run.state)) : "");
    notice(null);
    await loadProfile();
    if (path === "export") loadQueue(0);
  }

  function selectTab(name) {
    for (const button of document.querySelectorAll(".tabs button")) {
      button.classList.toggle("active", button.dataset.tab === name);
    }
    for (const section of document.querySelectorAll(".tab")) section.hidden = section.id !== `tab-${name}`;
  }

  const loaders = { records: loadRecords, failed: loadFailed, queue: loadQueue, history: loadHistory, runs: loadProfile };
  for (const button of document.querySelectorAll(".tabs button")) {
    button.addEventListener("click", () => { selectTab(button.dataset.tab); loaders[button.dataset.tab](0); });
  }
  for (const [form, loader] of [["records-filter", loadRecords], ["failed-filter", loadFailed], ["history-filter", loadHistory]]) {
    document.getElementById(form).addEventListener("submit", (event) => { event.preventDefault(); loader(0); });
  }
  document.getElementById("retry-failed").addEventListener("click", () => act("retry-failed"));
  document.getElementById("resync").addEventListener("click", () =>
    act("resync", {}, "Start a full resync of every record in this profile's scope?"));
  document.getElementById("export-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const ids = document.getElementById("export-ids").value.split(/[\s,;]+/).filter(Boolean);
    act("export", { ids, store: document.getElementById("export-store").value,
      run_now: document.getElementById("export-run-now").checked });
  });
  document.getElementById("back").setAttribute("href", base + "/");

  loadProfile().then((ok) => { if (ok) { loadRecords(0); loadFailed(0); } });
})();
