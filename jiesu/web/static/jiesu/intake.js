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

  // "选为主办": a dispatcher gets the dispatch form with the unit (and the rule's co-handling units) chosen; an
  // operator, who cannot dispatch, hands over with the unit written into the note for the dispatcher. Either
  // way the button shows what happened and the field that changed gets the focus.
  function useUnit(button) {
    const code = button.dataset.useUnit;
    const name = button.dataset.unitName || code;
    let field;
    if (choose("dispatch")) {
      setLeadUnit(code, true);
      $("#id_dispatch-lead_unit").dataset.touched = "1";  // a later panel refresh keeps the operator's choice
      const assist = $("#id_dispatch-assist_units");
      const co = (button.dataset.coUnits || "").split(",").filter(Boolean);
      if (assist && co.length) for (const option of assist.options) option.selected = co.includes(option.value);
      field = $("#id_dispatch-lead_unit");
    } else if (choose("handover")) {
      field = $("#id_handover-note");
      const label = ($("#sg-root") && $("#sg-root").dataset.suggestLabel) || "建议主办：";
      const kept = field.value.split("；").filter((part) => part && !part.startsWith(label));
      field.value = [label + name, ...kept].join("；");
    }
    if (!field) return;
    markChosen(code);
    field.classList.add("just-filled");
    setTimeout(() => field.classList.remove("just-filled"), 1500);
    field.scrollIntoView({ block: "nearest" });
    field.focus();
  }

  function markChosen(code, name) {
    for (const button of document.querySelectorAll("#suggest-panel [data-use-unit]")) {
      const chosen = code ? button.dataset.useUnit === code : button.dataset.unitName === name;
      button.dataset.label = button.dataset.label || button.textContent;
      button.classList.toggle("is-chosen", chosen);
      button.setAttribute("aria-pressed", String(chosen));
      button.textContent = chosen ? "✓ " + (button.dataset.chosenLabel || button.dataset.label) : button.dataset.label;
    }
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
    if (button.dataset.useUnit) useUnit(button);
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
      const lead = $("#id_dispatch-lead_unit");
      const note = $("#id_handover-note");
      const label = (root && root.dataset.suggestLabel) || "建议主办：";
      if (lead && lead.dataset.touched && lead.value && $("#id_disposition_dispatch")?.checked) markChosen(lead.value);
      else if (note && note.value.startsWith(label)) markChosen(null, note.value.slice(label.length).split("；")[0]);
    }
  });
  document.addEventListener("htmx:load", (event) => {
    if (event.detail.elt && event.detail.elt.id === "intake-work") focusFirst();
  });
  document.addEventListener("DOMContentLoaded", focusFirst);
})();
