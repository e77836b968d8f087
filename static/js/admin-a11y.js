// Django admin's two-list picker (SelectFilter2.js) puts an aria-label on a bare <span>
// (the magnifier icon of its search box), which ARIA does not allow (axe:
// aria-prohibited-attr). Give those icons the role of an image, once the picker is built
// on page load.
"use strict";
window.addEventListener("load", function () {
  window.setTimeout(function () {
    document.querySelectorAll("span.search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }, 0);
});
