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
    $("#id_answer-answer").readOnly = true;  // the answer is the article's text, recorded with it
    $("#chosen-article-title").textContent = button.dataset.title || "";
    $("#chosen-article").hidden = false;
    $("#intake-save").focus();
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
      $("#id_answer-answer").readOnly = false;
      $("#id_answer-answer").focus();
    }
  });

  // Enter in the phone field looks up the caller's earlier calls (the request is a POST: no phone in a URL).
  document.addEventListener("keyup", (event) => {
    if (event.key === "Enter" && event.target.id === "id_requester_phone") {
      event.target.dispatchEvent(new Event("history-lookup"));
    }
  });

  // Enter in the category search looks the category up instead of saving the form.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.id === "id_category_search") {
      event.preventDefault();
      event.target.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("change", (event) => {
    if (event.target.id === "id_dispatch-lead_unit") event.target.dataset.touched = "1";
  });

  // Alt+letter/digit shortcuts: [data-shortcut] elements (shown on screen); buttons and links are clicked,
  // radio buttons chosen, fields focused. Handled here rather than with accesskey, whose modifier differs by browser.
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const match = /^(Key|Digit)([A-Z0-9])$/.exec(event.code || "");
    if (!match) return;
    const key = match[2].toLowerCase();
    let target = document.querySelector(`.intake [data-shortcut="${key}"]`);
    if (key === "j") target = $("#suggest-panel .btn-use") || $("#suggest-panel");
    if (!target) return;
    event.preventDefault();
    if (target.type === "radio") {
      target.checked = true;
      target.dispatchEvent(new Event("change", { bubbles: true }));
      target.focus();
    } else if (target.type === "submit") {
      target.form.requestSubmit(target);
    } else if (target.tagName === "A") {
      target.click();
    } else {
      target.focus();
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
  });
  document.addEventListener("htmx:load", (event) => {
    if (event.detail.elt && event.detail.elt.id === "intake-work") focusFirst();
  });
  document.addEventListener("DOMContentLoaded", focusFirst);
})();
