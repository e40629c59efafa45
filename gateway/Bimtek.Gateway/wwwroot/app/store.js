// @ts-check
/**
 * The app's IndexedDB ('bimtek-field'): the outbox of actions waiting to be sent (with their photos as Blobs) and
 * a few remembered values (the signed-in person and their programmes, so the app opens offline).
 */

/** @typedef {{requestId: string, programmeId: string, traineeId?: string, blob?: Blob, photoId?: string}} QueuedPhoto */
/**
 * @typedef {{
 *   id: string, subject: string, kind: string, label: string, method: string, path: string, body: Record<string, any>,
 *   photos: QueuedPhoto[], createdAt: number, status: 'waiting' | 'failed' | 'sent', attempts: number,
 *   reason?: string, reasonCode?: string, answer?: any, sentAt?: number, after?: string
 * }} OutboxItem
 */

const name = 'bimtek-field';

/** @type {Promise<IDBDatabase> | null} */
let opening = null;

/** @returns {Promise<IDBDatabase>} */
function db() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const database = request.result;
      database.createObjectStore('outbox', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
      database.createObjectStore('kv');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

/**
 * @template T
 * @param {string} store @param {IDBTransactionMode} mode @param {(s: IDBObjectStore) => IDBRequest<T>} work
 * @returns {Promise<T>}
 */
async function run(store, mode, work) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(store, mode);
    const request = work(transaction.objectStore(store));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/** @param {OutboxItem} item */
export function putItem(item) {
  return run('outbox', 'readwrite', (s) => s.put(item));
}

/** @param {string} id */
export function deleteItem(id) {
  return run('outbox', 'readwrite', (s) => s.delete(id));
}

/** @param {string} id @returns {Promise<OutboxItem | undefined>} */
export function getItem(id) {
  return run('outbox', 'readonly', (s) => s.get(id));
}

/** Every item, oldest first. @returns {Promise<OutboxItem[]>} */
export function allItems() {
  return run('outbox', 'readonly', (s) => s.index('createdAt').getAll());
}

/** @param {string} key @returns {Promise<any>} */
export function remember(key) {
  return run('kv', 'readonly', (s) => s.get(key));
}

/** @param {string} key @param {any} value */
export function keep(key, value) {
  return run('kv', 'readwrite', (s) => s.put(value, key));
}

/** Forgets the remembered values (sign-out); the outbox stays, it is per person. */
export function forgetAll() {
  return run('kv', 'readwrite', (s) => s.clear());
}
