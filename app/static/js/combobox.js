/* Keyboard and ARIA state for the header search box (WAI-ARIA combobox with a listbox popup).
 *
 * htmx fetches the options into the listbox while the shopper types; this file only keeps the
 * combobox usable: Down/Up move through the options (aria-activedescendant), Enter opens the
 * active option, Escape closes the list, and aria-expanded follows what is shown. Without it the
 * box is a plain search form. No inline script: the page's CSP forbids it.
 */
(function () {
  "use strict";

  function setup(input) {
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    if (!listbox) { return; }
    var active = -1;

    function options() {
      return Array.prototype.slice.call(listbox.querySelectorAll('[role="option"]'));
    }

    function setActive(index) {
      var all = options();
      active = index;
      all.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(open) {
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) { setActive(-1); }
    }

    // New options arrived (or were cleared): reset the active one and show the list if it has any.
    new MutationObserver(function () {
      setActive(-1);
      show(options().length > 0 && document.activeElement === input && input.value.trim() !== "");
    }).observe(listbox, { childList: true, subtree: true });

    input.addEventListener("keydown", function (event) {
      var all = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) { return; }
        event.preventDefault();
        show(true);
        var step = event.key === "ArrowDown" ? 1 : -1;
        setActive(active < 0 && step < 0 ? all.length - 1 : (active + step + all.length) % all.length);
      } else if (event.key === "Enter" && active >= 0 && !listbox.hidden) {
        event.preventDefault();
        all[active].click();
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        show(false);
      }
    });

    input.addEventListener("input", function () {
      if (input.value.trim() === "") { show(false); }
    });
    input.addEventListener("focus", function () {
      if (options().length && input.value.trim() !== "") { show(true); }
    });
    input.addEventListener("blur", function () {
      // Let a click on an option land before the list goes away.
      window.setTimeout(function () { if (document.activeElement !== input) { show(false); } }, 150);
    });
    // Clicking an option must not take the focus from the input first.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
  }

  function init() {
    var inputs = document.querySelectorAll('[data-combobox] [role="combobox"]');
    Array.prototype.forEach.call(inputs, setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
