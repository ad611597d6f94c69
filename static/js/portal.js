// Progressive enhancement on top of htmx: every page works without this file.
// No inline script anywhere: the Content Security Policy forbids them.
(function () {
  "use strict";

  // After htmx swaps a region, move focus to it so keyboard and screen-reader users
  // land on the new content. A region opts in with data-focus-after-swap; the element
  // focused is its [data-swap-focus] child, or the region itself.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.closest) return;
    var region = target.closest("[data-focus-after-swap]") || target.querySelector("[data-focus-after-swap]");
    if (!region) return;
    var focusable = region.querySelector("[data-swap-focus]") || region;
    if (!focusable.hasAttribute("tabindex")) focusable.setAttribute("tabindex", "-1");
    focusable.focus({ preventScroll: false });
  });

  // A form sent back with errors: move focus to its error summary, which lists them.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  });
})();
