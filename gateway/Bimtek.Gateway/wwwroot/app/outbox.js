// @ts-check
/**
 * Offline first: every mutating action is queued here when the person taps — with its requestId chosen at that
 * moment and kept in IndexedDB — and sent when there is a connection and a signed-in person: at once when online,
 * on the 'online' event, when the service worker relays a Background Sync 'sync', when the app opens, and every
 * 20 s while something waits. A resend uses the same requestId, so the suite applies it once (its idempotency on
 * request_id): an answer lost on the way only makes the phone ask again and get the first answer back.
 *
 * Photos travel first (POST /api/v1/programmes/{id}/photos?requestId=…&traineeId=…, one requestId per photo, also kept), then
 * the action with their photoIds. An action may wait for another (after): a send-back for rework waits for its
 * sign-off. Refusals (4xx other than 401/408/429) are final: the item is "failed" with the server's reason, shown
 * in the person's language when the reason code is known (texts 'reason.CODE'), else the server's message.
 */
import { accessToken } from '../auth.js';
import { t } from '../i18n.js';
import * as store from './store.js';

/** @typedef {import('./store.js').OutboxItem} OutboxItem */

/** @type {Set<() => void>} */
const listeners = new Set();
/** @type {string | null} */
let subject = null;
/** @type {Promise<void> | null} */
let flushing = null;
/** @type {ReturnType<typeof setTimeout> | null} */
let retryTimer = null;
let lastCreated = 0;

/** Called whenever the queue changes (the screens redraw their counts). @param {() => void} listener */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed() {
  for (const listener of listeners) {
    listener();
  }
}

/** Whose queue this is (the token's subject): only their items are sent with their token. @param {string | null} value */
export function setSubject(value) {
  subject = value;
}

/**
 * Queues an action and tries to send it at once.
 * @param {{kind: string, label: string, path: string, body: Record<string, any>, method?: string,
 *   photos?: {programmeId: string, traineeId?: string, blob: Blob}[], after?: string}} action
 * @returns {Promise<OutboxItem>}
 */
export async function enqueue(action) {
  if (!subject) {
    throw new Error('not signed in');
  }
  lastCreated = Math.max(Date.now(), lastCreated + 1);
  /** @type {OutboxItem} */
  const item = {
    id: crypto.randomUUID(),
    subject,
    kind: action.kind,
    label: action.label,
    method: action.method ?? 'POST',
    path: action.path,
    body: action.body,
    photos: (action.photos ?? []).map((p) => ({ requestId: crypto.randomUUID(), programmeId: p.programmeId, traineeId: p.traineeId, blob: p.blob })),
    createdAt: lastCreated,
    status: 'waiting',
    attempts: 0,
    after: action.after,
  };
  await store.putItem(item);
  changed();
  requestBackgroundSync();
  flush();
  return item;
}

/** The person's items, oldest first. @returns {Promise<OutboxItem[]>} */
export async function items() {
  return (await store.allItems()).filter((i) => i.subject === subject);
}

/** Removes a failed or sent item from the list. @param {string} id */
export async function dismiss(id) {
  await store.deleteItem(id);
  changed();
}

/** Sends what waits (one run at a time; a second call joins the running one). @returns {Promise<void>} */
export function flush() {
  flushing ??= run().finally(() => {
    flushing = null;
    changed();
    schedule();
  });
  return flushing;
}

async function run() {
  if (!navigator.onLine || !accessToken() || !subject) {
    return;
  }
  for (const item of await items()) {
    if (item.status !== 'waiting') {
      continue;
    }
    if (item.after) {
      const first = await store.getItem(item.after);
      if (first && first.status === 'failed') {
        await finish(item, 'failed', { reason: t('reasonAfterFailed') });
        continue;
      }
      if (first && first.status !== 'sent') {
        continue;
      }
    }
    if ((await send(item)) === 'stop') {
      return;
    }
  }
}

/** @param {OutboxItem} item @returns {Promise<'next' | 'stop'>} */
async function send(item) {
  const token = accessToken();
  if (!token) {
    return 'stop';
  }
  item.attempts += 1;
  await store.putItem(item);
  try {
    for (const photo of item.photos) {
      if (photo.photoId || !photo.blob) {
        continue;
      }
      const query = new URLSearchParams({ requestId: photo.requestId, ...(photo.traineeId ? { traineeId: photo.traineeId } : {}) });
      const upload = await fetch(`/api/v1/programmes/${encodeURIComponent(photo.programmeId)}/photos?${query}`, {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + token, 'Content-Type': photo.blob.type || 'application/octet-stream', Accept: 'application/json' },
        body: photo.blob,
      });
      if (!upload.ok) {
        return await refused(item, upload);
      }
      photo.photoId = (await upload.json()).photoId;
      await store.putItem(item);
    }
    /** @type {Record<string, any>} */
    const body = { ...item.body, requestId: item.id };
    if (item.photos.length > 0) {
      body.photoIds = item.photos.map((p) => p.photoId);
    }
    const response = await fetch(item.path, {
      method: item.method,
      headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      return await refused(item, response);
    }
    // Sent: the photos are on the server now; the phone keeps only their ids.
    item.photos = item.photos.map((p) => ({ requestId: p.requestId, programmeId: p.programmeId, traineeId: p.traineeId, photoId: p.photoId, blob: undefined }));
    await finish(item, 'sent', { answer: await response.json().catch(() => ({})) });
    return 'next';
  } catch {
    // No answer (offline, or the connection dropped after the server may have applied it): send again later,
    // with the same requestId.
    await store.putItem(item);
    return 'stop';
  }
}

/** @param {OutboxItem} item @param {Response} response @returns {Promise<'next' | 'stop'>} */
async function refused(item, response) {
  if ([401, 408, 429].includes(response.status) || response.status >= 500) {
    // Not a refusal of the action: signed out, too many requests, or the suite is busy. Try again later.
    return 'stop';
  }
  let code = '';
  let message = response.statusText || String(response.status);
  try {
    const body = await response.json();
    message = body.message || message;
    code = (body.details ?? []).map((/** @type {any} */ d) => d.reason).find((/** @type {any} */ r) => r) ?? '';
  } catch {
    // Not JSON: the status text stands.
  }
  await finish(item, 'failed', { reason: message, reasonCode: code || 'HTTP_' + response.status });
  return 'next';
}

/** @param {OutboxItem} item @param {'sent' | 'failed'} status @param {Partial<OutboxItem>} extra */
async function finish(item, status, extra) {
  Object.assign(item, extra, { status, sentAt: Date.now() });
  await store.putItem(item);
  changed();
}

/** The reason of a failed item in the person's language. @param {OutboxItem} item */
export function reasonText(item) {
  const known = item.reasonCode ? t('reason.' + item.reasonCode) : '';
  return known && known !== 'reason.' + item.reasonCode ? known : (item.reason ?? '');
}

/** While something waits and the phone is online, try again every 20 s. */
function schedule() {
  if (retryTimer) {
    clearTimeout(retryTimer);
    retryTimer = null;
  }
  items().then((list) => {
    if (list.some((i) => i.status === 'waiting')) {
      retryTimer = setTimeout(flush, 20000);
    }
  });
}

/** Asks the browser for a Background Sync (where it has one): the service worker then asks this page to send. */
function requestBackgroundSync() {
  if (!('serviceWorker' in navigator)) {
    return;
  }
  navigator.serviceWorker.ready
    .then((registration) => /** @type {any} */ (registration).sync?.register('bimtek-outbox'))
    .catch(() => {});
}

/** Drops items sent more than a day ago (the queue screen shows recent ones as sent). */
export async function prune() {
  const day = Date.now() - 86400000;
  for (const item of await store.allItems()) {
    if (item.status === 'sent' && (item.sentAt ?? 0) < day) {
      await store.deleteItem(item.id);
    }
  }
}

window.addEventListener('online', () => flush());
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'flush-outbox') {
      flush();
    }
  });
}
