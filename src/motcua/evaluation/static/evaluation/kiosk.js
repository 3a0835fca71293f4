/* The satisfaction kiosk at a desk counter (issue 13).
 *
 * Every answer gets an id made here and goes into a queue kept in
 * localStorage before anything is sent; the queue is sent in order, and an
 * answer leaves it only when the server has answered (recorded now or before:
 * the id makes a resend count once) or refused it for good. A lost connection
 * or a server error keeps it queued until the next try (every few seconds and
 * when the browser says it is back online). The page polls the server for the
 * officer on duty and for a dossier the officer asks to be rated, and returns
 * to its start a few seconds after each answer. No inline script (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  if (!root || !window.fetch || !window.localStorage) { return; }

  var data = root.dataset;
  var KEY = "motcua.kiosk.queue." + data.counter;
  var RESET_MS = (parseInt(data.reset, 10) || 6) * 1000;
  var IDLE_MS = 90 * 1000;
  var form = document.getElementById("kiosk-form");
  var thanks = document.getElementById("kiosk-thanks");
  var queueNote = document.getElementById("kiosk-queue");
  var officer = document.getElementById("kiosk-officer");
  var dossierBox = document.getElementById("kiosk-dossier");
  var tokenInput = document.getElementById("kiosk-dossier-token");
  var scanForm = document.getElementById("kiosk-scan-form");
  var scanInput = document.getElementById("kiosk-scan");
  var scanError = document.getElementById("kiosk-scan-error");
  var rated = {};  // dossier tokens answered here (the server may not know yet)
  var sending = false;
  var resetTimer = null;
  var idleTimer = null;

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]") || []; }
    catch (e) { return []; }
  }

  function save(queue) {
    localStorage.setItem(KEY, JSON.stringify(queue));
    showQueue(queue);
  }

  function showQueue(queue) {
    queueNote.textContent = queue.length ? data.msgQueued.replace("{n}", queue.length) : "";
    root.setAttribute("data-queued", String(queue.length));
  }

  function drop(clientId) {
    save(load().filter(function (v) { return v.client_id !== clientId; }));
  }

  // The CSRF cookie when readable (it may have been renewed since the page
  // was drawn, e.g. after an officer signed in on the tablet), else the page's.
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : data.csrf;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    });
  }

  // Refused for good: the answer can never be recorded (bad, already rated).
  function final(status) {
    return status >= 400 && status < 500 && [403, 408, 429].indexOf(status) < 0;
  }

  function flush() {
    var queue = load();
    if (sending || !queue.length) { showQueue(queue); return; }
    sending = true;
    var vote = queue[0];
    post(data.voteUrl, vote).then(function (response) {
      sending = false;
      if (response.ok || final(response.status)) {
        drop(vote.client_id);
        flush();
      }
    }, function () { sending = false; });
  }

  function clearDossier() {
    tokenInput.value = "";
    dossierBox.hidden = true;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]"), function (i) {
      i.checked = false;
    });
  }

  function showDossier(card) {
    if (!card || rated[card.token] || tokenInput.value === card.token) { return; }
    tokenInput.value = card.token;
    document.getElementById("kiosk-dossier-code").textContent = card.code;
    document.getElementById("kiosk-dossier-procedure").textContent = card.procedure;
    dossierBox.hidden = false;
    touch();
  }

  function touch() {
    window.clearTimeout(idleTimer);
    if (tokenInput.value) { idleTimer = window.setTimeout(clearDossier, IDLE_MS); }
  }

  function reset() {
    clearDossier();
    thanks.hidden = true;
    form.hidden = false;
    scanError.textContent = "";
  }

  function answers() {
    var result = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]:checked"), function (i) {
      if (i.dataset.question) { result[i.dataset.question] = parseInt(i.value, 10); }
    });
    return result;
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.value) { return; }  // no level: let the form say so
    event.preventDefault();
    var token = tokenInput.value;
    var vote = {
      client_id: newId(),
      level: button.value,
      cast_at: new Date().toISOString(),
      dossier_token: token,
      answers: token ? answers() : {}
    };
    if (token) { rated[token] = true; }
    var queue = load();
    queue.push(vote);
    save(queue);
    form.hidden = true;
    thanks.hidden = false;
    window.clearTimeout(resetTimer);
    resetTimer = window.setTimeout(reset, RESET_MS);
    flush();
  });

  form.addEventListener("change", touch);

  function poll() {
    if (!thanks.hidden) { return; }
    fetch(data.stateUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        officer.textContent = "";
        if (state.officer) {
          officer.append(data.msgOfficer + " ");
          var strong = document.createElement("strong");
          strong.textContent = state.officer;
          officer.append(strong);
        } else {
          officer.textContent = data.msgNoOfficer;
        }
        if (state.dossier) { showDossier(state.dossier); }
      }, function () { /* offline: try again later */ });
  }

  scanForm.hidden = false;
  scanForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = scanInput.value;
    scanInput.value = "";
    scanError.textContent = "";
    post(data.scanUrl, { text: text }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) { reset(); showDossier(body); }
        else { scanError.textContent = body.message || data.msgScanFailed; }
      });
    }, function () { scanError.textContent = data.msgScanFailed; });
  });

  window.addEventListener("online", flush);
  window.setInterval(flush, 5000);
  window.setInterval(poll, 4000);
  if (!thanks.hidden) { resetTimer = window.setTimeout(reset, RESET_MS); }
  touch();
  flush();
})();
