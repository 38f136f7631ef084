// Behaviour every page shares, kept out of the templates (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (the language switch).
  document.addEventListener("change", (event) => {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });

  // <a data-history-back href="…">: go back when there is a page to go back to, else follow the link.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-history-back]");
    if (!link || window.history.length < 2 || !document.referrer) return;
    event.preventDefault();
    window.history.back();
  });

  // An htmx request that was refused (4xx/5xx) is not swapped in: say why in a banner instead of doing nothing.
  document.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    let message = document.body.dataset.requestFailed || "";
    if ((xhr.getResponseHeader("Content-Type") || "").includes("json")) {
      try { message = JSON.parse(xhr.responseText).message || message; } catch (_) { /* keep the generic one */ }
    }
    let banner = document.getElementById("request-error");
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "request-error";
      banner.className = "alert alert-error request-error";
      banner.setAttribute("role", "alert");
      document.body.appendChild(banner);
    }
    banner.textContent = message;
    banner.hidden = false;
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const banner = document.getElementById("request-error");
    if (banner && event.detail.successful) banner.hidden = true;
  });
})();
