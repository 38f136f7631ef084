// Photos of the handling from a phone: the chosen file goes alone (the other file inputs are emptied), with its
// phase (before/after) and, when the browser may tell, where the phone is; then the form is sent through htmx.
(function () {
  "use strict";

  function send(form) {
    if (window.htmx) window.htmx.trigger(form, "jiesu-upload");
    else form.submit();
  }

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("#attach-form input[type=file]") || !input.files.length) return;
    const form = input.form;
    form.querySelectorAll("input[type=file]").forEach((other) => { if (other !== input) other.value = ""; });
    form.elements.phase.value = input.dataset.phase || "";
    form.elements.latitude.value = "";
    form.elements.longitude.value = "";
    if (!input.dataset.phase || !navigator.geolocation) { send(form); return; }
    let sent = false;
    const once = () => { if (!sent) { sent = true; send(form); } };
    navigator.geolocation.getCurrentPosition((position) => {
      form.elements.latitude.value = position.coords.latitude.toFixed(6);
      form.elements.longitude.value = position.coords.longitude.toFixed(6);
      once();
    }, once, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
    setTimeout(once, 9000);
  });
})();
