// 受理 screen: the side panel's "use this" buttons fill the form; focus goes where the operator needs it.
(function () {
  "use strict";
  const $ = (selector) => document.querySelector(selector);

  function choose(disposition) {
    const radio = $(`input[name=disposition][value="${disposition}"]`);
    if (radio) radio.checked = true;
    return Boolean(radio);
  }

  function setLeadUnit(code, touched) {
    const select = $("#id_dispatch-lead_unit");
    if (!select || !code) return;
    if (!touched && select.dataset.touched) return;
    select.value = code;
  }

  function useArticle(button) {
    choose("answer");
    if (!document.querySelector("input[name=kind]:checked")) $("#id_kind_consultation").checked = true;
    $("#id_answer-article_id").value = button.dataset.useArticle;
    $("#id_answer-answer").value = button.dataset.answer || "";
    $("#chosen-article-title").textContent = button.dataset.title || "";
    $("#chosen-article").hidden = false;
    $("#id_answer-answer").focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button, a");
    if (!button) return;
    if (button.dataset.useArticle) useArticle(button);
    if (button.dataset.useMerge) {
      choose("merge");
      $("#id_merge-into").value = button.dataset.useMerge;
      $("#id_merge-into").focus();
    }
    if (button.dataset.useUnit) {
      if (choose("dispatch")) {
        setLeadUnit(button.dataset.useUnit, true);
        $("#id_dispatch-lead_unit").focus();
      }
    }
    if (button.hasAttribute("data-clear-article")) {
      $("#id_answer-article_id").value = "";
      $("#chosen-article").hidden = true;
    }
  });

  document.addEventListener("change", (event) => {
    if (event.target.id === "id_dispatch-lead_unit") event.target.dataset.touched = "1";
  });

  document.addEventListener("keydown", (event) => {
    if (event.altKey && (event.key === "j" || event.key === "J")) {
      const panel = $("#suggest-panel .btn-use") || $("#suggest-panel");
      if (panel) { event.preventDefault(); panel.focus(); }
    }
  });

  function focusFirst() {
    const wrong = document.querySelector(".intake .has-error input, .intake .has-error textarea, .intake .has-error select");
    const target = wrong || document.querySelector(".intake [autofocus]");
    if (target) target.focus();
  }

  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target && target.id === "suggest-panel") {
      const root = $("#sg-root");
      if (root) setLeadUnit(root.dataset.firstUnit, false);
    }
    if (target && target.id === "intake-work") focusFirst();
  });
  document.addEventListener("DOMContentLoaded", focusFirst);
})();
