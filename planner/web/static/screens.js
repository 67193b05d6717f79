// The event-day screens (board and door sign) advance by themselves: every 15 seconds they
// work out again what runs now and next from the sessions they hold, on the event's wall
// clock; every 25 seconds they ask board.json whether the plan changed (an ETag makes an
// unchanged answer a bodiless 304) and redraw in place, never reloading the page.
// The rules repeat planner/operations/screens.py, the markup templates/screens/_screen.html.
// User text only ever goes into textContent.
(function () {
  "use strict";
  var root = document.querySelector("[data-screen]");
  if (!root || !window.Intl) return;

  var TICK_MS = 15000;
  var POLL_MS = 25000;
  var DAY_MS = 86400000;
  var door = root.dataset.screen === "door";
  var roomId = door ? Number(root.dataset.room) : null;
  var frozen = root.dataset.at ? wall(root.dataset.at) : null;
  var lang = document.documentElement.lang || "de";
  var labels = root.dataset;
  var doc = null;
  var sessions = [];
  var etag = null;
  var drawn = null;
  var clockFormat = null;

  // A local "2025-03-03T10:30[:15]" as milliseconds, read as if it were UTC: wall-clock
  // arithmetic without any timezone of the browser getting in the way.
  function wall(text) {
    var p = text.split(/[-T:]/).map(Number);
    return Date.UTC(p[0], p[1] - 1, p[2], p[3] || 0, p[4] || 0, p[5] || 0);
  }

  // Now on the event's wall clock, whatever timezone the browser is in.
  function now() {
    if (frozen !== null) return frozen;
    var parts = {};
    clockFormat.formatToParts(new Date()).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day),
      Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  }

  function use(document_, tag) {
    doc = document_;
    etag = tag;
    sessions = doc.sessions.map(function (item) {
      return { item: item, start: wall(item.start), end: wall(item.end) };
    }).sort(function (a, b) { return a.start - b.start; });
    clockFormat = new Intl.DateTimeFormat("en-US", {
      timeZone: doc.event.timezone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit"
    });
  }

  function day(moment) { return Math.floor(moment / DAY_MS); }

  function hm(moment) {
    var at = new Date(moment);
    return pad(at.getUTCHours()) + ":" + pad(at.getUTCMinutes());
  }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  // "Monday, March 3" / "Montag, 3. März", as the server's screen_date filter writes it.
  function longDate(moment) {
    var at = new Date(moment);
    var weekday = new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" });
    var dayMonth = new Intl.DateTimeFormat(lang, { month: "long", day: "numeric", timeZone: "UTC" });
    return weekday.format(at) + ", " + dayMonth.format(at);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) { return values[name]; });
  }

  // --- The rules (operations/screens.py) ---------------------------------------------------

  function running(list, moment) {
    return list.filter(function (s) { return s.start <= moment && moment < s.end; });
  }

  function nextStart(list, moment) {
    var later = list.filter(function (s) { return s.start > moment; });
    return later.length ? later[0].start : null;  // sorted by start
  }

  function statusAt(list, moment) {
    if (!list.length) return { status: "empty", next: null };
    var start = nextStart(list, moment);
    if (running(list, moment).length) return { status: "running", next: start };
    if (start === null) return { status: "over", next: null };
    if (day(start) === day(moment)) return { status: "break", next: start };
    var today = list.some(function (s) { return day(s.start) === day(moment); });
    return { status: today ? "day-over" : "upcoming", next: start };
  }

  function shownDay(list, moment) {
    if (running(list, moment).length) return day(moment);
    var start = nextStart(list, moment);
    return start === null ? null : day(start);
  }

  function roomNow(list, room, moment, shown) {
    var own = list.filter(function (s) { return s.item.room === room.id; });
    var now = running(own, moment);
    var coming = own.filter(function (s) { return s.start > moment && day(s.start) === shown; });
    var line = { room: room, now: now[0] || null, next: coming[0] || null };
    // Cancelled sessions whose place another took at the time shown: said too (screens.py).
    var times = [line.now, line.next].filter(function (s) { return s && !s.item.cancelled; })
      .map(function (s) { return s.start; });
    line.displaced = own.filter(function (s) {
      return s.item.cancelled && s !== line.now && s !== line.next && times.indexOf(s.start) >= 0;
    });
    line.later = coming.slice(1).filter(function (s) { return line.displaced.indexOf(s) < 0; });
    return line;
  }

  function screenAt(moment) {
    if (doc.version === null) return { status: "unpublished", next: null, rooms: [] };
    var list = sessions;
    var rooms = doc.rooms;
    if (door) {
      list = sessions.filter(function (s) { return s.item.room === roomId; });
      rooms = rooms.filter(function (room) { return room.id === roomId; });
    }
    var state = statusAt(list, moment);
    var shown = shownDay(list, moment);
    var used = {};
    list.forEach(function (s) { if (day(s.start) === shown) used[s.item.room] = true; });
    state.rooms = rooms.filter(function (room) { return door ? shown !== null : used[room.id]; })
      .map(function (room) { return roomNow(list, room, moment, shown); });
    return state;
  }

  // --- Drawing (templates/screens/_screen.html) --------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function part(name) { return root.querySelector("[data-part='" + name + "']"); }

  function range(s) { return hm(s.start) + "–" + hm(s.end); }

  function cancelledTag() { return element("span", "cancelled-tag", labels.labelCancelled); }

  function sessionBlock(kind, label, s) {
    var block = element("div", "session " + kind + (s.item.cancelled ? " cancelled" : ""));
    var line = element("p", "label");
    line.append(element("span", "tag", label), " ", element("span", "time", range(s)));
    if (s.item.cancelled) line.append(" ", cancelledTag());
    var title = element("p", "title", s.item.title);
    title.lang = s.item.language;
    block.append(line, title);
    if (s.item.hosts.length) block.append(element("p", "hosts", s.item.hosts.join(", ")));
    return block;
  }

  function laterList(later) {
    var box = element("div", "later");
    var list = element("ol");
    later.forEach(function (s) {
      var title = element("span", "title", s.item.title);
      title.lang = s.item.language;
      var item = element("li", s.item.cancelled ? "cancelled" : "");
      item.append(element("span", "time", range(s)), " ", title);
      if (s.item.cancelled) item.append(" ", cancelledTag());
      list.append(item);
    });
    box.append(element("h2", "label", labels.labelLater), list);
    return box;
  }

  function tile(line, status) {
    var section = element("section", "tile" + (line.now ? " busy" : ""));
    section.dataset.room = line.room.id;
    if (!door) section.append(element("h2", "room", line.room.name));
    if (line.now) section.append(sessionBlock("now", labels.labelNow, line.now));
    else if (status === "running") section.append(element("p", "free", labels.labelFree));
    if (line.next) section.append(sessionBlock("next", labels.labelNext, line.next));
    else section.append(element("p", "done", labels.labelDone));
    line.displaced.forEach(function (s) {
      var note = element("p", "displaced cancelled");
      var title = element("span", "title", s.item.title);
      title.lang = s.item.language;
      note.append(cancelledTag(), " ", element("span", "time", range(s)), " ", title);
      section.append(note);
    });
    if (door && line.later.length) section.append(laterList(line.later));
    return section;
  }

  function headline(state) {
    var at = state.next === null ? {} : { time: hm(state.next), date: longDate(state.next) };
    var texts = {
      unpublished: [labels.labelUnpublished, ""],
      empty: [labels.labelEmpty, ""],
      running: ["", ""],
      "break": [fill(labels.labelBreak, at), ""],
      "day-over": [labels.labelOver, fill(labels.labelContinues, at)],
      upcoming: [fill(labels.labelUpcoming, at), ""],
      over: [labels.labelOver, ""]
    };
    return texts[state.status];
  }

  function draw(state) {
    var texts = headline(state);
    part("status").hidden = state.status === "running";
    part("headline").textContent = texts[0];
    part("detail").textContent = texts[1];
    var tiles = part("tiles");
    tiles.replaceChildren.apply(tiles, state.rooms.map(function (line) {
      return tile(line, state.status);
    }));
    tiles.dataset.cols = Math.max(1, Math.ceil(Math.sqrt(state.rooms.length)));
    if (door) {
      var room = doc.rooms.filter(function (r) { return r.id === roomId; })[0];
      if (room) part("room-name").textContent = room.name;
    }
    part("event").textContent = doc.event.name;
  }

  // What is drawn, in short: redraw only when it differs (no needless churn on a screen).
  function signature(state) {
    return [etag, state.status, state.next].concat(state.rooms.map(function (line) {
      return [line.room.id, line.now && line.now.item.id, line.next && line.next.item.id,
        line.later.length].join("/");
    })).join("|");
  }

  function update() {
    var moment = now();
    part("clock").textContent = hm(moment);
    part("date").textContent = longDate(moment);
    var state = screenAt(moment);
    var shown = signature(state);
    if (shown !== drawn) {
      draw(state);
      drawn = shown;
    }
  }

  // --- Time and the network ----------------------------------------------------------------

  function tick() {
    update();
    // On the quarter minute, so the clock turns with the minute.
    window.setTimeout(tick, TICK_MS - (Date.now() % TICK_MS) + 50);
  }

  function poll() {
    window.fetch(root.dataset.source, {
      cache: "no-store",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "If-None-Match": etag }
    }).then(function (response) {
      if (response.status !== 200) return null;  // 304: unchanged; errors: keep what we have
      var tag = response.headers.get("ETag");
      return response.json().then(function (data) {
        use(data, tag);
        update();
      });
    }).catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  use(JSON.parse(root.dataset.document), '"' + root.dataset.etag + '"');
  tick();
  if (window.fetch) window.setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) update();
  });
})();
