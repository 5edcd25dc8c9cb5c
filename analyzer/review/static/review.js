// analyzer review: keyboard-driven decisions. No framework, no external assets.
// Decisions go to the JSON API with the session's CSRF token in the X-CSRF-Token header.
(function () {
  "use strict";
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const items = Array.from(document.querySelectorAll(".item"));
  const changeDialog = document.getElementById("change-dialog");
  const addDialog = document.getElementById("add-dialog");
  let current = -1;
  let addTarget = null;

  function select(index) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach((el, i) => el.classList.toggle("current", i === current));
    items[current].scrollIntoView({ block: "nearest" });
  }

  function currentItem() { return current >= 0 ? items[current] : null; }

  function toast(message) {
    const el = document.createElement("div");
    el.className = "toast";
    el.setAttribute("role", "status");
    el.textContent = message;
    document.body.appendChild(el);
    setTimeout(() => el.remove(), 2500);
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
    return data;
  }

  function showDecision(item, data, label) {
    const badge = item.querySelector('[data-role="status"]');
    badge.className = "badge status status-" + data.status;
    badge.textContent = data.status + (data.status === "changed" ? " → " + data.final_category : "");
    const history = item.querySelector('[data-role="history"]');
    const li = document.createElement("li");
    li.textContent = data.reviewer + " " + label + " (just now)";
    history.appendChild(li);
    item.querySelector(".comment").value = "";
  }

  async function decide(item, action, category, comment) {
    if (!item) return;
    const body = { action: action, category: category || null,
                   comment: comment !== undefined ? comment : item.querySelector(".comment").value };
    try {
      const data = await post("/api/findings/" + item.dataset.finding + "/decision", body);
      showDecision(item, data, action + (category ? " → " + category : ""));
      toast("Finding " + item.dataset.finding + ": " + data.status);
      select(items.indexOf(item) + 1);
    } catch (error) { toast("Not saved: " + error.message); }
  }

  function openChange(item) {
    if (!item) return;
    const select_ = document.getElementById("change-category");
    const other = Array.from(select_.options).find((o) => o.value !== item.dataset.category);
    if (other) select_.value = other.value;
    document.getElementById("change-comment").value = item.querySelector(".comment").value;
    changeDialog.showModal();
    select_.focus();
  }

  function turnsFor(item) {
    const scope = item && item.closest("#queue") ? item : document;
    return Array.from(scope.querySelectorAll(".turn[data-turn]"));
  }

  function openAdd(item) {
    const selection = window.getSelection();
    const text = selection ? selection.toString().trim() : "";
    let turnEl = null;
    if (text && selection.anchorNode) {
      const node = selection.anchorNode.nodeType === 1 ? selection.anchorNode : selection.anchorNode.parentElement;
      turnEl = node.closest(".turn[data-turn]");
    }
    const source = turnEl ? (turnEl.closest(".item") || turnEl) : item;
    const conversation = (source && source.dataset.conversation) || (item && item.dataset.conversation)
      || (document.querySelector(".item") || {}).dataset?.conversation || document.body.dataset.conversation;
    if (!conversation) return;
    addTarget = conversation;
    const turnSelect = document.getElementById("add-turn");
    turnSelect.innerHTML = "";
    const seen = new Set();
    turnsFor(turnEl && turnEl.closest("#queue") ? turnEl.closest(".item") : item).forEach((el) => {
      if (seen.has(el.dataset.turn)) return;
      seen.add(el.dataset.turn);
      const option = document.createElement("option");
      option.value = el.dataset.turn;
      option.textContent = el.querySelector(".who").textContent.trim();
      turnSelect.appendChild(option);
    });
    if (turnEl) turnSelect.value = turnEl.dataset.turn;
    else if (item && item.querySelector(".turn.focus")) turnSelect.value = item.querySelector(".turn.focus").dataset.turn;
    document.getElementById("add-text").value = text;
    document.getElementById("add-comment").value = "";
    document.getElementById("add-error").textContent = "";
    addDialog.showModal();
    document.getElementById("add-category").focus();
  }

  async function submitAdd() {
    const body = {
      turn: parseInt(document.getElementById("add-turn").value, 10),
      category: document.getElementById("add-category").value,
      text: document.getElementById("add-text").value,
      comment: document.getElementById("add-comment").value,
    };
    try {
      const data = await post("/api/conversations/" + addTarget + "/findings", body);
      addDialog.close();
      toast("Added finding " + data.id + " (" + data.category + ")");
    } catch (error) { document.getElementById("add-error").textContent = error.message; }
  }

  if (changeDialog) {
    document.getElementById("change-ok").addEventListener("click", (event) => {
      event.preventDefault();
      changeDialog.close();
      decide(currentItem(), "change", document.getElementById("change-category").value,
             document.getElementById("change-comment").value);
    });
    document.getElementById("add-ok").addEventListener("click", (event) => { event.preventDefault(); submitAdd(); });
    document.querySelectorAll("dialog .cancel").forEach((b) => b.addEventListener("click", () => b.closest("dialog").close()));
  }

  items.forEach((item, index) => {
    item.addEventListener("click", () => { if (current !== index) select(index); });
    item.querySelectorAll("button[data-action]").forEach((button) => {
      button.addEventListener("click", (event) => {
        event.stopPropagation();
        select(index);
        const action = button.dataset.action;
        if (action === "change") openChange(item);
        else if (action === "add") openAdd(item);
        else decide(item, action);
      });
    });
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = (event.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || document.querySelector("dialog[open]")) return;
    const keys = {
      j: () => select(current + 1), n: () => select(current + 1),
      k: () => select(current - 1), p: () => select(current - 1),
      a: () => decide(currentItem(), "accept"), r: () => decide(currentItem(), "reject"),
      c: () => openChange(currentItem()), m: () => openAdd(currentItem()),
    };
    const handler = keys[event.key];
    if (handler) { event.preventDefault(); handler(); }
  });

  if (items.length && document.getElementById("queue")) select(0);
})();
