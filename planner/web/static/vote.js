// Mark and unmark without a reload. The forms work the same without this script, so a
// failed request simply falls back to an ordinary form post.
(function () {
  "use strict";
  var count = document.getElementById("mark-count");

  // The form asks for a state, not a flip: after each answer it asks for the opposite of
  // what the server now holds, so a repeated or late tap never undoes a mark by accident.
  function show(form, marked) {
    var button = form.querySelector("button");
    button.setAttribute("aria-pressed", marked ? "true" : "false");
    button.textContent = marked ? button.dataset.on : button.dataset.off;
    form.querySelector("input[name=marked]").value = marked ? "0" : "1";
  }

  // A page the browser kept and brings back with the back button shows the marks as they
  // were when it was left; the server knows better.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("mark") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector("button");
    // Busy, not disabled: a disabled button drops the keyboard focus.
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    var token = form.querySelector("input[name=csrf_token]");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
    })
      .then(function (response) {
        // The server answered: do not send the tap again; a refusal is shown by reloading.
        if (!response.ok) { window.location.reload(); return null; }
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        show(form, data.marked);
        if (count) count.textContent = data.count;
        button.removeAttribute("aria-busy");
      })
      .catch(function () {
        // No answer at all (the network): fall back to the plain form, which reloads.
        button.removeAttribute("aria-busy");
        form.submit();
      });
  });
})();
