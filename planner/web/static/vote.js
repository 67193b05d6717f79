// Mark and unmark without a reload. The forms work the same without this script, so a
// request that gets no answer at all simply falls back to an ordinary form post.
(function () {
  "use strict";
  var count = document.getElementById("mark-count");
  var problem = document.getElementById("vote-problem");
  var latest = 0; // the number of the latest tap sent

  // The form asks for a state, not a flip: after each answer it asks for the opposite of
  // what the server now holds, so a repeated or late tap never undoes a mark by accident.
  function show(form, marked) {
    var button = form.querySelector("button");
    button.setAttribute("aria-pressed", marked ? "true" : "false");
    button.textContent = marked ? button.dataset.on : button.dataset.off;
    form.querySelector("input[name=marked]").value = marked ? "0" : "1";
  }

  function tell(message) {
    if (problem) problem.textContent = message;
  }

  // The server's answer as {ok, data}; data is null if the body is not the JSON we expect
  // (a proxy's error page, say).
  function read(response) {
    return response.json().then(
      function (data) { return { ok: response.ok, data: data }; },
      function () { return { ok: response.ok, data: null }; }
    );
  }

  function answered(form, tap, answer) {
    form.querySelector("button").removeAttribute("aria-busy");
    var data = answer.data || {};
    if (answer.ok && typeof data.marked === "boolean") {
      show(form, data.marked);
      // Answers can overtake each other on a slow network: only the latest tap's answer
      // sets the count, so an older one arriving last cannot leave it wrong.
      if (count && tap === latest) count.textContent = data.count;
      tell("");
    } else if (!answer.ok && (data.message || data.error)) {
      // Refused (form expired, voting closed, too many taps, server busy): nothing
      // changed, so the button stays as it was and the reason shows where it is seen.
      tell(data.message || data.error);
    } else {
      window.location.reload(); // an answer that says nothing useful: ask for the page
    }
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
    var tap = ++latest;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
    }).then(
      function (response) {
        return read(response).then(function (answer) { answered(form, tap, answer); });
      },
      function () {
        // No answer at all (the network): send the plain form, which asks for the same
        // state and reloads the page.
        button.removeAttribute("aria-busy");
        form.submit();
      }
    );
  });
})();
