// The planning board's solve panel: poll the job every second (four times a second near the
// end, so the new plan shows at once), move the progress bar with the real time since the
// click, show the best plan so far and draw missed people over time; reload once it ends.
(function () {
  "use strict";
  var panel = document.getElementById("solve-panel");
  if (!panel) return;
  panel.classList.add("js");
  var SVG = "http://www.w3.org/2000/svg";
  var url = panel.getAttribute("data-status-url");
  var wasActive = panel.getAttribute("data-active") === "1";

  function part(name) {
    return panel.querySelector('[data-solve="' + name + '"]');
  }

  function setText(name, text) {
    var element = part(name);
    if (element) element.textContent = text;
  }

  function polyline(points, className) {
    var line = document.createElementNS(SVG, "polyline");
    line.setAttribute("class", className);
    line.setAttribute("points", points.join(" "));
    return line;
  }

  function draw(job) {
    var chart = part("chart");
    var points = job.points || [];
    if (!chart || !points.length) return;
    var width = 300, height = 80;
    var limit = Math.max(job.time_limit || 1, job.elapsed || 0, 1);
    var values = points.map(function (point) { return point.missed; });
    var bound = points[points.length - 1].bound;
    var high = Math.max.apply(null, values);
    var low = Math.min.apply(null, bound === null ? values : values.concat([bound]));
    var span = high - low || 1;
    function x(seconds) { return (seconds / limit * width).toFixed(1); }
    function y(missed) { return (4 + (high - missed) / span * (height - 8)).toFixed(1); }
    var line = [];
    points.forEach(function (point, index) {
      if (index > 0) line.push(x(point.seconds) + "," + y(points[index - 1].missed));
      line.push(x(point.seconds) + "," + y(point.missed));
    });
    var end = job.active ? job.elapsed : points[points.length - 1].seconds;
    line.push(x(Math.max(end, points[points.length - 1].seconds)) + "," + y(values[values.length - 1]));
    while (chart.firstChild) chart.removeChild(chart.firstChild);
    if (bound !== null && bound !== undefined) {
      chart.appendChild(polyline(["0," + y(bound), width + "," + y(bound)], "bound"));
    }
    chart.appendChild(polyline(line, "line"));
  }

  // Figures as the page's language writes them (388,2 in German).
  var language = document.documentElement.lang || undefined;
  // Whole people, as the board's figures row says them (fractions only in exports).
  function decimal(value) {
    return Math.round(value).toLocaleString(language, { maximumFractionDigits: 0 });
  }

  // The server's elapsed seconds at the last poll, and when that answer came (local clock):
  // between polls the bar moves on by the local clock.
  var lastJob = null, answeredAt = 0;

  function now() {
    return window.performance ? window.performance.now() : Date.now();
  }

  function elapsedNow(job) {
    if (!job.active || job.status !== "running") return job.elapsed;
    return job.elapsed + (now() - answeredAt) / 1000;
  }

  function showTime(job) {
    var seconds = elapsedNow(job);
    var progress = document.getElementById("solve-progress");
    if (progress) {
      progress.max = job.time_limit;
      progress.value = Math.min(seconds, job.time_limit);
      progress.textContent = Math.floor(seconds) + " s";
    }
    setText("elapsed", String(Math.floor(seconds)));
  }

  function show(job) {
    lastJob = job;
    answeredAt = now();
    showTime(job);
    var best = job.best;
    if (best) {
      setText("scheduled", String(best.scheduled));
      setText("missed", decimal(best.missed));
      setText("share", Math.round(best.attendable_share * 100) + " %");
      setText("bound", best.bound === null ? "–" : decimal(best.bound));
    }
    draw(job);
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
          var left = job.time_limit - job.elapsed;
          window.setTimeout(poll, left < 1.5 ? 250 : 1000);
        } else if (wasActive) {
          wasActive = false;
          window.location.reload();  // the board now shows the new draft
        }
      })
      .catch(function () {
        if (wasActive) window.setTimeout(poll, 3000);
      });
  }

  window.setInterval(function () {
    if (lastJob && lastJob.active) showTime(lastJob);
  }, 250);
  poll();
})();
