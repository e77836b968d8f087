// Small behaviours, no inline scripts (a Content-Security-Policy can forbid them).
// A link or button with data-busy-label shows that a long document is being prepared
// and ignores further clicks meanwhile. A PDF opens in a new tab (target="_blank"), so
// the app stays open in this one: it stays busy until the user comes back to it (the
// new tab has the document by then) or, at the latest, for 8 seconds.
const restorers = new Set();

function restoreAll() {
  for (const restore of restorers) restore();
}

document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-busy-label]");
  if (!target) return;
  if (target.getAttribute("aria-disabled") === "true") {
    event.preventDefault();
    return;
  }
  const label = target.textContent;
  target.textContent = target.dataset.busyLabel;
  target.setAttribute("aria-disabled", "true");
  target.setAttribute("aria-busy", "true");
  target.classList.add("disabled");
  let timer;
  const restore = () => {
    clearTimeout(timer);
    restorers.delete(restore);
    target.textContent = label;
    target.removeAttribute("aria-disabled");
    target.removeAttribute("aria-busy");
    target.classList.remove("disabled");
  };
  timer = setTimeout(restore, 8000);
  // A document opened in this tab (no target) leaves the page: nothing to restore.
  if (target.target === "_blank") restorers.add(restore);
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") restoreAll();
});

// "Add a row" of a formset without saving first: a button with data-formset-add (the
// formset's prefix), data-formset-template (a <template> with the empty form, whose
// __prefix__ becomes the next index) and data-formset-target (where rows go).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-formset-add]");
  if (!button) return;
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
  const template = document.getElementById(button.dataset.formsetTemplate);
  const target = document.getElementById(button.dataset.formsetTarget);
  const index = Number(total.value);
  if (max && index >= Number(max.value)) return;
  const html = template.innerHTML.replaceAll("__prefix__", String(index));
  target.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = target.lastElementChild.querySelector("input:not([type=hidden]), textarea, select");
  if (first) first.focus();
});
