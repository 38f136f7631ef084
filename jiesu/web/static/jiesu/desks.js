// Desks and the ticket page, keyboard first: j/k move in a queue, Enter opens, 1…9 switch queues, / searches,
// x selects and Shift+D dispatches a selection; on a ticket one key per ready action, n/p the next or previous
// ticket of the queue, q back to the desk, ? the list of keys. The focus is put back after every htmx swap.
// Live queues: the tabs poll their counts (an empty 204 while nothing changed); a change refreshes the list,
// shows a notice for new tickets and deadline warnings, and the tab title carries the count.
(function () {
  "use strict";
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const QUEUE_KEY = "jiesu.queue";
  const baseTitle = document.title;
  let currentNumber = null;
  let lastCounts = null;

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // ---- the queue list -------------------------------------------------------------------------------------------
  const rows = () => $$("#queue-list tbody tr[data-number]");

  function markCurrent(row, focus) {
    rows().forEach((r) => r.classList.toggle("row-current", r === row));
    if (!row) return;
    currentNumber = row.dataset.number;
    if (focus) {
      const link = $(".row-link", row);
      if (link) link.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const at = all.findIndex((r) => r.dataset.number === currentNumber);
    const next = at < 0 ? 0 : Math.min(all.length - 1, Math.max(0, at + step));
    markCurrent(all[next], true);
  }

  function currentRow() {
    return rows().find((r) => r.dataset.number === currentNumber) || null;
  }

  function rememberQueue() {
    const numbers = rows().map((r) => r.dataset.number);
    if (!numbers.length) return;
    sessionStorage.setItem(QUEUE_KEY, JSON.stringify({ numbers, back: location.pathname + location.search }));
  }

  function restoreList() {
    const all = rows();
    const again = all.find((r) => r.dataset.number === currentNumber);
    markCurrent(again || null, false);
    updateSelection();
    rememberQueue();
  }

  // ---- selection and bulk dispatch ------------------------------------------------------------------------------
  const boxes = () => $$("#queue-list input[name=numbers]:not(:disabled)");

  function updateSelection() {
    const form = $("#bulk-form");
    if (!form) return;
    const chosen = boxes().filter((b) => b.checked).length;
    const label = $("[data-selected-count]", form);
    if (label) label.textContent = chosen ? `${chosen} / ${boxes().length}` : label.dataset.none || label.textContent;
    $("[data-bulk-submit]", form).disabled = chosen === 0;
    const all = $("[data-select-all]", form);
    if (all) all.checked = chosen > 0 && chosen === boxes().length;
  }

  function toggleCurrent() {
    const row = currentRow();
    const box = row && $("input[name=numbers]", row);
    if (!box || box.disabled) return;
    box.checked = !box.checked;
    updateSelection();
  }

  function selectionCount() {
    return boxes().filter((b) => b.checked).length;
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-select-all]")) {
      boxes().forEach((b) => { b.checked = event.target.checked; });
    }
    if (event.target.matches("[data-select-all], input[name=numbers]")) updateSelection();
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id !== "bulk-form") return;
    const n = selectionCount();
    if (!n || !window.confirm(form.dataset.confirm.replace("{n}", n))) event.preventDefault();
  });
  document.addEventListener("htmx:confirm", (event) => {
    // htmx sends the bulk form itself; ask the same question first
    const form = event.detail.elt;
    if (!form || form.id !== "bulk-form") return;
    event.preventDefault();
    const n = selectionCount();
    if (n && window.confirm(form.dataset.confirm.replace("{n}", n))) event.detail.issueRequest(true);
  });

  // ---- live counts ------------------------------------------------------------------------------------------------
  function countsOf(tabs) {
    const counts = {};
    $$(".queue-tab", tabs).forEach((t) => { counts[t.dataset.queue] = Number(t.dataset.count); });
    return counts;
  }

  function setTitle() {
    const first = $("#queue-tabs .queue-tab");
    if (!first) return;
    const n = Number(first.dataset.count);
    document.title = n ? `(${n}) ${baseTitle}` : baseTitle;
  }

  function notify(text) {
    const box = $("#live-notice");
    if (!box || !text) return;
    box.textContent = text;
    box.hidden = false;
    box.classList.remove("flash");
    void box.offsetWidth; // restart the highlight
    box.classList.add("flash");
  }

  function describeChanges(before, after) {
    const box = $("#live-notice");
    if (!box) return "";
    const first = $("#queue-tabs .queue-tab");
    const texts = [];
    if (first && after[first.dataset.queue] > (before[first.dataset.queue] || 0)) {
      const label = $(".queue-tab-label", first).textContent.trim();
      texts.push(box.dataset.newText.replace("{n}", after[first.dataset.queue] - before[first.dataset.queue])
        .replace("{queue}", label));
    }
    if ((after.warning || 0) > (before.warning || 0)) {
      texts.push(box.dataset.warningText.replace("{n}", after.warning - before.warning));
    }
    if ((after.overdue || 0) > (before.overdue || 0)) {
      texts.push(box.dataset.overdueText.replace("{n}", after.overdue - before.overdue));
    }
    return texts.join(" ");
  }

  function refreshList() {
    const form = $("#queue-list form.filters");
    if (!form || !window.htmx) return;
    const params = new URLSearchParams(new FormData(form));
    params.set("part", "list");
    const page = new URLSearchParams(location.search).get("page");
    if (page) params.set("page", page);
    window.htmx.ajax("GET", `${form.getAttribute("action")}?${params}`, { target: "#queue-list", swap: "outerHTML" });
  }

  function afterCounts(tabs) {
    const after = countsOf(tabs);
    setTitle();
    if (lastCounts) {
      const text = describeChanges(lastCounts, after);
      const busy = selectionCount() > 0 || typing(document.activeElement);
      const box = $("#live-notice");
      if (busy) notify([text, box && box.dataset.refreshText].filter(Boolean).join(" "));
      else {
        notify(text);
        refreshList();
      }
    }
    lastCounts = after;
  }

  // ---- the ticket page ----------------------------------------------------------------------------------------------
  function firstField(form) {
    return $$("input:not([type=hidden]):not([disabled]), select, textarea", form)
      .find((f) => f.offsetParent !== null) || null;
  }

  function openAction(details, focusButton) {
    details.open = true;
    const form = $("form", details);
    const target = focusButton ? $("[data-submit]", details) : (firstField(form) || $("[data-submit]", details));
    if (target) target.focus();
    details.scrollIntoView({ block: "nearest" });
  }

  function focusTicket() {
    const body = $("#ticket-body");
    if (!body || window.matchMedia("(pointer: coarse)").matches) return; // no keyboard popping up on a phone
    const wrong = $(".action-form .has-error input, .action-form .has-error select, .action-form .has-error textarea", body);
    if (wrong) { wrong.focus(); return; }
    const primary = $(".action-form.primary[open]", body);
    if (!primary) return;
    if (primary.hasAttribute("data-ready")) $("[data-submit]", primary).focus();
    else openAction(primary, false);
  }

  function neighbour(step) {
    const saved = JSON.parse(sessionStorage.getItem(QUEUE_KEY) || "null");
    const body = $("#ticket-body");
    if (!saved || !body) return null;
    const at = saved.numbers.indexOf(body.dataset.number);
    const next = saved.numbers[at + step];
    return at >= 0 && next ? next : null;
  }

  function go(number) {
    const body = $("#ticket-body");
    if (number && body) location.href = body.dataset.urlPattern.replace("NUMBER", encodeURIComponent(number));
  }

  function offerNext() {
    const done = $("#ticket-body .alert-success");
    const next = neighbour(1);
    if (!done || !next || $("[data-next]", done)) return;
    const link = document.createElement("a");
    link.href = $("#ticket-body").dataset.urlPattern.replace("NUMBER", encodeURIComponent(next));
    link.dataset.next = "1";
    link.className = "next-link";
    link.textContent = `${done.dataset.nextText || "→"} ${next} (n)`;
    done.append(" ", link);
  }

  function back() {
    const saved = JSON.parse(sessionStorage.getItem(QUEUE_KEY) || "null");
    const body = $("#ticket-body");
    location.href = saved ? saved.back : (body && body.dataset.deskUrl) || "/";
  }

  // ---- keys ---------------------------------------------------------------------------------------------------------
  function toggleHelp() {
    const help = $("#keys-help");
    if (!help) return;
    if (help.open) help.close();
    else help.showModal();
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-keys-help]")) toggleHelp();
    if (event.target.closest("[data-back]") && sessionStorage.getItem(QUEUE_KEY)) { event.preventDefault(); back(); }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey && event.key === "Enter" && event.target.tagName === "TEXTAREA" && event.target.form) {
      event.preventDefault();
      event.target.form.requestSubmit();
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const key = event.key;
    if (key === "?") { event.preventDefault(); toggleHelp(); return; }
    if ($("#keys-help") && $("#keys-help").open) return;
    if ($("#desk-queues")) deskKey(event, key);
    else if ($("#ticket-body")) ticketKey(event, key);
  });

  function deskKey(event, key) {
    const handled = {
      j: () => move(1), k: () => move(-1), x: toggleCurrent, r: refreshList,
      "/": () => { const q = $("#f-q"); if (q) q.focus(); },
      Enter: () => { const row = currentRow(); if (row && document.activeElement === document.body) location.href = row.dataset.href; },
      D: () => { const form = $("#bulk-form"); if (form && selectionCount()) form.requestSubmit(); },
    }[key];
    if (handled) {
      if (key !== "Enter" || document.activeElement === document.body) event.preventDefault();
      handled();
      return;
    }
    const tab = /^[1-9]$/.test(key) && $(`#queue-tabs .queue-tab[data-key="${key}"]`);
    if (tab) { event.preventDefault(); tab.click(); }
  }

  function ticketKey(event, key) {
    if (key === "n" || key === "p") { event.preventDefault(); go(neighbour(key === "n" ? 1 : -1)); return; }
    if (key === "q") { event.preventDefault(); back(); return; }
    const details = $(`#ticket-body .action-form[data-key="${key}"]`);
    if (details) { event.preventDefault(); openAction(details, details.hasAttribute("data-ready")); }
  }

  // ---- after swaps ----------------------------------------------------------------------------------------------------
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    const path = (event.detail.pathInfo && event.detail.pathInfo.requestPath) || "";
    if (!target) return;
    if (/\/counts\/(\?|$)/.test(path) && $("#queue-tabs")) afterCounts($("#queue-tabs"));
    else if ($("#queue-tabs")) { lastCounts = countsOf($("#queue-tabs")); setTitle(); }
    if (target.id === "queue-list" || target.id === "desk-queues" || $("#queue-list", target) || !document.contains(target)) restoreList();
    if (target.id === "ticket-body" || $("#ticket-body", target)) { focusTicket(); offerNext(); }
  });

  document.addEventListener("DOMContentLoaded", () => {
    if ($("#desk-queues")) {
      lastCounts = countsOf($("#queue-tabs"));
      setTitle();
      restoreList();
      if (rows().length && !currentNumber) markCurrent(rows()[0], !$("#f-q").value);
    }
    if ($("#ticket-body")) focusTicket();
  });
})();
