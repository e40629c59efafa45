// @ts-check
/**
 * Calls to the gateway's public REST surface (/api/v1/...) with the signed-in user's credential: the access
 * token from the identity service (memory only, see auth.js), or an API key / pasted token kept in
 * sessionStorage (this tab only; the office's own machines). Nothing here knows a service's address: the
 * gateway routes everything.
 */
import { accessToken, forgetTokens } from './auth.js';

/** @typedef {{kind: 'apiKey' | 'bearer', value: string}} Credential */

export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const storageKey = 'bimtek.credential';

/** @returns {Credential | null} */
export function credential() {
  const token = accessToken();
  if (token) {
    return { kind: 'bearer', value: token };
  }
  const raw = sessionStorage.getItem(storageKey);
  return raw ? JSON.parse(raw) : null;
}

/** @param {Credential | null} value */
export function setCredential(value) {
  if (value) {
    sessionStorage.setItem(storageKey, JSON.stringify(value));
  } else {
    sessionStorage.removeItem(storageKey);
    forgetTokens();
  }
}

/** @returns {Record<string, string>} */
function authHeaders() {
  const c = credential();
  if (!c) {
    return {};
  }
  return c.kind === 'apiKey' ? { 'X-Api-Key': c.value } : { Authorization: 'Bearer ' + c.value };
}

/** Called on every 401: the credential is no longer accepted (see app.js). @type {() => void} */
let unauthorized = () => {};

/** @param {() => void} handler */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** @param {Response} response */
async function failure(response) {
  if (response.status === 401) {
    unauthorized();
  }
  let message = response.statusText;
  try {
    const body = await response.json();
    message = body.message || message;
  } catch {
    // Not JSON: keep the status text.
  }
  return new ApiError(response.status, message);
}

/**
 * GET a JSON resource. @param {string} path @param {Record<string, string | number | undefined>} [query]
 * @returns {Promise<any>}
 */
export async function get(path, query) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') {
      url.searchParams.set(key, String(value));
    }
  }
  const response = await fetch(url, { headers: { Accept: 'application/json', ...authHeaders() } });
  if (!response.ok) {
    throw await failure(response);
  }
  return response.json();
}

/** POST a JSON body with a fresh request_id (every mutating call is idempotent on it). @param {string} path @param {object} body */
export async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...authHeaders() },
    body: JSON.stringify({ requestId: crypto.randomUUID(), ...body }),
  });
  if (!response.ok) {
    throw await failure(response);
  }
  return response.json();
}

/** GET a binary body (the handover PDF) as a Blob. @param {string} path */
export async function blob(path) {
  const response = await fetch(path, { headers: { Accept: 'application/pdf', ...authHeaders() } });
  if (!response.ok) {
    throw await failure(response);
  }
  return response.blob();
}

/**
 * Reads a server-streaming transcoded gRPC call (a sequence of JSON objects) and hands each message to
 * onMessage. Reconnects with back-off when the stream ends or breaks (the gateway or service may close an
 * idle stream), until the returned function is called.
 * @param {string} path @param {(message: any) => void} onMessage @param {(live: boolean) => void} onState
 * @returns {() => void} stop
 */
export function watch(path, onMessage, onState) {
  let stopped = false;
  /** @type {AbortController | null} */
  let controller = null;
  let delay = 1000;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(path, { headers: { Accept: 'application/json', ...authHeaders() }, signal: controller.signal });
        if (!response.ok || !response.body) {
          throw await failure(response);
        }
        onState(true);
        delay = 1000;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        const splitter = new JsonObjectSplitter();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          for (const message of splitter.push(value)) {
            onMessage(message);
          }
        }
      } catch (error) {
        if (stopped) {
          return;
        }
        if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404)) {
          onState(false);
          return;
        }
      }
      if (stopped) {
        return;
      }
      onState(false);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  };
  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/**
 * Cuts a text stream into top-level JSON objects, whatever separates them (newlines, commas, an enclosing
 * array): counts braces outside strings.
 */
export class JsonObjectSplitter {
  buffer = '';
  depth = 0;
  inString = false;
  escaped = false;
  start = -1;
  scanned = 0;

  /** @param {string} chunk @returns {any[]} */
  push(chunk) {
    this.buffer += chunk;
    /** @type {any[]} */
    const messages = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
        } else if (c === '\\') {
          this.escaped = true;
        } else if (c === '"') {
          this.inString = false;
        }
      } else if (c === '"') {
        this.inString = true;
      } else if (c === '{') {
        if (this.depth++ === 0) {
          this.start = i;
        }
      } else if (c === '}' && this.depth > 0 && --this.depth === 0) {
        messages.push(JSON.parse(this.buffer.slice(this.start, i + 1)));
        this.buffer = this.buffer.slice(i + 1);
        i = -1;
        this.start = -1;
      }
    }
    this.scanned = this.buffer.length;
    if (this.depth === 0) {
      this.buffer = '';
      this.scanned = 0;
    }
    return messages;
  }
}
