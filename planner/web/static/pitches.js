// Rapid pitch entry without page reloads: the line is sent in the background and the field is
// cleared at once, so the next pitch can be typed while the last one is saved. Without
// JavaScript the form posts and reloads as usual.
(function () {
  "use strict";
  var form = document.getElementById("pitch-form");
  if (!form || !window.fetch) { return; }
  var input = form.querySelector("[name=line]");
  var status = document.getElementById("pitch-status");
  var list = document.querySelector("ol.recent");

  function addToList(pitch) {
    var item = document.createElement("li");
    var title = document.createElement("strong");
    title.textContent = pitch.title;
    item.appendChild(title);
    if (pitch.hosts.length) { item.appendChild(document.createTextNode(" — " + pitch.hosts.join(", ") + " ")); }
    var edit = document.createElement("a");
    edit.href = pitch.edit_url;
    edit.textContent = form.dataset.editLabel;
    item.appendChild(edit);
    list.insertBefore(item, list.firstChild);
  }

  form.addEventListener("submit", function (event) {
    var line = input.value.trim();
    if (!line) { return; }
    event.preventDefault();
    var data = new FormData(form);
    input.value = "";
    function giveBack(message) {
      // Never lose a pitch: put the line back (before anything typed since) and say why.
      input.value = input.value ? line + " " + input.value : line;
      status.textContent = message;
      status.hidden = false;
    }
    fetch(form.action || window.location.href, {
      method: "POST", body: data, headers: { "Accept": "application/json" },
      credentials: "same-origin", redirect: "error"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok && result.body.added) {
        status.hidden = true;
        result.body.added.forEach(addToList);
      } else {
        var errors = result.body.errors || [result.body.message || result.body.error];
        giveBack(errors.join(" "));
      }
    }).catch(function () {
      giveBack(form.dataset.failedLabel);
    });
  });
})();
