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
    markTitleAsError(Boolean(region.querySelector(".error-summary")));
    focusOn(region.querySelector("[data-swap-focus]") || region);
  });

  function focusOn(element) {
    // A heading or a region gets tabindex="-1" to take focus; a field, link or button is
    // focusable already and must stay in the tab order.
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    reveal(element);
  }

  // The browser scrolls a focused field just into view, leaving its label and its error
  // above the window: show the whole block of the field, with the form's error summary
  // too when both fit in the window.
  var MARGIN = 16;

  function reveal(element) {
    var block = element.closest(".field, fieldset") || element;
    var box = block.getBoundingClientRect();
    var top = box.top;
    var bottom = box.bottom;
    var form = element.closest("form");
    var summary = form && form.querySelector(".error-summary");
    if (summary && summary !== block) {
      var summaryTop = summary.getBoundingClientRect().top;
      if (bottom - summaryTop <= window.innerHeight - 2 * MARGIN) top = Math.min(top, summaryTop);
    }
    if (top >= MARGIN && bottom <= window.innerHeight - MARGIN) return;
    // Align the top when everything fits or when it is above the window; otherwise scroll
    // just enough to show the bottom without losing the top.
    var shift = top - MARGIN;
    if (top > MARGIN) shift = Math.min(shift, bottom - window.innerHeight + MARGIN);
    window.scrollBy(0, shift);
  }

  // A link of the error summary goes to its field the same way: focused, with its label
  // and error in view (the browser's jump to the anchor would leave them above).
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
    var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!field) return;
    event.preventDefault();
    focusOn(field);
  });

  // The no-JavaScript pages say « Erreur – » in the title of a form sent back with
  // errors; a form swapped by htmx keeps the title in step the same way.
  var ERROR_PREFIX = "Erreur – ";

  function markTitleAsError(hasErrors) {
    var title = document.title;
    var marked = title.indexOf(ERROR_PREFIX) === 0;
    if (hasErrors && !marked) document.title = ERROR_PREFIX + title;
    if (!hasErrors && marked) document.title = title.slice(ERROR_PREFIX.length);
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

  // While a form is being posted, its submit button says it is busy without being
  // disabled: a disabled button loses focus to the page body, and a Tab pressed during
  // the wait would jump past the form. A second submit is dropped (data-hx-sync drop).
  function submitButtons(event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM" || form.getAttribute("method") !== "post") return [];
    return form.querySelectorAll("button[type=submit]");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    submitButtons(event).forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    submitButtons(event).forEach(function (button) {
      button.removeAttribute("aria-disabled");
    });
  });

  // Filters that apply as soon as a select changes (form[data-apply-on-change], htmx
  // trigger « apply-filters »). Chromium fires change at every arrow key on a closed
  // select: applying each would send a request and announce an in-between count at each
  // key. A choice made with the keyboard applies on Enter, when the select is left, or
  // once the keys have stopped for a moment; a choice made with the mouse at once.
  var SETTLE_MS = 1500;
  var KEY_RECENT_MS = 1000;
  var NOT_CHOOSING = { Tab: true, Shift: true, Alt: true, Control: true, Meta: true, Escape: true };

  function filterSelect(element) {
    return element && element.tagName === "SELECT" && element.form &&
      element.form.hasAttribute("data-apply-on-change") ? element : null;
  }

  function applyFilters(select) {
    clearTimeout(select.portalSettleTimer);
    select.portalPending = false;
    htmx.trigger(select.form, "apply-filters");
  }

  document.addEventListener("keydown", function (event) {
    var select = filterSelect(event.target);
    if (!select) return;
    // Keys that only move focus or modify another key do not choose an option.
    if (NOT_CHOOSING[event.key]) return;
    select.portalLastKey = { key: event.key, at: Date.now() };
    if (event.key === "Enter" && select.portalPending) {
      // Enter applies the choice; it would also open the list (Chromium on Linux).
      event.preventDefault();
      applyFilters(select);
    }
  });

  document.addEventListener("change", function (event) {
    var select = filterSelect(event.target);
    if (!select) return;
    var last = select.portalLastKey;
    var byKeyboard = last && Date.now() - last.at < KEY_RECENT_MS && last.key !== "Enter";
    if (!byKeyboard) {
      applyFilters(select);
      return;
    }
    select.portalPending = true;
    clearTimeout(select.portalSettleTimer);
    select.portalSettleTimer = setTimeout(function () {
      applyFilters(select);
    }, SETTLE_MS);
  });

  document.addEventListener("focusout", function (event) {
    var select = filterSelect(event.target);
    if (select && select.portalPending) applyFilters(select);
  });

  // Live search. Requests of one search form queue rather than abort each other (an
  // aborted htmx request logs errors), so an answer may arrive for words the box no
  // longer holds: it is left out, the answer for the current words follows.
  function searchBox(form) {
    return form && form.querySelector("input[type=search][name=q]");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    // detail.elt is the swap's target here; the element that asked is the request's.
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    var form = elt && elt.closest ? elt.closest("form[role=search]") : null;
    var box = searchBox(form);
    var answered = event.detail.xhr.responseURL;
    if (!box || !answered) return;
    var query = new URL(answered).searchParams.get("q") || "";
    if (query.trim() !== box.value.trim()) event.detail.shouldSwap = false;
  });

  // The header's box shows the words of the results on the page, after Back too (htmx
  // restores the page's markup, not what was typed), and the link « Aller aux résultats »
  // appears with results.
  function showSkipToResults() {
    var skip = document.getElementById("aller-aux-resultats");
    if (skip) skip.hidden = !document.getElementById("resultats-recherche");
  }

  function syncHeaderSearch() {
    var box = document.getElementById("site-search-q");
    if (box) {
      var onSearchPage = Boolean(document.getElementById("search-results"));
      box.value = onSearchPage ? new URLSearchParams(window.location.search).get("q") || "" : "";
    }
    showSkipToResults();
  }

  document.addEventListener("htmx:historyRestore", syncHeaderSearch);
  document.addEventListener("htmx:afterSettle", showSkipToResults);
})();
