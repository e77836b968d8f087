// Small behaviours, no inline scripts (a Content-Security-Policy can forbid them).
// A link or button with data-busy-label shows that a long document is being prepared
// and ignores further clicks until the download has had time to start.
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
  setTimeout(() => {
    target.textContent = label;
    target.removeAttribute("aria-disabled");
    target.removeAttribute("aria-busy");
    target.classList.remove("disabled");
  }, 8000);
});
