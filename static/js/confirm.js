// A form with data-confirm asks first ("Remove Pavel from Olga's kitchen?"); without
// JavaScript it is sent at once, as any form.
"use strict";

document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
