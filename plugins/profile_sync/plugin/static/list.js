"use strict";
(() => {
  const { api, el, badge, when, num, notice, explain, base } = PS;
  const body = document.querySelector("#profiles tbody");

  function row(p) {
    const dag = p.dag;
    const state = !dag ? badge("not in Airflow", "none") : dag.is_paused ? badge("paused") : badge("enabled");
    const lastRun = dag && dag.last_run_state
      ? el("span", {}, badge(dag.last_run_state), " ", el("span", { class: "muted" }, when(dag.last_run_at)))
      : el("span", { class: "muted" }, "never");
    const failed = p.counts.failed ? el("strong", { class: "bad" }, num(p.counts.failed)) : num(p.counts.failed);
    return el("tr", { "data-profile": p.id },
      el("td", {}, el("a", { href: base + "/profiles/" + encodeURIComponent(p.id) }, p.name),
        el("div", { class: "muted" }, el("code", {}, p.id))),
      el("td", {}, p.system, " · ", p.entity, " · ", p.direction),
      el("td", {}, p.schedule ? el("code", {}, p.schedule) : el("span", { class: "muted" }, "manual only")),
      el("td", {}, state),
      el("td", {}, lastRun),
      el("td", { class: "num" }, num(p.counts.mapped)),
      el("td", { class: "num" }, failed),
      el("td", { class: "num" }, num(p.counts.queued)),
    );
  }

  async function load() {
    try {
      const data = await api("/profiles");
      notice(null);
      body.replaceChildren(...(data.profiles.length ? data.profiles.map(row)
        : [el("tr", {}, el("td", { colspan: 8, class: "muted" }, "No profile you may read."))]));
      const errors = document.getElementById("profile-errors");
      errors.hidden = !data.errors.length;
      errors.replaceChildren("Broken profile files (see the import error of profile_sync_validation.py):\n"
        + data.errors.join("\n"));
    } catch (error) {
      body.replaceChildren();
      notice(explain(error), true);
    }
  }

  document.getElementById("refresh").addEventListener("click", load);
  load();
})();
