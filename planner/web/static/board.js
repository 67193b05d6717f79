// The planning board without reloads: a drag and drop, the move form, pin, undo and reset
// are sent with fetch; the board is then redrawn in place from a fresh copy of the page,
// where the organiser was, and what happened is said in the status line that stays in view.
// Without JavaScript the same forms work by hand, so nothing here is required.
(function () {
  "use strict";
  var live = document.getElementById("board-live");
  var status = document.getElementById("board-status");
  if (!live || !status || !window.fetch) { return; }

  function say(lines, bad) {
    status.textContent = "";
    lines.filter(Boolean).forEach(function (line) {
      var paragraph = document.createElement("p");
      paragraph.textContent = line;
      status.appendChild(paragraph);
    });
    status.classList.toggle("error", !!bad);
    status.hidden = !status.textContent;
  }

  function redraw() {
    return fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("board-live");
        if (!fresh) { return; }
        live.replaceWith(fresh);
        live = fresh;
        bind();
      });
  }

  function send(form, data) {
    var x = window.scrollX, y = window.scrollY;
    live.setAttribute("aria-busy", "true");
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok && answer.ok, answer: answer }; });
    }).then(function (result) {
      return redraw().then(function () {
        window.scrollTo(x, y);
        say(result.ok ? [result.answer.message] : result.answer.errors || [], !result.ok);
      });
    }).catch(function () {
      form.submit();  // whatever went wrong, the plain form still does the job
    });
  }

  function bind() {
    var form = document.getElementById("move-form");
    live.querySelectorAll("form[data-board-action]").forEach(function (each) {
      each.addEventListener("submit", function (event) {
        event.preventDefault();
        send(each, new FormData(each));
      });
    });
    live.querySelectorAll(".talk[draggable=true]").forEach(function (card) {
      card.addEventListener("dragstart", function (event) {
        event.dataTransfer.setData("text/plain", card.dataset.talk);
        event.dataTransfer.effectAllowed = "move";
      });
    });
    live.querySelectorAll("[data-place]").forEach(function (cell) {
      cell.addEventListener("dragover", function (event) {
        event.preventDefault();
        cell.classList.add("drop-target");
      });
      cell.addEventListener("dragleave", function () { cell.classList.remove("drop-target"); });
      cell.addEventListener("drop", function (event) {
        event.preventDefault();
        cell.classList.remove("drop-target");
        if (!form) { return; }
        var data = new FormData(form);
        data.set("talk", event.dataTransfer.getData("text/plain"));
        data.set("place", cell.dataset.place);
        send(form, data);
      });
    });
  }

  bind();
})();
