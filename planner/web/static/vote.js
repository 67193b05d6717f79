// Mark and unmark without a reload. The forms work the same without this script, so a
// failed request simply falls back to an ordinary form post.
(function () {
  "use strict";
  var count = document.getElementById("mark-count");

  function show(button, marked) {
    button.setAttribute("aria-pressed", marked ? "true" : "false");
    button.textContent = marked ? button.dataset.on : button.dataset.off;
  }

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
        // The server answered: never send the tap again (it may have been saved, and a
        // second toggle would undo it); a refusal is shown by reloading the page.
        if (!response.ok) { window.location.reload(); return null; }
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        show(button, data.marked);
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
