// The table rounds' seating panel: poll the job every second, move the progress bar and
// show the best seating's figures so far; reload the page once the job ends.
(function () {
  "use strict";
  var panel = document.getElementById("seat-panel");
  if (!panel || panel.getAttribute("data-active") !== "1") return;
  panel.classList.add("js");
  var url = panel.getAttribute("data-status-url");
  var FIGURES = ["unseated", "missed_choices", "repeat_meetings", "same_group_pairs"];

  function setText(name, text) {
    var element = panel.querySelector('[data-seat="' + name + '"]');
    if (element) element.textContent = text;
  }

  function show(job) {
    var progress = document.getElementById("seat-progress");
    if (progress) {
      progress.max = job.time_limit;
      progress.value = Math.min(job.elapsed, job.time_limit);
      progress.textContent = Math.round(job.elapsed) + " s";
    }
    setText("elapsed", String(Math.round(job.elapsed)));
    if (job.best) {
      FIGURES.forEach(function (name) { setText(name, String(job.best[name])); });
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (job.active) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();  // the page now shows the seating, or why there is none
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  poll();
})();
