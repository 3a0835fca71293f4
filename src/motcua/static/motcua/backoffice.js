/* MotCua back office: small progressive enhancements. Every page works without
   this file; it adds live procedure search, the live due date, applicant
   lookup, file previews with drag and drop, PDF previews, and guards against
   double submission. Vanilla JS, no dependencies. */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  function getJSON(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onload = function () {
      if (xhr.status === 200) { try { done(JSON.parse(xhr.responseText)); } catch (e) { /* ignore */ } }
    };
    xhr.send();
  }

  // Live procedure search (accent-insensitive on the server).
  function procedureSearch() {
    var input = $("procedure-search"), list = $("procedure-results");
    if (!input || !list) { return; }
    var url = input.form.getAttribute("data-json"), timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2) { return; }
        getJSON(url + "?q=" + encodeURIComponent(q), function (data) {
          list.innerHTML = "";
          data.results.forEach(function (r) {
            var li = document.createElement("li"), a = document.createElement("a"), s = document.createElement("span");
            a.href = r.url; a.className = "result-list__link"; a.textContent = r.name;
            s.className = "muted"; s.textContent = " " + r.code + " · " + r.field;
            li.appendChild(a); li.appendChild(s); list.appendChild(li);
          });
          if (!data.results.length) {
            var li = document.createElement("li"); li.className = "muted";
            li.textContent = list.getAttribute("data-empty") || "—"; list.appendChild(li);
          }
        });
      }, 200);
    });
    // Arrow down from the box moves into the results (keyboard users).
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var first = list.querySelector("a");
        if (first) { e.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (i < 0) { return; }
      if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i ? links[i - 1] : input).focus(); }
    });
  }

  // The due date if received now, refreshed every minute.
  function liveDue() {
    var out = $("due-preview");
    if (!out) { return; }
    var url = out.getAttribute("data-json");
    function refresh() { getJSON(url, function (d) { if (d.text) { out.textContent = d.text; } }); }
    setInterval(refresh, 60000);
  }

  // Returning applicant by ID number (this agency only): fill the fields in
  // place for the officer to check. POST, so the ID number stays out of URLs
  // and access logs; nothing is saved by the look-up.
  function applicantLookup() {
    var button = $("applicant-lookup"), idInput = $("id_id_number"), status = $("applicant-lookup-status");
    if (!button || !idInput) { return; }
    button.addEventListener("click", function (e) {
      var value = idInput.value.trim();
      if (!value) { return; }
      e.preventDefault();
      var body = new FormData(), csrf = button.form.querySelector("input[name='csrfmiddlewaretoken']");
      body.append("id_number", value);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", button.getAttribute("data-json"));
      xhr.setRequestHeader("Accept", "application/json");
      if (csrf) { xhr.setRequestHeader("X-CSRFToken", csrf.value); }
      xhr.onload = function () {
        var d;
        if (xhr.status !== 200) { return; }
        try { d = JSON.parse(xhr.responseText); } catch (err) { return; }
        if (!d.found) { status.textContent = status.getAttribute("data-none") || "Chưa có người nộp với số định danh này tại cơ quan; nhập mới."; return; }
        ["name", "kind", "id_kind", "id_number", "birth_date", "phone", "email", "address"].forEach(function (k) {
          var f = $("id_" + k); if (f && d[k]) { f.value = d[k]; }
        });
        status.textContent = (status.getAttribute("data-found") || "Đã điền thông tin người nộp: ") + d.name;
        var name = $("id_name"); if (name) { name.focus(); }
      };
      xhr.send(body);
    });
  }

  // Scans: previews, drag and drop, size/type check before sending.
  function scans() {
    var input = $("scan-files"), list = $("scan-previews"), zone = $("dropzone");
    if (!input || !list) { return; }
    var max = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
    var ok = /^(application\/pdf|image\/jpeg|image\/png)$/;
    function show() {
      list.innerHTML = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var li = document.createElement("li"); li.className = "preview";
        if (/^image\//.test(file.type)) {
          var img = document.createElement("img"); img.className = "preview__img";
          img.alt = file.name; img.src = URL.createObjectURL(file); li.appendChild(img);
        }
        var name = document.createElement("span");
        name.textContent = (file.type === "application/pdf" ? "📄 " : "") + file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
        li.appendChild(name);
        if (!ok.test(file.type) || (max && file.size > max)) {
          li.className += " preview--error";
          name.textContent += " — không nhận (chỉ PDF/JPEG/PNG, dưới giới hạn dung lượng)";
        }
        list.appendChild(li);
      });
    }
    input.addEventListener("change", show);
    if (zone) {
      ["dragenter", "dragover"].forEach(function (t) {
        zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("is-over"); });
      });
      ["dragleave", "drop"].forEach(function (t) {
        zone.addEventListener(t, function () { zone.classList.remove("is-over"); });
      });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        if (e.dataTransfer && e.dataTransfer.files.length) {
          var merged = new DataTransfer();
          Array.prototype.forEach.call(input.files, function (f) { merged.items.add(f); });
          Array.prototype.forEach.call(e.dataTransfer.files, function (f) { merged.items.add(f); });
          input.files = merged.files; show();
        }
      });
    }
  }

  // PDF previews open when their <details> opens (no loading until asked).
  function pdfPreviews() {
    Array.prototype.forEach.call(document.querySelectorAll("details.pdf-preview"), function (d) {
      d.addEventListener("toggle", function () {
        if (d.open && !d.querySelector("iframe")) {
          var f = document.createElement("iframe");
          f.src = d.getAttribute("data-src"); f.title = d.querySelector("summary").textContent;
          d.appendChild(f);
        }
      });
    });
  }

  // One click, one action: disable a form's buttons once it is sent.
  function noDoubleSubmit() {
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (form.method && form.method.toLowerCase() !== "post") { return; }
      if (form.getAttribute("data-sent")) { e.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = true; });
      }, 0);
    });
  }

  // Show the first error to keyboard and screen-reader users.
  function focusError() {
    var err = $("action-error") || $("form-errors");
    if (err) { err.setAttribute("tabindex", "-1"); err.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    procedureSearch(); liveDue(); applicantLookup(); scans(); pdfPreviews(); noDoubleSubmit(); focusError();
  });
})();
