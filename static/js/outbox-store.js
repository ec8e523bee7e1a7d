// The outbox: forms kept on this phone (IndexedDB) until the server has them, and
// how one is sent and what the answer means. No DOM here: the page's script
// (static/js/outbox.js) and the service worker (/sw.js, for Background Sync) share it.
//
// A kept form (an "item"): {id, user, url, fields: [[name, value]…], target, swap,
// page, what, shown: [[label, value]…], pressedAt, token, state: "waiting" or
// "attention", problem, answer}. Its id is the form's one-time key (the "once"
// field, see kefir_tracker/submissions): however often it is sent, it is saved once.
(function (scope) {
  "use strict";

  var DATABASE = "kefir-outbox";
  var STORE = "forms";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function transaction(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () {
          db.close();
          resolve(request ? request.result : undefined);
        };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() {
    return transaction("readonly", function (store) { return store.getAll(); }).then(
      function (items) {
        return items.sort(function (a, b) { return a.pressedAt < b.pressedAt ? -1 : 1; });
      },
    );
  }

  function put(item) {
    return transaction("readwrite", function (store) { store.put(item); });
  }

  function remove(id) {
    return transaction("readwrite", function (store) { store.delete(id); });
  }

  function waiting() {
    return all().then(function (items) {
      return items.filter(function (item) { return item.state === "waiting"; });
    });
  }

  function header(response, name) {
    return response.headers.get(name) || "";
  }

  function isSignIn(location, signInPath) {
    try {
      return new URL(location, scope.location.href).pathname === signInPath;
    } catch (error) {
      return false;
    }
  }

  // What the server's answer means:
  //   "sent"      saved (or saved before: "Sent twice, saved once");
  //   "refused"   the form came back with its errors, or the server refused it;
  //   "forbidden" 403: the CSRF token no longer matches the session;
  //   "sign-in"   the session has ended: sign in, and it goes then;
  //   "offline"   no answer at all: try again later.
  function classify(response, text) {
    var redirect = header(response, "HX-Redirect");
    if (redirect) {
      var signIn = isSignIn(redirect, scope.KefirOutbox.signInPath);
      return { state: signIn ? "sign-in" : "sent", redirect: redirect };
    }
    if (response.status === 403) {
      return { state: "forbidden", status: 403, answer: text };
    }
    if (!response.ok) {
      return { state: "refused", status: response.status, answer: text, type: header(response, "Content-Type") };
    }
    var done = null;
    try {
      done = JSON.parse(header(response, "HX-Trigger-After-Settle") || "{}")["kefir:done"] || null;
    } catch (error) {
      done = null;
    }
    // A form sent back with its errors has no "kefir:done": only a save says what it did.
    if (done && done.level !== "error") {
      return { state: "sent", done: done, html: text, retarget: header(response, "HX-Retarget"), reswap: header(response, "HX-Reswap") };
    }
    return { state: "refused", status: response.status, answer: text, done: done, html: text, retarget: header(response, "HX-Retarget"), reswap: header(response, "HX-Reswap"), type: header(response, "Content-Type") };
  }

  // Send ``item`` as htmx would have (an htmx request, so the answer is the fragment).
  function send(item, token) {
    var headers = {
      "HX-Request": "true",
      "HX-Current-URL": item.page,
      "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
    };
    if (token) {
      headers["X-CSRFToken"] = token;
    }
    if (item.target) {
      headers["HX-Target"] = item.target.replace(/^#/, "");
    }
    // A send that hangs on a bad connection must not hold up the next try.
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, scope.KefirOutbox.timeoutMs);
    return fetch(item.url, {
      method: "POST",
      body: new URLSearchParams(item.fields),
      headers: headers,
      credentials: "same-origin",
      redirect: "follow",
      signal: abort.signal,
    }).then(
      function (response) {
        return response.text().then(function (text) { return classify(response, text); });
      },
    ).catch(function () {
      return { state: "offline" };
    }).finally(function () {
      clearTimeout(timer);
    });
  }

  // Keep the outcome: a sent form leaves the outbox, a refused one waits for the person.
  function settle(item, outcome) {
    if (outcome.state === "sent") {
      return remove(item.id);
    }
    if (outcome.state === "refused" || outcome.state === "forbidden") {
      item.state = "attention";
      item.status = outcome.status;
      item.answer = (outcome.answer || "").slice(0, 50000);
      item.answerType = outcome.type || "";
      return put(item);
    }
    return Promise.resolve();
  }

  scope.KefirOutbox = {
    SYNC_TAG: "kefir-outbox",
    signInPath: "/account/sign-in/",  // set by the page and the worker
    timeoutMs: 15000,  // as long as htmx waits (base.html), and then some
    all: all,
    put: put,
    remove: remove,
    waiting: waiting,
    send: send,
    settle: settle,
    classify: classify,
  };
})(self);
