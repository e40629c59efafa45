/* The field app's service worker (scope /app/), built from Workbox's runtime modules vendored from npm
 * (app/workbox/, refreshed by .ci/fieldapp/refresh.mjs and checked in CI):
 *  - precaching: the app shell (precache-manifest.js, one content hash per file), so the app opens offline;
 *  - runtime caching: API reads network-first (the last answer stands in while offline; cleared at sign-out);
 *  - lesson videos served by the suite (/api/v1/videos/{id}): from the cache when the person kept the video for
 *    offline viewing (the page puts the whole video there; the range-requests plugin answers the player's ranges from
 *    it, network or not), else from the network with the person's token, which this worker asks the page for: a
 *    <video> element cannot send an Authorization header, and tokens live in the page's memory only;
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

/** Where the suite serves lesson videos, and the cache the page keeps them in (trainee.js uses the same name). */
const VIDEOS = '/api/v1/videos/';
const VIDEO_CACHE = 'bimtek-field-videos';

/**
 * The person's token, asked of the page the request comes from (over a MessageChannel; main.js answers), or null
 * when no page answers within 3 s. Nothing is kept here.
 * @param {FetchEvent | undefined} event @returns {Promise<string | null>}
 */
async function tokenFor(event) {
  const client = event && event.clientId ? await self.clients.get(event.clientId) : undefined;
  const pages = client ? [client] : await self.clients.matchAll({ type: 'window' });
  if (pages.length === 0) {
    return null;
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), 3000);
    channel.port1.onmessage = (message) => {
      clearTimeout(timer);
      resolve(message.data && typeof message.data.token === 'string' ? message.data.token : null);
    };
    pages[0].postMessage({ type: 'access-token' }, [channel.port2]);
  });
}

/**
 * A video request as the network gets it: same-origin, with the person's token and the player's Range.
 * @param {{ request: Request, event?: ExtendableEvent }} options @returns {Promise<Request>}
 */
async function withToken({ request, event }) {
  const headers = new Headers();
  const range = request.headers.get('Range');
  if (range) {
    headers.set('Range', range);
  }
  const token = await tokenFor(/** @type {FetchEvent | undefined} */ (event));
  if (token) {
    headers.set('Authorization', 'Bearer ' + token);
  }
  return new Request(request.url, { method: 'GET', headers, mode: 'same-origin', credentials: 'omit', cache: 'no-store' });
}

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
    && url.pathname.startsWith('/api/v1/') && !url.pathname.startsWith('/api/v1/photos/') && !url.pathname.startsWith(VIDEOS)
    && !url.pathname.endsWith(':watch'),
  new NetworkFirst({
    cacheName: 'bimtek-field-api',
    networkTimeoutSeconds: 8,
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 7 * 24 * 3600 })],
  }));

// Lesson videos served by the suite: from the cache when kept (only the page's "keep for offline" puts one there,
// whole; this route never stores what the player streams), else from the network with the token.
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.method === 'GET' && url.pathname.startsWith(VIDEOS),
  new CacheFirst({
    cacheName: VIDEO_CACHE,
    plugins: [new RangeRequestsPlugin(), { requestWillFetch: withToken, cacheWillUpdate: async () => null }],
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
