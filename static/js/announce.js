// After an htmx swap the server says what happened (the "kefir:done" event of an
// HX-Trigger-After-Settle header, see templating.announce()): the message goes
// into the page's polite live region, and the focus onto what changed, so that a
// screen reader says it and the next Tab starts there. Without JavaScript the same
// message comes with the page the form redirects to.
document.addEventListener("kefir:done", function (event) {
  var detail = event.detail || {};
  var region = document.getElementById("messages");
  if (region && detail.message) {
    var list = document.createElement("ul");
    var item = document.createElement("li");
    item.className = "message message-" + (detail.level || "success");
    item.textContent = detail.message;
    list.appendChild(item);
    region.replaceChildren(list);
  }
  var changed = detail.focus && document.querySelector(detail.focus);
  if (changed) {
    if (!changed.hasAttribute("tabindex")) {
      changed.setAttribute("tabindex", "-1");
    }
    changed.focus();
  }
});
