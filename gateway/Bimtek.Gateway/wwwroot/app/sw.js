/* The field app's service worker (scope /app/), built from Workbox's runtime modules vendored from npm
 * (app/workbox/, refreshed by .ci/fieldapp/refresh.mjs and checked in CI):
 *  - precaching: the app shell (precache-manifest.js, one content hash per file), so the app opens offline;
 *  - runtime caching: API reads network-first (the last answer stands in while offline; cleared at sign-out),
 *    lesson videos served by the suite cache-first with range requests (kept for offline viewing);
 *  - background sync: when the browser has the Background Sync API, the page registers the tag 'bimtek-outbox'
 *    after queueing an action; on 'sync' this worker asks the open app pages to send their queue. The queue
 *    itself stays with the page (IndexedDB, app/outbox.js): people's tokens live in the page's memory only, so
 *    only the page can send, and it shows each waiting or failed action with the server's reason.
 */
/* global workbox */
importScripts('/app/workbox/workbox-sw.js', '/app/precache-manifest.js');

workbox.setConfig({ modulePathPrefix: '/app/workbox/', debug: false });
// Loaded while the worker is evaluated (importScripts is refused later).
workbox.loadModule('workbox-core');
workbox.loadModule('workbox-precaching');
workbox.loadModule('workbox-routing');
workbox.loadModule('workbox-strategies');
workbox.loadModule('workbox-expiration');
workbox.loadModule('workbox-cacheable-response');
workbox.loadModule('workbox-range-requests');

const { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL } = workbox.precaching;
const { registerRoute, NavigationRoute } = workbox.routing;
const { NetworkFirst, CacheFirst } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;
const { CacheableResponsePlugin } = workbox.cacheableResponse;
const { RangeRequestsPlugin } = workbox.rangeRequests;

workbox.core.setCacheNameDetails({ prefix: 'bimtek-field' });
self.skipWaiting();
workbox.core.clientsClaim();

precacheAndRoute(self.__PRECACHE_MANIFEST);
cleanupOutdatedCaches();

// Any page of the app (the sign-in callback, #/routes) opens from the precached shell.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/app/'), { allowlist: [/^\/app\//] }));

// API reads: the network first (8 s), the last good answer when there is none. Photos are left to the network
// (they are only ever shown to the people allowed to see them, and not kept on a shared phone).
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.method === 'GET'
    && url.pathname.startsWith('/api/v1/') && !url.pathname.startsWith('/api/v1/photos/') && !url.pathname.endsWith(':watch'),
  new NetworkFirst({
    cacheName: 'bimtek-field-api',
    networkTimeoutSeconds: 8,
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 7 * 24 * 3600 })],
  }));

// Lesson videos served by the suite: from the cache when kept (the page's "keep for offline" puts them there).
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.destination === 'video',
  new CacheFirst({
    cacheName: 'bimtek-field-videos',
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new RangeRequestsPlugin(),
      new ExpirationPlugin({ maxEntries: 20, purgeOnQuotaError: true })],
  }));

self.addEventListener('sync', (event) => {
  if (event.tag === 'bimtek-outbox') {
    event.waitUntil(self.clients.matchAll({ type: 'window' }).then((pages) => {
      for (const page of pages) {
        page.postMessage({ type: 'flush-outbox' });
      }
    }));
  }
});
