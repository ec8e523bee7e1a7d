// Kefir Tracker's service worker, served at /sw.js by kefir_tracker/offline.py.
// The app shell (CSS, scripts, icons, the offline page) is kept at install; the
// last-seen Today, History, Insights, grains and batch pages are kept as they are fetched
// (network first) and shown, with the offline banner, when the network fails.
// The list of files below changes with every release, and with it this file: the
// new worker replaces the old one and deletes its caches.
"use strict";

importScripts({{ outbox_store|tojson }});
KefirOutbox.signInPath = {{ sign_in_url|tojson }};

const SHELL = "kefir-shell-{{ version }}";
const PAGES = "kefir-pages";
const SHELL_FILES = {{ shell|tojson }};
const OFFLINE_PAGE = {{ offline_url|tojson }};
const NOTIFICATION_ICON = {{ icon|tojson }};
const SIGNED_OUT_PAGES = [{{ sign_in_url|tojson }}, {{ sign_up_url|tojson }}];
// Pages worth having offline: Today, History, Insights, the grains and their batches.
const KEPT = [/^\/$/, /^\/(history|insights)\/$/, /^\/grains\/(lineage\/|\d+\/)?$/, /^\/batches\/\d+\/$/];
// A kitchen Wi-Fi that answers nothing: after this long, the kept copy.
const NETWORK_WAIT_MS = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll([...SHELL_FILES, OFFLINE_PAGE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("kefir-shell-") && name !== SHELL)
            .map((name) => caches.delete(name)),
        ),
      ),
    // No clients.claim(): the app's next page is the worker's anyway, and a claim
    // evicts the pages Chromium keeps for Back (History as it was scrolled).
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return; // posts go to the network; the page keeps what failed (static/js/outbox.js)
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(
      caches.match(request, { cacheName: SHELL }).then((kept) => kept || fetch(request)),
    );
  }
});

async function navigate(event, url) {
  if (SIGNED_OUT_PAGES.includes(url.pathname)) {
    // Signed out (or the session ended): the last person's pages go.
    await caches.delete(PAGES);
    return fetch(event.request).catch(() => offlinePage());
  }
  const kept = KEPT.some((pattern) => pattern.test(url.pathname));
  const key = url.origin + url.pathname + url.search;
  // Back and Forward ask for the browser's HTTP cache first, which would answer offline
  // with the page as it was, banner hidden: the network, or the copy kept here.
  const network = fetch(event.request, { cache: "no-cache" }).then(async (response) => {
    const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
    if (kept && response.status === 200 && response.type === "basic" && html) {
      const cache = await caches.open(PAGES);
      await cache.put(key, response.clone());
    }
    return response;
  });
  event.waitUntil(network.catch(() => null));
  let copy = null;
  try {
    return await Promise.race([network, slow(NETWORK_WAIT_MS)]);
  } catch (error) {
    copy = kept ? await caches.match(key, { cacheName: PAGES }) : null;
  }
  if (copy) {
    return shownOffline(copy);
  }
  try {
    return await network; // slow, and nothing kept: wait for it after all
  } catch (error) {
    return offlinePage();
  }
}

function slow(ms) {
  return new Promise((resolve, reject) => setTimeout(() => reject(new Error("slow")), ms));
}

async function offlinePage() {
  return (await caches.match(OFFLINE_PAGE, { cacheName: SHELL })) || Response.error();
}

// The kept page with its banner ("Offline — showing what you saw at 07:12") shown:
// the page carries the time it was made, in the person's clock.
async function shownOffline(copy) {
  const html = (await copy.text()).replace(
    'id="offline-banner" hidden',
    'id="offline-banner" data-offline',
  );
  const headers = new Headers(copy.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  return new Response(html, { status: 200, headers });
}

// Background Sync: the connection is back. An open page sends the forms itself, as
// it can show what the server answered; with none open, the worker does.
self.addEventListener("sync", (event) => {
  if (event.tag === KefirOutbox.SYNC_TAG) {
    event.waitUntil(sendFromWorker());
  }
});

async function sendFromWorker() {
  const windows = await self.clients.matchAll({ type: "window" });
  const visible = windows.filter((client) => client.visibilityState === "visible");
  if (visible.length) {
    visible.forEach((client) => client.postMessage({ type: "kefir:send-outbox" }));
    return;
  }
  for (const item of await KefirOutbox.waiting()) {
    const outcome = await KefirOutbox.send(item, item.token);
    if (outcome.state === "offline") {
      throw new Error("still offline"); // the browser tries the sync again later
    }
    // Refused for its token only (the session changed): a page sends it with a fresh one.
    if (outcome.state !== "forbidden") {
      await KefirOutbox.settle(item, outcome);
    }
  }
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "kefir:forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});

// Web Push: a reminder sent by the server (kefir_tracker/push/sending.py), shown as a
// notification; one per tag, so a reminder sent again replaces itself.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data.text() };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "Kefir Tracker", {
      body: message.body || "",
      tag: message.tag,
      icon: NOTIFICATION_ICON,
      data: { url: new URL(message.url || "/", self.location.origin).href },
    }),
  );
});

// A tap on it: the tab already on that page, or a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || self.location.origin + "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === url && "focus" in client);
      return open ? open.focus() : self.clients.openWindow(url);
    }),
  );
});
