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
