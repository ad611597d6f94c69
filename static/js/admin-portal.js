/* The admin's autocomplete boxes (select2) named after their field's label.

select2 names its box after the text it shows, which is empty until something is chosen
(and then names the choice, not the field); the box of a multiple choice also leaves its
typing field unnamed and puts a non-item inside its list. Runs after the admin's own
autocomplete.js has drawn the boxes (jQuery runs ready callbacks in order), and again for
each inline row added. */
(function () {
  "use strict";

  function labelFor(select) {
    let label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label && select.getAttribute("aria-label")) {
      // A box in an inline's table row: its name was put on the select itself.
      label = document.createElement("span");
      label.className = "portal-visually-hidden";
      label.textContent = select.getAttribute("aria-label");
      select.parentNode.insertBefore(label, select);
    }
    if (!label) return null;
    if (!label.id) label.id = select.id + "-label";
    return label;
  }

  function nameBox(select) {
    const box = select.nextElementSibling;
    const label = labelFor(select);
    if (!label || !box || !box.classList.contains("select2")) return;
    const selection = box.querySelector(".select2-selection");
    if (!selection) return;
    const shown = selection.getAttribute("aria-labelledby") || "";
    if (shown.split(" ").indexOf(label.id) === -1) {
      selection.setAttribute("aria-labelledby", (label.id + " " + shown).trim());
    }
    // The text shown, a read-only textbox of its own, says what was chosen for that field.
    const rendered = selection.querySelector("span.select2-selection__rendered[id]");
    if (rendered) rendered.setAttribute("aria-labelledby", label.id + " " + rendered.id);
    const list = selection.querySelector("ul.select2-selection__rendered");
    if (list) list.setAttribute("role", "list");
    const search = selection.querySelector(".select2-search__field");
    if (search) search.setAttribute("aria-labelledby", label.id);
    if (!select.dataset.portalNamed && window.django && window.django.jQuery) {
      select.dataset.portalNamed = "1";
      // The open list: the box says which list it controls, its typing field is named.
      window.django.jQuery(select).on("select2:open", function () {
        const owned = selection.getAttribute("aria-owns");
        if (owned) selection.setAttribute("aria-controls", owned);
        const open = document.querySelector(".select2-container--open .select2-search__field");
        if (open) open.setAttribute("aria-labelledby", label.id);
      });
    }
  }

  function nameAll(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(nameBox);
  }

  function start() {
    nameAll(document);
    document.addEventListener("formset:added", function (event) {
      nameAll(event.target);
    });
  }

  // The admin's two-list picker (filter_horizontal) puts an aria-label on a bare span,
  // which has no role to carry it: it is the search icon, an image.
  window.addEventListener("load", function () {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  });

  if (window.django && window.django.jQuery) {
    window.django.jQuery(start);
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
