// The session's idle timeout (kis/sessions.py): extended while the user types (at most
// one request a minute), a warning with a button two minutes before it would end, and
// a form kept across a login filled in again. No outside requests, no inline scripts.
(() => {
  const meta = document.getElementById("kis-session");
  if (!meta) return;
  const MINUTE = 60 * 1000;
  const idle = Number(meta.dataset.idle) * 1000;
  const warnBefore = Math.min(2 * MINUTE, idle / 4);
  const banner = document.getElementById("kis-session-warning");
  const text = banner.querySelector(".session-warning-text");
  const extend = banner.querySelector(".session-extend");
  let deadline = Date.now() + idle;
  let lastPing = Date.now();
  let typed = false;
  let ended = false;

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function update(response) {
    if (response.status === 401) {
      showEnded();
      return null;
    }
    return response.ok ? response.json() : null;
  }

  function adopt(state) {
    if (!state) return;
    deadline = Date.now() + state.remaining * 1000;
    if (state.remaining * 1000 > warnBefore) banner.hidden = true;
  }

  function ping() {
    lastPing = Date.now();
    typed = false;
    fetch(meta.dataset.keepaliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    })
      .then(update)
      .then(adopt)
      .catch(() => {});
  }

  function showEnded() {
    ended = true;
    text.textContent = text.dataset.expired;
    extend.hidden = true;
    banner.hidden = false;
  }

  function showWarning(left) {
    const minutes = Math.max(1, Math.ceil(left / MINUTE));
    text.textContent = text.dataset.expiring.replace("%(minutes)s", minutes);
    banner.hidden = false;
  }

  function tick() {
    if (ended) return;
    if (typed && Date.now() - lastPing >= MINUTE) ping();
    const left = deadline - Date.now();
    if (left <= 0) {
      showEnded();
    } else if (left <= warnBefore) {
      // Another tab may have kept the session going: ask before warning.
      fetch(meta.dataset.statusUrl, { credentials: "same-origin" })
        .then(update)
        .then((state) => {
          adopt(state);
          if (state && state.remaining * 1000 <= warnBefore && !ended) {
            showWarning(state.remaining * 1000);
          }
        })
        .catch(() => {});
    }
  }

  document.addEventListener(
    "input",
    () => {
      typed = true;
      if (Date.now() - lastPing >= MINUTE) ping();
    },
    true,
  );
  extend.addEventListener("click", ping);
  setInterval(tick, 5000);

  // --- a form kept across the login --------------------------------------------------
  if (!meta.dataset.keptForm) return;
  const kept = JSON.parse(meta.dataset.keptForm);
  const values = new Map(kept.map(([name, list]) => [name, list]));
  // Rows added in the browser before sending (kis.js's "add a row") are added again.
  for (const [name, list] of values) {
    if (!name.endsWith("-TOTAL_FORMS")) continue;
    const prefix = name.slice(0, -"-TOTAL_FORMS".length);
    const add = document.querySelector(`[data-formset-add="${CSS.escape(prefix)}"]`);
    const total = document.getElementById(`id_${name}`);
    while (add && total && Number(total.value) < Number(list[0])) {
      const before = total.value;
      add.click();
      if (total.value === before) break;
    }
  }
  const forms = [...document.querySelectorAll("form")].filter(
    (form) =>
      form.method === "post" && new URL(form.action, location.href).pathname === location.pathname,
  );
  for (const form of forms) {
    const fields = [...form.elements].filter(
      (field) => field.name && field.name !== "csrfmiddlewaretoken" && field.type !== "file",
    );
    if (!fields.some((field) => values.has(field.name))) continue;
    const used = new Map();
    for (const field of fields) {
      const list = values.get(field.name) || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = list.includes(field.value);
      } else if (field.tagName === "SELECT" && field.multiple) {
        for (const option of field.options) option.selected = list.includes(option.value);
      } else if (values.has(field.name) && field.type !== "submit" && field.type !== "button") {
        // Several fields of one name (rare) take the values in order.
        const index = used.get(field.name) || 0;
        if (index < list.length) field.value = list[index];
        used.set(field.name, index + 1);
      }
      if (values.has(field.name)) field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
  // The token is used up: a reload must not look for it again.
  const url = new URL(location.href);
  url.searchParams.delete("kis_restore");
  history.replaceState(null, "", url);
})();
