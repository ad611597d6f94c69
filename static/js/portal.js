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
    focusOn(region.querySelector("[data-swap-focus]") || region);
  });

  function focusOn(element) {
    // A heading or a region gets tabindex="-1" to take focus; a field, link or button is
    // focusable already and must stay in the tab order.
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: false });
  }

  // When a swap removes the element that had focus (a « voir plus » link, a page link),
  // keyboard users would be sent back to the top of the page. Instead focus goes to the
  // new content: the element the server marked data-focus-on-swap, else the
  // [data-swap-focus] child of the swapped region marked data-focus-when-lost.
  // Filters keep their focus: their select is outside the region and stays in the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    var fresh = document.querySelector("[data-focus-on-swap]");
    if (fresh) {
      fresh.removeAttribute("data-focus-on-swap");
      focusOn(fresh);
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body && document.documentElement.contains(active)) return;
    var target = event.detail.target;
    var region = target && target.closest ? target.closest("[data-focus-when-lost]") : null;
    if (!region) return;
    focusOn(region.querySelector("[data-swap-focus]") || region);
  });

  // A form sent back with errors: move focus to its error summary, which lists them.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  });

  // A public form refused before anything is stored (429: too many posts, 400: the
  // honeypot) answers with the form and a French explanation: htmx leaves 4xx answers
  // out by default, so let these take the form's place like any other answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 429 || status === 400) && target && target.hasAttribute("data-focus-after-swap")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
