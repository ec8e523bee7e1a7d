// "Copy link" (the calendar link, a share link, a kitchen invitation): the field named
// by the button's data-copy onto the clipboard in one tap (a long link in a field is
// fiddly to select on a phone), then the button's data-copied said. Without JavaScript the button
// stays hidden and the field is there to select. A page over plain http:// (a LAN
// address) has no Clipboard API: the selected field is copied the older way.
"use strict";

(function () {
  function show(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function say(message, level) {
    document.body.dispatchEvent(
      new CustomEvent("kefir:done", { bubbles: true, detail: { message: message, level: level } }),
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    show(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    show(event.target);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    var field = button && document.querySelector(button.dataset.copy);
    if (!field) {
      return;
    }
    field.focus();
    field.select();
    var copied = button.dataset.copied || "Copied the link.";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () {
          say(copied);
        },
        function () {
          say("Could not copy: the link is selected, copy it from there.", "warning");
        },
      );
    } else if (document.execCommand("copy")) {
      say(copied);
    } else {
      say("Could not copy: the link is selected, copy it from there.", "warning");
    }
  });
})();
