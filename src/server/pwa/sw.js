// Herald's service worker. The server prepends `const VERSION = "…";`, a hash of the
// browser bundle, so every build gets its own cache and an update replaces the old one, and
// `const BUNDLE = […];`, the bundle's file addresses (named by their hashes in release builds).
//
// What is cached: the app's static files and the offline page, and — so that a draft can be
// reopened and finished without a connection — the composer's pages, in a cache of their own
// that is emptied whenever someone reaches the sign-in page (signing out lands there). What
// never is: /api calls and every other page, which belong to whoever is signed in.

const CACHE = `herald-${VERSION}`;
const PAGES = "herald-pages";
const PRECACHE = [
  "/offline",
  ...BUNDLE,
  "/manifest.webmanifest",
  "/favicon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/maskable-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
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
            .filter((name) => name.startsWith("herald-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    if (url.pathname === "/sign-in") {
      event.waitUntil(caches.delete(PAGES));
    }
    if (url.pathname === "/compose" || url.pathname.startsWith("/compose/")) {
      event.respondWith(composerPage(request));
      return;
    }
    // Other pages always come from the network; without one, the offline page.
    event.respondWith(fetch(request).catch(() => caches.match("/offline")));
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  }
});

// The network's copy when there is a network (kept for later), else the last one kept.
async function composerPage(request) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      const copy = response.clone();
      caches.open(PAGES).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (offline) {
    const kept = await caches.match(request, { ignoreSearch: true });
    return kept || caches.match("/offline");
  }
}
