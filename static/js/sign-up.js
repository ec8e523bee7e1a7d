// Sign-up: the new account takes this phone's time zone, clock (12 or 24 hours)
// and order of day and month, through the form's hidden fields. Without this
// script the server's defaults stay, and the account page changes them.
(function () {
  "use strict";

  function fill(id, value) {
    var input = document.getElementById(id);
    if (input && value && !input.value) {
      input.value = value;
    }
  }

  function dayFirst() {
    var parts = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "numeric" })
      .formatToParts(new Date(2026, 2, 3));
    var order = parts
      .map(function (part) { return part.type; })
      .filter(function (type) { return type === "day" || type === "month"; });
    return order[0] === "day";
  }

  function twelveHour() {
    var options = new Intl.DateTimeFormat(undefined, { hour: "numeric" }).resolvedOptions();
    if (options.hourCycle) {
      return options.hourCycle === "h11" || options.hourCycle === "h12";
    }
    return Boolean(options.hour12);
  }

  try {
    fill("id_time_zone", Intl.DateTimeFormat().resolvedOptions().timeZone);
    fill("id_clock_hours", twelveHour() ? "12" : "24");
    fill("id_date_order", dayFirst() ? "dm" : "md");
  } catch (error) {
    // An old browser without Intl: the defaults stay.
  }
})();
