// Buurtbel's service worker: after the first visit the whole app opens without a connection.
// The build (scripts/post-build.mjs) fills in the version and the exact list of built files.
// The team's data never passes through here: /api is always the network's.
const VERSION = '__BUURTBEL_VERSION__';
const PRECACHE = __BUURTBEL_PRECACHE__;
const CACHE = `buurtbel-${VERSION}`;

self.addEventListener('install', (event) => {
  // A new version waits until the user chooses to update: the app shows a banner.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('buurtbel-') && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return;
  // Residents' and coaches' pages are the server's, rendered fresh; an ambassador opening one
  // sees it live.
  if (url.pathname.startsWith('/doe-mee/')) return;
  if (url.pathname === '/begeleider' || url.pathname.startsWith('/begeleider/')) return;
  if (request.mode === 'navigate') {
    // Every app path is the app: the cached index.html, whatever the connection.
    event.respondWith(
      caches.open(CACHE).then(async (cache) => (await cache.match('/index.html')) || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(request)) || fetch(request)),
  );
});
