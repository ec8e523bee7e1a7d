// The account page's "Notifications on this phone": says whether this browser can get
// them (HTTPS, a service worker, the person's permission) and turns them on or off.
// On: ask for permission, subscribe with the server's key (the card's data-push-key),
// post the subscription; the server answers with the card, listing this phone. Off:
// tell the server first, so nothing more is sent, then unsubscribe the browser.
// The phones listed can be removed, and a test sent, with plain forms, JavaScript or not.
"use strict";

(function () {
  var WHY = {
    checking: "Checking this phone…",
    insecure:
      "Notifications need the app opened over HTTPS, and this page came over plain HTTP. " +
      "Whoever runs Kefir Tracker can set up HTTPS for the home network.",
    iphone:
      "On an iPhone or iPad, add Kefir Tracker to the Home Screen (Share, then Add to Home Screen), " +
      "open it from there and turn notifications on in it.",
    unsupported: "This browser cannot show notifications from a web app.",
    denied:
      "Notifications are blocked for this site in the browser’s settings. Allow them there, " +
      "then come back here.",
    off: "Notifications are off on this phone.",
    on: "Notifications are on for this phone.",
  };

  var BLOCKED = ["insecure", "iphone", "unsupported", "denied"];

  function card() {
    return document.getElementById("push");
  }

  // Why push cannot work here, or null when it can.
  function problem() {
    if (!window.isSecureContext) {
      return "insecure";
    }
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      return /iPhone|iPad/.test(navigator.userAgent) ? "iphone" : "unsupported";
    }
    if (Notification.permission === "denied") {
      return "denied";
    }
    return null;
  }

  function show(state, message) {
    var root = card();
    if (!root) {
      return;
    }
    var status = root.querySelector("#push-status");
    status.textContent = message || WHY[state];
    status.dataset.state = BLOCKED.indexOf(state) < 0 ? state : "blocked";
    root.querySelector("#push-buttons").hidden = state !== "on" && state !== "off";
    root.querySelector('[data-push="on"]').hidden = state !== "off";
    root.querySelector('[data-push="off"]').hidden = state !== "on";
  }

  function say(message, level) {
    document.body.dispatchEvent(
      new CustomEvent("kefir:done", {
        bubbles: true,
        detail: { message: message, level: level || "success", focus: "#push-heading" },
      }),
    );
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("data-hx-headers"))["x-csrftoken"] || "";
    } catch (error) {
      return "";
    }
  }

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
  }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(raw, function (c) {
      return c.charCodeAt(0);
    });
  }

  function registration() {
    return navigator.serviceWorker.ready;
  }

  // Which listed phone this browser is (the page lists them by a digest of the endpoint).
  function refresh() {
    var why = problem();
    if (why) {
      show(why);
      return Promise.resolve();
    }
    show("checking");
    return registration()
      .then(function (reg) {
        return reg.pushManager.getSubscription();
      })
      .then(function (subscription) {
        // Signing out from this page stops this phone's notifications (the sign-out form).
        var signOut = document.getElementById("push-endpoint");
        if (signOut) {
          signOut.value = subscription ? subscription.endpoint : "";
        }
        if (!subscription) {
          return show("off");
        }
        return crypto.subtle.digest("SHA-256", new TextEncoder().encode(subscription.endpoint)).then(function (digest) {
          var row = card().querySelector('[data-endpoint-digest="' + hex(digest) + '"]');
          if (row) {
            row.querySelector("[data-this-phone]").hidden = false;
          }
          // Not listed: removed here, or forgotten by its push service; Turn on again.
          show(row ? "on" : "off");
        });
      });
  }

  // Posts JSON; the answer is the card, put in place of the old one. A 404 (the server
  // did not have this subscription) is no failure for turning off.
  function post(url, data, notFoundIsFine) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(data),
    }).then(function (response) {
      if (response.status === 404 && notFoundIsFine) {
        return;
      }
      return response.text().then(function (text) {
        if (!response.ok) {
          throw new Error(response.headers.get("Content-Type").indexOf("text/plain") === 0 ? text : "the server said " + response.status);
        }
        var old = card();
        var template = document.createElement("template");
        template.innerHTML = text.trim();
        var fresh = template.content.querySelector("#push");
        if (old && fresh) {
          old.replaceWith(fresh);
          if (window.htmx) {
            htmx.process(fresh);
          }
        }
      });
    });
  }

  function turnOn() {
    var root = card();
    show("checking", "Turning notifications on…");
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") {
          show(permission === "denied" ? "denied" : "off", permission === "denied" ? null : "Notifications stay off: they were not allowed.");
          return;
        }
        return registration()
          .then(function (reg) {
            return reg.pushManager.getSubscription().then(function (old) {
              return (
                old ||
                reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(root.dataset.pushKey) })
              );
            });
          })
          .then(function (subscription) {
            return post(root.dataset.pushSubscribe, subscription.toJSON());
          })
          .then(refresh)
          .then(function () {
            say("Notifications are on for this phone.");
          });
      })
      .catch(function (error) {
        show("off", "Could not turn notifications on: " + (error.message || error) + ".");
      });
  }

  function turnOff() {
    var root = card();
    show("checking", "Turning notifications off…");
    registration()
      .then(function (reg) {
        return reg.pushManager.getSubscription();
      })
      .then(function (subscription) {
        if (!subscription) {
          return;
        }
        return post(root.dataset.pushUnsubscribe, { endpoint: subscription.endpoint }, true).then(function () {
          return subscription.unsubscribe();
        });
      })
      .then(refresh)
      .then(function () {
        say("Notifications are off on this phone.");
      })
      .catch(function (error) {
        show("on", "Could not turn notifications off: " + (error.message || error) + ".");
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("#push [data-push]");
    if (button) {
      (button.dataset.push === "on" ? turnOn : turnOff)();
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "push") {
      refresh();
    }
  });
  if (card()) {
    refresh();
  }
})();
