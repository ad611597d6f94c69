/* The audit grid (admin): quick choices by keyboard. When a result of a criterion has the
focus, C, N, A and T choose « conforme », « non conforme », « non applicable » and « non
testé » (the arrows still move through the group). Only while a result has the focus, so
that the letters type as usual anywhere else (WCAG 2.1.4). The change event that follows
is what htmx saves. */
(function () {
  "use strict";

  const KEYS = { c: "C", n: "NC", a: "NA", t: "NT" };

  document.addEventListener("keydown", function (event) {
    const radio = event.target;
    if (!(radio instanceof HTMLInputElement) || radio.type !== "radio") return;
    const group = radio.closest(".rgaa-result");
    if (!group || event.altKey || event.ctrlKey || event.metaKey) return;
    const value = KEYS[event.key.toLowerCase()];
    if (!value) return;
    const choice = group.querySelector('input[type="radio"][value="' + value + '"]');
    if (!choice || choice.disabled) return;
    event.preventDefault();
    choice.focus();
    if (!choice.checked) {
      choice.checked = true;
      choice.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
