// Text limits: a field with maxlength and data-counter shows "n / limit" under it while typing (the browser
// already refuses characters past maxlength; the counter says so before saving does).
(function () {
  "use strict";

  function update(field) {
    const out = field.nextElementSibling;
    if (!out || !out.classList.contains("counter")) return;
    const limit = Number(field.getAttribute("maxlength"));
    const used = field.value.length;
    out.textContent = `${used} / ${limit}`;
    out.classList.toggle("counter-near", used >= limit * 0.9 && used < limit);
    out.classList.toggle("counter-full", used >= limit);
  }

  function attach(root) {
    root.querySelectorAll("[data-counter][maxlength]").forEach((field) => {
      if (!(field.nextElementSibling && field.nextElementSibling.classList.contains("counter"))) {
        const out = document.createElement("div");
        out.className = "counter";
        out.setAttribute("aria-live", "polite");
        field.insertAdjacentElement("afterend", out);
      }
      update(field);
    });
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("[data-counter][maxlength]")) update(event.target);
  });
  document.addEventListener("DOMContentLoaded", () => attach(document));
  document.addEventListener("htmx:load", (event) => attach(event.detail.elt.parentNode || document));
})();
