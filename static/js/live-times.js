// Times that stay current while a page is open (templates/_live.html writes them):
// every half minute, and when the page is shown again or htmx swaps something in,
//
// - <time data-live="elapsed" datetime="…"> says how long ago that was ("5 h 10 min"),
//   <time data-live="remaining"> how long until then;
// - an element with data-live-from / data-live-until is shown only from / until then
//   ("ready in 2 h" gives way to "ready since 07:12", written by the server);
// - a card with data-live-overdue (data-live-due) becomes .overdue (.due) once its
//   moment passes;
// - <progress data-live-start data-live-end> fills up, its name saying how far.
//
// Clock times are written by the server, in the person's clock and time zone; here
// only durations are, as the server's "hours" filter writes them. Nothing here is in a
// live region: a screen reader reads the new time when it gets there, not every tick.
(function () {
  "use strict";

  var EVERY_MS = 30 * 1000;
  var FLAGS = { "data-live-overdue": "overdue", "data-live-due": "due" };

  function at(element, attribute) {
    var value = element.getAttribute(attribute);
    return value ? Date.parse(value) : NaN;
  }

  // As kefir_tracker.templating.hours: "45 min", "18 h 20 min", "2 d 3 h".
  function duration(ms) {
    var minutes = Math.max(Math.floor(ms / 60000), 0);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    minutes = minutes % 60;
    if (days) {
      return hours ? days + " d " + hours + " h" : days + " d";
    }
    if (hours) {
      return minutes ? hours + " h " + minutes + " min" : hours + " h";
    }
    return minutes + " min";
  }

  function setText(element, text) {
    if (element.textContent !== text) {
      element.textContent = text;
    }
  }

  function update(root) {
    var now = Date.now();
    root.querySelectorAll("time[data-live]").forEach(function (time) {
      var moment = at(time, "datetime");
      if (isNaN(moment)) {
        return;
      }
      var live = time.getAttribute("data-live");
      setText(time, duration(live === "remaining" ? moment - now : now - moment));
    });
    root.querySelectorAll("[data-live-from], [data-live-until]").forEach(function (element) {
      var from = at(element, "data-live-from");
      var until = at(element, "data-live-until");
      var hidden = (!isNaN(from) && now < from) || (!isNaN(until) && now >= until);
      if (element.hidden !== hidden) {
        element.hidden = hidden;
      }
    });
    Object.keys(FLAGS).forEach(function (attribute) {
      root.querySelectorAll("[" + attribute + "]").forEach(function (card) {
        var moment = at(card, attribute);
        if (!isNaN(moment)) {
          card.classList.toggle(FLAGS[attribute], now >= moment);
        }
      });
    });
    root.querySelectorAll("progress[data-live-start][data-live-end]").forEach(function (bar) {
      var start = at(bar, "data-live-start");
      var end = at(bar, "data-live-end");
      var percent = end > start ? Math.round((100 * (now - start)) / (end - start)) : 100;
      percent = Math.max(0, Math.min(100, percent));
      if (Number(bar.value) !== percent) {
        bar.value = percent;
        bar.textContent = percent + " %";
        bar.setAttribute("aria-label", percent + (bar.getAttribute("data-live-label") || " %"));
      }
    });
  }

  function tick() {
    update(document);
  }

  tick();
  window.setInterval(tick, EVERY_MS);
  // A phone wakes the page up: timers slept, so catch up at once.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      tick();
    }
  });
  // A card swapped in (after Strain, Bottle, Finish, Undo) is live from the start.
  document.addEventListener("htmx:afterSettle", tick);
})();
