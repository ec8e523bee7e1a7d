// A bad connection loses nothing, and a failure is told next to what was tapped.
//
// - An htmx post (Start, Strain, a tasting…) that gets no answer (offline, or no
//   answer within htmx's timeout) is kept on this phone (static/js/outbox-store.js)
//   with its one-time key and the time it was pressed, and sent again when the
//   connection is back: on load, "online", when the page is shown again, and on
//   the service worker's Background Sync. Its form says "Waiting to send" (or,
//   without a service worker, "Not sent — check the connection; …" with Retry).
//   A kept form the server refuses is shown as needing attention, with what was typed.
// - Any other failed htmx request says so next to what asked for it, with the
//   server's own short message when it sent one (a full disk, say).
// - A folded form that failed to load is asked for again when it is opened again.
// - The service worker is registered on secure contexts (HTTPS, localhost); on a
//   signed-out page nothing of the last person is kept in this browser.
(function () {
  "use strict";

  var body = document.body;
  var outbox = window.KefirOutbox;
  var user = body.dataset.user || "";
  var hasWorker = window.isSecureContext && "serviceWorker" in navigator;
  var lastButton = new WeakMap(); // form -> the submit button last pressed
  var failureNotes = new WeakMap(); // element -> the note saying it failed
  var sending = false;

  outbox.signInPath = body.dataset.signIn || outbox.signInPath;

  if (hasWorker) {
    navigator.serviceWorker.register(body.dataset.worker).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "kefir:send-outbox") {
        sendAll();
      }
    });
  }

  if (body.hasAttribute("data-signed-out")) {
    // Signed out, or the session ended: the pages kept for offline and htmx's
    // history snapshots go. Kept forms stay: each is sent only by its own person.
    if (window.caches) {
      caches.delete("kefir-pages");
    }
    try {
      localStorage.removeItem("htmx-history-cache");
    } catch (error) {
      /* storage refused: nothing kept there either */
    }
  }

  // ---- small helpers ----

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("data-hx-headers"))["x-csrftoken"] || "";
    } catch (error) {
      return "";
    }
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    // Plain HTTP has no randomUUID: a version 4 UUID from getRandomValues.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // "07:12" (or "7:12 AM"), on the person's clock; "Tue 07:12" on another day.
  function clock(iso) {
    var moment = new Date(iso);
    var time = moment.toLocaleTimeString(body.dataset.clock === "12" ? "en-US" : "en-GB", {
      hour: body.dataset.clock === "12" ? "numeric" : "2-digit",
      minute: "2-digit",
      hour12: body.dataset.clock === "12",
    });
    if (moment.toDateString() === new Date().toDateString()) {
      return time;
    }
    return moment.toLocaleDateString("en-GB", { weekday: "short" }) + " " + time;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content) {
      node.textContent = content;
    }
    return node;
  }

  function button(label, action) {
    var node = element("button", "secondary small", label);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  // The page's one polite live region (base.html), as announce.js fills it.
  function announce(message, level) {
    var region = document.getElementById("messages");
    if (!region) {
      return;
    }
    var list = element("ul");
    list.appendChild(element("li", "message message-" + (level || "warning"), message));
    region.replaceChildren(list);
  }

  function formOf(elt) {
    return elt && elt.closest ? elt.closest("form") : null;
  }

  function samePage(item) {
    try {
      var there = new URL(item.page);
      return there.pathname === location.pathname;
    } catch (error) {
      return false;
    }
  }

  function formFor(item) {
    if (!samePage(item)) {
      return null;
    }
    return Array.prototype.find.call(document.forms, function (form) {
      return form.getAttribute("action") === item.url;
    }) || null;
  }

  // ---- what a kept form was: the button, whose it was, what was typed ----

  document.addEventListener("click", function (event) {
    var pressed = event.target.closest && event.target.closest("button");
    if (pressed && pressed.form && pressed.type === "submit") {
      lastButton.set(pressed.form, pressed);
    }
  }, true);

  function whatOf(form) {
    var pressed = lastButton.get(form) || form.querySelector("button[type=submit], button:not([type])");
    var what = text(pressed) || "A form";
    var card = form.closest("article, section");
    var name = card ? text(card.querySelector("h1, h2, h3, .start-name strong")) : "";
    if (name && what.indexOf(name) >= 0) {
      return what; // "Strain Little B"
    }
    if (!name || name === what) {
      name = document.title.split(" · ")[0]; // "Batch 4 of Little B"
    }
    return what + " · " + name;
  }

  function labelOf(control) {
    if (control.type === "radio") {
      var group = control.closest("fieldset");
      return group ? text(group.querySelector("legend")) : control.name;
    }
    return control.labels && control.labels.length ? text(control.labels[0]) : control.name;
  }

  function shownOf(form) {
    var shown = [];
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!control.name || control.disabled || /^(hidden|submit|button|reset|file)$/.test(control.type)) {
        return;
      }
      var value = control.value;
      if (control.type === "radio" || control.type === "checkbox") {
        if (!control.checked) {
          return;
        }
        value = control.type === "radio" ? text(control.labels && control.labels[0]) || value : "yes";
      } else if (control.tagName === "SELECT") {
        value = text(control.options[control.selectedIndex]);
      }
      if (value && value.trim()) {
        shown.push([labelOf(control), value.trim()]);
      }
    });
    return shown;
  }

  // ---- keeping a form that got no answer ----

  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    var form = detail.verb === "post" ? formOf(detail.elt) : null;
    if (!form) {
      return;
    }
    // The one-time key: the form's own, else one made here; kept for a second try.
    var key = detail.parameters.once || form.dataset.once || newKey();
    form.dataset.once = key;
    detail.parameters.once = key;
    form.dataset.pressedAt = form.dataset.pressedAt || new Date().toISOString();
  });

  function keep(form, config, target) {
    var fields = [];
    config.formData.forEach(function (value, name) {
      // The CSRF token goes in a header when sent, the current page's.
      if (typeof value === "string" && name !== "csrfmiddlewaretoken" && name !== "pressed_at") {
        fields.push([name, value]);
      }
    });
    var pressedAt = form.dataset.pressedAt || new Date().toISOString();
    fields.push(["pressed_at", pressedAt]);
    var item = {
      id: form.dataset.once,
      user: user,
      url: config.path,
      fields: fields,
      target: target && target.id ? "#" + target.id : "",
      swap: (form.getAttribute("data-hx-swap") || "outerHTML").split(" ")[0],
      page: location.href,
      what: whatOf(form),
      shown: shownOf(form),
      pressedAt: pressedAt,
      token: csrfToken(),
      state: "waiting",
    };
    return outbox.put(item).then(function () {
      if (hasWorker) {
        navigator.serviceWorker.ready.then(function (registration) {
          return registration.sync && registration.sync.register(outbox.SYNC_TAG);
        }).catch(function () {});
      }
      return item;
    });
  }

  function workerKeeps() {
    return hasWorker && !!navigator.serviceWorker.controller;
  }

  // ---- failures ----

  function isLazy(elt) {
    return elt && elt.matches && elt.matches(".lazy-form, .start-open");
  }

  function serverMessage(xhrOrItem, answer, type, status) {
    if (answer && /html/.test(type || "text/html")) {
      var doc = new DOMParser().parseFromString(answer, "text/html");
      var problems = [];
      doc.querySelectorAll(".errorlist li, .form-errors > p").forEach(function (node) {
        var field = node.closest(".field");
        var label = field ? text(field.querySelector("label, legend")) : "";
        var problem = (label ? label + ": " : "") + text(node);
        if (problems.indexOf(problem) < 0 && problems.indexOf(text(node)) < 0) {
          problems.push(problem);
        }
      });
      if (problems.length) {
        return problems.join(" ");
      }
      var main = doc.querySelector("main") || doc.body;
      // An error page's heading and the sentence after it (not its "Error 404" above).
      var sentence = main && (main.querySelector("h1 ~ p") || main.querySelector("p"));
      var said = [text(main && main.querySelector("h1")), text(sentence)];
      said = said.filter(Boolean).join(": ");
      if (said) {
        return said.slice(0, 300);
      }
    } else if (answer && answer.trim()) {
      return answer.trim().slice(0, 300);
    }
    return status ? "The server answered " + status + "." : "The server gave no answer.";
  }

  function noteAfter(anchor, note) {
    var old = failureNotes.get(anchor);
    if (old) {
      old.remove();
    }
    failureNotes.set(anchor, note);
    anchor.after(note);
  }

  function clearFailure(elt) {
    [elt, formOf(elt)].forEach(function (anchor) {
      var note = anchor && failureNotes.get(anchor);
      if (note) {
        note.remove();
        failureNotes.delete(anchor);
      }
    });
  }

  function lazyFailed(link) {
    var folded = link.closest("details");
    var note = element("p", "send-note send-note-error", "Could not load the form — check the connection. Close it and open it again to try again. ");
    var load = function () {
      note.remove();
      htmx.ajax("GET", link.getAttribute("data-hx-get"), { source: link, target: link, swap: "outerHTML" });
    };
    note.appendChild(button("Try again", load));
    noteAfter(link, note);
    if (folded) {
      var reopened = function () {
        if (folded.open && document.contains(link)) {
          folded.removeEventListener("toggle", reopened);
          load();
        }
      };
      folded.addEventListener("toggle", reopened);
    }
  }

  function noAnswer(event) {
    var detail = event.detail;
    var config = detail.requestConfig || {};
    var elt = detail.elt;
    var form = config.verb === "post" ? formOf(elt) : null;
    if (form && user) {
      keep(form, config, detail.target).then(function (item) {
        announce(workerKeeps()
          ? "Waiting to send: " + item.what + ". It goes when the connection is back."
          : "Not sent — check the connection; what you typed is kept.");
        render();
      });
      return;
    }
    if (isLazy(elt)) {
      lazyFailed(elt);
      return;
    }
    var note = element("p", "send-note send-note-error", "Not " + (config.verb === "post" ? "sent" : "loaded") + " — check the connection.");
    noteAfter(form || elt, note);
  }

  document.addEventListener("htmx:sendError", noAnswer);
  document.addEventListener("htmx:timeout", noAnswer);

  document.addEventListener("htmx:responseError", function (event) {
    var detail = event.detail;
    var xhr = detail.xhr;
    var config = detail.requestConfig || {};
    var elt = detail.elt;
    var posted = config.verb === "post";
    var message = serverMessage(xhr, xhr.responseText, xhr.getResponseHeader("Content-Type"), xhr.status);
    var note = element("p", "send-note send-note-error", (posted ? "Not saved — " : "Not loaded — ") + message + " ");
    var form = posted ? formOf(elt) : null;
    if (form) {
      note.appendChild(button("Try again", function () {
        note.remove();
        form.requestSubmit(lastButton.get(form) || undefined);
      }));
    } else if (isLazy(elt)) {
      lazyFailed(elt);
      return;
    }
    noteAfter(form || elt, note);
    announce((posted ? "Not saved: " : "Not loaded: ") + message, "error");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      clearFailure(event.detail.elt);
    }
  });

  // ---- what is kept, shown next to its form (or at the top of the page) ----

  function noteOf(item) {
    var note = element("div", "outbox-note outbox-" + item.state);
    note.dataset.item = item.id;
    var when = "pressed " + clock(item.pressedAt);
    var head;
    var actions = element("p", "outbox-actions");
    if (item.state === "attention") {
      head = "Needs your attention — not saved: " + item.what + ", " + when + ".";
      note.appendChild(element("p", "outbox-head", head));
      note.appendChild(element("p", "outbox-problem", serverMessage(null, item.answer, item.answerType, item.status)));
      actions.appendChild(button("Send again", function () {
        item.state = "waiting";
        outbox.put(item).then(sendAll);
      }));
      actions.appendChild(button("Forget it", function () {
        if (window.confirm("Forget " + item.what + "? What you typed is not saved anywhere else.")) {
          outbox.remove(item.id).then(render);
        }
      }));
    } else if (workerKeeps()) {
      head = "Waiting to send: " + item.what + ", " + when + ".";
      note.appendChild(element("p", "outbox-head", head));
      note.appendChild(element("p", "small", "It goes as soon as the connection is back; what you typed is kept on this phone."));
      actions.appendChild(button("Send now", sendAll));
    } else {
      note.appendChild(element("p", "outbox-head", "Not sent — check the connection; what you typed is kept."));
      note.appendChild(element("p", "small", item.what + ", " + when + "."));
      actions.appendChild(button("Retry", sendAll));
    }
    if (item.shown && item.shown.length) {
      var typed = element("p", "small outbox-typed", "You typed: ");
      typed.appendChild(document.createTextNode(item.shown.map(function (pair) {
        return pair[0] + " " + pair[1];
      }).join(" · ")));
      note.appendChild(typed);
    }
    note.appendChild(actions);
    return note;
  }

  var lastRead = null; // the outbox as this page last read it

  // Puts each kept form's note next to its form. ``again`` (after an htmx swap) uses
  // the outbox as last read: a read still open when the person follows a link would
  // make Chromium drop this page from the back/forward cache.
  function render(again) {
    if (!user) {
      return Promise.resolve();
    }
    var read = again === true && lastRead ? Promise.resolve(lastRead) : outbox.all();
    return read.then(function (items) {
      lastRead = items;
      document.querySelectorAll(".outbox-note").forEach(function (note) { note.remove(); });
      var list = document.getElementById("outbox");
      var elsewhere = [];
      items.filter(function (item) { return item.user === user; }).forEach(function (item) {
        var form = formFor(item);
        if (form) {
          form.after(noteOf(item));
        } else {
          elsewhere.push(item);
        }
      });
      if (list) {
        list.replaceChildren();
        if (elsewhere.length) {
          list.appendChild(element("h2", "outbox-title", "Kept on this phone"));
          elsewhere.forEach(function (item) { list.appendChild(noteOf(item)); });
        }
        list.hidden = !elsewhere.length;
      }
    }).catch(function () {});
  }

  // ---- sending what is kept ----

  function swapIn(item, outcome) {
    var selector = outcome.retarget || item.target;
    var target = selector && samePage(item) ? document.querySelector(selector) : null;
    if (!target || !outcome.html) {
      return false;
    }
    var style = (outcome.reswap || item.swap || "outerHTML").split(" ")[0];
    htmx.swap(target, outcome.html, { swapStyle: style });
    return true;
  }

  function afterSend(item, outcome) {
    if (outcome.state === "sign-in") {
      location.href = outcome.redirect; // the session ended: sign in, then it goes
      return Promise.resolve();
    }
    return outbox.settle(item, outcome).then(function () {
      if (outcome.state === "sent") {
        var shown = swapIn(item, outcome);
        var said = outcome.done && outcome.done.message;
        if (shown && outcome.done) {
          body.dispatchEvent(new CustomEvent("kefir:done", { detail: outcome.done }));
        } else {
          announce("Sent " + item.what + " (pressed " + clock(item.pressedAt) + ")" + (said ? ": " + said : "."), "success");
        }
      } else if (outcome.state === "refused" || outcome.state === "forbidden") {
        swapIn(item, outcome); // its form, with the errors next to the fields
        announce("Not saved: " + item.what + ". See what the server said.", "error");
      }
    });
  }

  function sendAll() {
    if (!user || sending) {
      return Promise.resolve();
    }
    sending = true;
    return outbox.waiting().then(function (items) {
      var mine = items.filter(function (item) { return item.user === user; });
      return mine.reduce(function (done, item) {
        return done.then(function (goOn) {
          if (!goOn) {
            return false;
          }
          return outbox.send(item, csrfToken()).then(function (outcome) {
            return afterSend(item, outcome).then(function () {
              return outcome.state !== "offline" && outcome.state !== "sign-in";
            });
          });
        });
      }, Promise.resolve(true));
    }).catch(function () {}).then(function () {
      sending = false;
      return render();
    });
  }

  // A page kept on this phone, shown offline (/sw.js unhides its banner): once the
  // connection is back, the banner says so and offers the page as it is now.
  function backOnline() {
    var banner = document.querySelector("#offline-banner[data-offline]");
    if (banner && !banner.querySelector("a")) {
      var seen = banner.querySelector("time");
      banner.replaceChildren("Back online — this page is from ", seen, ". ");
      var latest = element("a", "", "Show it as it is now");
      latest.href = location.href;
      banner.appendChild(latest);
    }
    sendAll();
  }

  // The banner of a page shown while the browser is offline: the worker unhides it
  // on the copy it kept; a page from the browser's own cache (Back) is shown here.
  function showOffline() {
    var banner = document.getElementById("offline-banner");
    if (!banner || (navigator.onLine && !banner.hasAttribute("data-offline"))) {
      return;
    }
    banner.hidden = false;
    banner.setAttribute("data-offline", "");
    var seen = banner.querySelector("time");
    if (seen && !seen.dataset.day && new Date(seen.dateTime).toDateString() !== new Date().toDateString()) {
      seen.dataset.day = "shown"; // "Tue 3 Dec, 07:12": seen on another day
      seen.textContent = new Date(seen.dateTime).toLocaleDateString("en-GB", {
        weekday: "short", day: "numeric", month: "short",
      }) + ", " + seen.textContent;
    }
  }

  showOffline();
  window.addEventListener("offline", showOffline);
  window.addEventListener("pageshow", showOffline);

  window.addEventListener("online", backOnline);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      sendAll();
    }
  });
  document.addEventListener("htmx:afterSettle", function () { render(true); });
  window.setInterval(function () {
    if (document.querySelector(".outbox-waiting")) {
      sendAll();
    }
  }, 30000);

  render().then(sendAll);
})();
