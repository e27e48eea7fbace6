/* The hotline's call screen: a running timer, keyboard shortcuts, topics by keyboard,
   people picked from a search as you type, and a draft kept both on the server
   (htmx autosave) and in this browser (localStorage), so a refresh, a closed tab or
   a dropped connection loses nothing. Plain JS, no dependencies besides htmx. */
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function fold(s) {
    return (s || "").toLowerCase().replace(/đ/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }
  function pad(n) { return n < 10 ? "0" + n : String(n); }

  /* The server's clock minus ours, so the timer and draft times agree with the server. */
  var skewMs = 0;
  var nowEl = document.querySelector("[data-server-now]");
  if (nowEl) { skewMs = Number(nowEl.getAttribute("data-server-now")) * 1000 - Date.now(); }
  function serverNow() { return Date.now() + skewMs; }

  /* Timer ---------------------------------------------------------------- */
  function tick() {
    $all("[data-call-timer]").forEach(function (el) {
      var start = Number(el.getAttribute("data-started")) * 1000;
      if (!start) { return; }
      var s = Math.max(0, Math.floor((serverNow() - start) / 1000));
      var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
      el.textContent = (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s % 60);
    });
  }
  if ($("[data-call-timer]")) { tick(); window.setInterval(tick, 1000); }

  /* Keyboard shortcuts (Alt+letter; also accesskeys for browsers without JS) */
  var CLICK = { KeyS: "#btn-save", KeyX: "#btn-end", KeyN: "#btn-new" };
  var FOCUS = { KeyT: "#person-q", KeyC: "#topic-filter", KeyO: "#id_summary", KeyG: "#id_caller_name" };
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey) { return; }
    var target = null;
    if (e.code === "KeyK") {
      var type = $("#id_case_type");
      if (type && !type.value) { type.focus(); type.scrollIntoView({ block: "center" }); e.preventDefault(); return; }
      target = $("#btn-open-case");
      if (target) { e.preventDefault(); target.click(); return; }
      var panel = $("#case-panel");
      if (panel) { panel.scrollIntoView({ block: "center" }); e.preventDefault(); }
      return;
    }
    if (CLICK[e.code] && (target = $(CLICK[e.code]))) { e.preventDefault(); target.click(); return; }
    if (FOCUS[e.code] && (target = $(FOCUS[e.code]))) {
      e.preventDefault();
      target.focus();
      if (target.select && target.type !== "textarea") { target.select(); }
    }
  });

  var form = $("#call-form");
  if (!form) {
    /* Pages after a call ended: forget the copy kept in this browser. */
    $all("[data-call-finished]").forEach(function (el) {
      try {
        window.localStorage.removeItem("ctxh:call:" + el.getAttribute("data-user-id") + ":" + el.getAttribute("data-call-finished"));
      } catch (err) { /* storage unavailable: nothing to forget */ }
    });
    return;
  }
  var live = form.getAttribute("data-live") === "1";

  function whenHtmxListens(fn) {
    // htmx wires its triggers on DOMContentLoaded, after this deferred script has run.
    var later = function () { window.setTimeout(fn, 0); };
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", later); } else { later(); }
  }

  function changed() {
    // One synthetic event: htmx's autosave listens for "change" on the form.
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  /* Topics: type a number (4.2) or a few letters, Enter ticks the match --- */
  var filter = $("#topic-filter");
  var topicLabels = $all("#topic-list label.topic");
  var chosen = $("#topics-chosen");
  var firstMatch = null;

  function topicMatches(label, q) {
    if (!q) { return true; }
    var number = label.getAttribute("data-number") || "";
    if (/^[0-9.]+$/.test(q)) { return number === q || number.indexOf(q + ".") === 0 || number.indexOf(q) === 0; }
    var name = fold(label.getAttribute("data-name"));
    return q.split(" ").every(function (w) { return name.indexOf(w) >= 0; });
  }
  function applyTopicFilter() {
    var q = fold(filter ? filter.value : "");
    firstMatch = null;
    var exact = null;
    topicLabels.forEach(function (label) {
      var ok = topicMatches(label, q);
      label.parentNode.hidden = false;
      label.setAttribute("data-match", ok ? "1" : "0");
      if (q && (label.getAttribute("data-number") || "") === q) { exact = label; }
    });
    $all("#topic-list > li").forEach(function (li) {
      var top = $("label.topic", li);
      var kids = $all("ul label.topic", li);
      var anyKid = kids.some(function (k) { return k.getAttribute("data-match") === "1"; });
      var topOk = top.getAttribute("data-match") === "1";
      li.hidden = !(topOk || anyKid);
      kids.forEach(function (k) {
        // A matching parent shows its sub-topics too, so "4" lists the four forms of abuse.
        k.parentNode.hidden = !(k.getAttribute("data-match") === "1" || (q && topOk));
      });
      if (!firstMatch && !li.hidden) {
        firstMatch = topOk ? top : kids.filter(function (k) { return !k.parentNode.hidden; })[0];
      }
    });
    if (exact) { firstMatch = exact; }
    topicLabels.forEach(function (l) { l.classList.toggle("first-match", !!q && l === firstMatch); });
  }
  function updateChosen() {
    if (!chosen) { return; }
    var names = topicLabels.filter(function (l) { return $("input", l).checked; })
      .map(function (l) { return l.textContent.trim(); });
    chosen.textContent = names.length ? "✓ " + names.join("; ") : "";
  }
  function visibleTopicBoxes() {
    return topicLabels.filter(function (l) {
      return !l.parentNode.hidden && !(l.closest("#topic-list > li") || {}).hidden;
    }).map(function (l) { return $("input", l); });
  }
  if (filter) {
    filter.addEventListener("input", function (e) {
      e.stopPropagation(); // typing into the filter is not part of the call: no autosave
      applyTopicFilter();
    });
    filter.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        if (firstMatch && filter.value.trim()) {
          var box = $("input", firstMatch);
          box.checked = !box.checked;
          filter.value = "";
          applyTopicFilter();
          updateChosen();
          changed();
        }
      } else if (e.key === "Escape") {
        filter.value = ""; applyTopicFilter();
      } else if (e.key === "ArrowDown") {
        var boxes = visibleTopicBoxes();
        if (boxes.length) { e.preventDefault(); boxes[0].focus(); }
      }
    });
  }
  $all("#topic-list input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", updateChosen);
    box.addEventListener("keydown", function (e) {
      var boxes = visibleTopicBoxes(), i = boxes.indexOf(box);
      if (e.key === "ArrowDown" && i < boxes.length - 1) { e.preventDefault(); boxes[i + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? boxes[i - 1] : filter).focus(); }
      else if (e.key === "Escape" && filter) { e.preventDefault(); filter.focus(); }
      else if (e.key === "Enter") { e.preventDefault(); box.checked = !box.checked; updateChosen(); changed(); }
    });
  });
  updateChosen();

  /* People: the search box adds people the call is about, or names the caller - */
  var subjectList = $("#subject-list");
  var rowTemplate = $("#subject-row-template");
  var search = $("#person-q");

  function subjectRows() { return $all("#subject-list li.subject-row"); }
  function syncCasePersons() {
    var select = $("#id_case_person");
    var none = $("#no-subjects");
    var rows = subjectRows();
    if (none) { none.hidden = rows.length > 0; }
    if (!select) { return; }
    var keep = select.value || select.getAttribute("data-selected");
    select.textContent = "";
    rows.forEach(function (li) {
      var opt = document.createElement("option");
      opt.value = li.getAttribute("data-person");
      opt.textContent = $(".subject-name b", li).textContent;
      if (opt.value === keep) { opt.selected = true; }
      select.appendChild(opt);
    });
    if (!rows.length) {
      var empty = document.createElement("option");
      empty.value = "";
      empty.textContent = "—";
      select.appendChild(empty);
    }
  }
  function addSubject(p, role) {
    var existing = subjectRows().filter(function (li) { return li.getAttribute("data-person") === p.id; })[0];
    if (existing) { $("select", existing).focus(); return existing; }
    var li = rowTemplate.content.firstElementChild.cloneNode(true);
    li.setAttribute("data-person", p.id);
    $("input[name=subject]", li).value = p.id;
    $(".subject-name b", li).textContent = p.name;
    $(".subject-name .muted", li).textContent = p.detail || "";
    if (role) { $("select", li).value = role; }
    subjectList.appendChild(li);
    syncCasePersons();
    return li;
  }
  function setCaller(p) {
    var input = $("#id_caller");
    var box = $("#caller-chosen");
    var anon = $("#id_caller_anonymous");
    if (!input || !box) { return; }
    input.value = p ? p.id : "";
    box.textContent = "";
    if (p) {
      if (anon) { anon.checked = false; }
      var b = document.createElement("b"); b.textContent = p.name;
      var d = document.createElement("span"); d.className = "muted"; d.textContent = " " + (p.detail || "") + " ";
      var clear = document.createElement("button");
      clear.type = "button"; clear.className = "link"; clear.setAttribute("data-clear-caller", "");
      clear.textContent = box.getAttribute("data-clear-label") || "Bỏ";
      box.appendChild(b); box.appendChild(d); box.appendChild(clear);
      box.setAttribute("data-name", p.name); box.setAttribute("data-detail", p.detail || "");
    } else {
      box.removeAttribute("data-name");
    }
  }
  function personFrom(el) {
    return { id: el.getAttribute("data-call-pick"), name: el.getAttribute("data-name"),
             detail: el.getAttribute("data-detail"), as: el.getAttribute("data-as") };
  }
  function pick(el) {
    var p = personFrom(el);
    if (p.as === "caller") { setCaller(p); } else { addSubject(p); }
    if (search) {
      search.value = "";
      var results = $("#person-results");
      if (results) { results.textContent = ""; }
      search.focus();
    }
    changed();
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest("[data-call-pick]");
    if (a) { e.preventDefault(); pick(a); return; }
    var remove = e.target.closest("[data-remove-subject]");
    if (remove) {
      e.preventDefault();
      remove.closest("li").remove();
      syncCasePersons();
      if (search) { search.focus(); }
      changed();
      return;
    }
    if (e.target.closest("[data-clear-caller]")) { e.preventDefault(); setCaller(null); changed(); }
  });
  if (search) {
    search.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") { return; }
      e.preventDefault(); // never submit the call from the search box
      var first = $("#person-results [data-call-pick][data-as=subject]");
      if (first) { pick(first); }
    });
  }
  // A person registered mid-call joins the call at once.
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (!e.detail || !e.detail.target || e.detail.target.id !== "quick-result") { return; }
    var added = $("[data-call-added]", e.detail.target);
    if (!added) { return; }
    $all("#quick-register input[type=text]").forEach(function (i) { i.value = ""; });
    var details = $("#quick-register");
    if (details) { details.open = false; }
    pick(added);
  });
  syncCasePersons();

  if (!live) { return; }

  /* The draft kept in this browser -------------------------------------------- */
  var KEY = "ctxh:call:" + form.getAttribute("data-user-id") + ":" + form.getAttribute("data-call-id");
  var status = $("#draft-status");
  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (err) { return null; }
  }
  function store(obj) {
    try { window.localStorage.setItem(KEY, JSON.stringify(obj)); } catch (err) { /* full or disabled */ }
  }
  function snapshot() {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") { fields.push([name, String(value)]); }
    });
    var people = {};
    subjectRows().forEach(function (li) {
      people[li.getAttribute("data-person")] = {
        name: $(".subject-name b", li).textContent, detail: $(".subject-name .muted", li).textContent };
    });
    var callerBox = $("#caller-chosen");
    var caller = callerBox && callerBox.getAttribute("data-name")
      ? { name: callerBox.getAttribute("data-name"), detail: callerBox.getAttribute("data-detail") } : null;
    return { fields: fields, people: people, caller: caller };
  }
  function remember() {
    var prev = load() || {};
    var snap = snapshot();
    snap.changedAt = serverNow();
    snap.ackAt = prev.ackAt || 0;
    snap.pending = true;
    store(snap);
  }
  function setStatus(text, bad) {
    if (!status) { return; }
    status.textContent = "";
    var span = document.createElement("span");
    if (bad) { span.className = "draft-bad"; }
    span.textContent = text;
    status.appendChild(span);
  }
  function restore(saved) {
    var byName = {};
    saved.fields.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    subjectRows().forEach(function (li) { li.remove(); });
    (byName.subject || []).forEach(function (id, i) {
      var meta = saved.people[id];
      if (meta) { addSubject({ id: id, name: meta.name, detail: meta.detail }, (byName.subject_role || [])[i]); }
    });
    $all("input, select, textarea", form).forEach(function (el) {
      var name = el.name;
      if (!name || name === "csrfmiddlewaretoken" || name === "version" || name === "subject" || name === "subject_role") { return; }
      var values = byName[name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) >= 0;
      } else if (el.type !== "hidden" || name === "caller") {
        el.value = values.length ? values[0] : "";
      }
    });
    var callerId = (byName.caller || [""])[0];
    if (callerId && saved.caller) { setCaller({ id: callerId, name: saved.caller.name, detail: saved.caller.detail }); }
    else if (!callerId) { setCaller(null); }
    syncCasePersons();
    updateChosen();
  }

  var saved = load();
  var serverSaved = Number(form.getAttribute("data-server-saved") || 0) * 1000;
  var version = ($("input[name=version]", form) || {}).value;
  var versionOf = function (snap) {
    var v = (snap.fields || []).filter(function (p) { return p[0] === "version"; })[0];
    return v ? v[1] : null;
  };
  var submittedFine = saved && saved.submittedAt && saved.submittedAt >= saved.changedAt && versionOf(saved) !== version;
  if (form.getAttribute("data-bound") !== "1" && saved && saved.pending && saved.changedAt > serverSaved && !submittedFine) {
    restore(saved);
    setStatus(status ? status.getAttribute("data-restored-label") || "Đã khôi phục nội dung chưa kịp gửi từ máy này." : "");
    whenHtmxListens(changed);
  } else {
    var snap = snapshot();
    snap.changedAt = serverNow(); snap.ackAt = serverNow(); snap.pending = false;
    store(snap);
    // A refused save shows what was posted: keep that as the draft too.
    if (form.getAttribute("data-bound") === "1") { whenHtmxListens(changed); }
  }

  form.addEventListener("input", remember);
  form.addEventListener("change", remember);
  form.addEventListener("submit", function () {
    var snap = load() || snapshot();
    snap.submittedAt = serverNow();
    store(snap);
  });

  /* Server autosave bookkeeping (the request itself is htmx's, see #draft-status) */
  var sentAt = 0;
  document.body.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.elt === status) { sentAt = serverNow(); }
  });
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.elt !== status) { return; }
    var xhr = e.detail.xhr;
    // A login page after the session ended is not a saved draft.
    if (xhr && xhr.status === 200 && xhr.responseText.indexOf("data-draft-ok") < 0) {
      e.detail.shouldSwap = false;
      setStatus(status.getAttribute("data-login-label") || "Phiên đăng nhập đã hết: nội dung vẫn giữ trên máy này.", true);
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.elt !== status) { return; }
    var xhr = e.detail.xhr;
    if (e.detail.successful && xhr && xhr.responseText.indexOf("data-draft-ok") >= 0) {
      var snap = load() || {};
      snap.ackAt = sentAt;
      snap.pending = (snap.changedAt || 0) > sentAt;
      store(snap);
    } else if (e.detail.failed && xhr && xhr.status) {
      setStatus((status.getAttribute("data-error-label") || "Máy chủ chưa nhận bản nháp") + " (" + xhr.status + ").", true);
    }
  });
  document.body.addEventListener("htmx:sendError", function (e) {
    if (e.detail.elt !== status) { return; }
    setStatus(status.getAttribute("data-offline-label") || "Mất kết nối: nội dung được giữ trên máy này và sẽ gửi lại khi có mạng.", true);
  });
  window.addEventListener("online", changed);

  /* Closing the tab: send what the server has not acknowledged yet. */
  function flush() {
    var snap = load();
    if (!snap || !snap.pending || !navigator.sendBeacon) { return; }
    if (snap.submittedAt && snap.submittedAt >= snap.changedAt) { return; } // the form itself carries it
    navigator.sendBeacon(form.getAttribute("data-draft-url"), new FormData(form));
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
  });
})();
