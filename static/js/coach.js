// The ratio coach of a start form (templates/batches/_coach.html). "Use these amounts"
// puts the coach's amounts into the form's fields and never sends the form; the coach
// then answers for what is typed now. With JavaScript the answer follows the typing, so
// "Work it out" (the form posted to the coach, for a browser without it) is hidden.
// Both become plain buttons: a submit button before Start, even a hidden one, would be
// what Enter (a phone keyboard's Go) presses instead of Start.
"use strict";

(function () {
  function toButtons(root) {
    root.querySelectorAll("[data-coach-work]").forEach(function (button) {
      button.type = "button";
      button.hidden = true;
    });
    root.querySelectorAll("[data-coach-fill]").forEach(function (button) {
      button.type = "button";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    toButtons(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    toButtons(event.target);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-coach-fill]");
    if (!button || !button.form) {
      return;
    }
    event.preventDefault();
    var amounts;
    try {
      amounts = JSON.parse(button.dataset.coachFill);
    } catch (error) {
      return;
    }
    var filled = [];
    Object.keys(amounts).forEach(function (name) {
      var field = button.form.elements.namedItem(name);
      if (field && "value" in field) {
        field.value = amounts[name];
        filled.push(field);
      }
    });
    if (filled.length) {
      // The person's next step is checking the amounts and pressing Start.
      filled[0].focus();
      filled[filled.length - 1].dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
})();
