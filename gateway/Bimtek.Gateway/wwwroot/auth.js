// @ts-check
/**
 * Signing people in through the suite's identity service: OpenID Connect authorization code + PKCE as the
 * dashboard's public client. The tokens live in this module's memory only (never in storage): a reload signs in
 * again by a redirect that the identity service answers at once while its own session lasts. The access token
 * is refreshed with the refresh token a minute before it expires (the identity service rotates the refresh
 * token on every use). Sign-out forgets the tokens and ends the session at the end-session endpoint.
 *
 * Only the PKCE verifier and the state of a sign-in under way are kept in sessionStorage, for the redirect.
 * The field app (/app/) uses this module too, with its own callback page and home (configure).
 */

/** @typedef {{authority: string | null, clientId: string}} DashboardConfig */
/** @typedef {{access_token: string, refresh_token?: string, id_token?: string, expires_in?: number}} TokenAnswer */

const pendingKey = 'bimtek.oidc.pending';
const usedKey = 'bimtek.oidc.used';
let callbackPath = '/signin-callback.html';
let homePath = '/';

/**
 * Where this page's sign-in comes back and where sign-out ends (both registered with the identity service).
 * @param {{callback: string, home: string}} paths
 */
export function configure(paths) {
  callbackPath = paths.callback;
  homePath = paths.home;
}

/** @type {DashboardConfig | null} */
let config = null;
/** @type {{access: string, refresh: string | null, idToken: string | null, expiresAt: number} | null} */
let tokens = null;
/** @type {ReturnType<typeof setTimeout> | null} */
let refreshTimer = null;
/** Called when the session ends without the user asking (refresh refused): the page shows sign-in again. */
let onLost = () => {};

/** @param {() => void} handler */
export function onSessionLost(handler) {
  onLost = handler;
}

/** The gateway's /dashboard-config.json (where people sign in). @returns {Promise<DashboardConfig>} */
export async function loadConfig() {
  if (config) {
    return config;
  }
  try {
    const response = await fetch('/dashboard-config.json', { headers: { Accept: 'application/json' } });
    config = response.ok ? await response.json() : { authority: null, clientId: '' };
  } catch {
    config = { authority: null, clientId: '' };
  }
  return /** @type {DashboardConfig} */ (config);
}

/** Whether people can sign in with the identity service here. */
export function available() {
  return Boolean(config?.authority);
}

/** The current access token, if signed in through the identity service. @returns {string | null} */
export function accessToken() {
  return tokens ? tokens.access : null;
}

/** @param {string} path */
function endpoint(path) {
  const authority = /** @type {string} */ (config?.authority);
  return new URL(path, authority.endsWith('/') ? authority : authority + '/').toString();
}

/** @param {Uint8Array} bytes */
function base64Url(bytes) {
  let text = '';
  for (const b of bytes) {
    text += String.fromCharCode(b);
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText() {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Goes to the identity service's sign-in. @param {string} [returnHash] the page to show afterwards */
export async function signIn(returnHash) {
  await loadConfig();
  const verifier = randomText();
  const state = randomText();
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, returnHash: returnHash ?? location.hash }));
  const query = new URLSearchParams({
    client_id: /** @type {DashboardConfig} */ (config).clientId,
    response_type: 'code',
    redirect_uri: location.origin + callbackPath,
    scope: 'openid offline_access profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  location.assign(endpoint('connect/authorize') + '?' + query.toString());
}

/**
 * On the registered redirect page: exchanges the code for tokens and puts the dashboard's address back.
 * @returns {Promise<'none' | 'signed-in' | 'failed'>}
 */
export async function completeSignIn() {
  if (location.pathname !== callbackPath) {
    return 'none';
  }
  await loadConfig();
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null');
  sessionStorage.removeItem(pendingKey);
  const code = params.get('code');
  const ok = Boolean(pending && code && params.get('state') === pending.state && available());
  history.replaceState(null, '', homePath + (pending?.returnHash ?? ''));
  if (!ok) {
    return 'failed';
  }
  const answer = await tokenRequest({
    grant_type: 'authorization_code',
    code: /** @type {string} */ (code),
    redirect_uri: location.origin + callbackPath,
    client_id: /** @type {DashboardConfig} */ (config).clientId,
    code_verifier: pending.verifier,
  });
  if (!answer || answer === 'unreachable') {
    return 'failed';
  }
  sessionStorage.setItem(usedKey, '1');
  return 'signed-in';
}

/** Whether this tab signed in through the identity service before (a reload then signs in again at once). */
export function signedInBefore() {
  return sessionStorage.getItem(usedKey) === '1' && available();
}

/**
 * @param {Record<string, string>} form
 * @returns {Promise<TokenAnswer | null | 'unreachable'>} null when refused, 'unreachable' without a connection
 */
async function tokenRequest(form) {
  let response;
  try {
    response = await fetch(endpoint('connect/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form),
    });
  } catch {
    return 'unreachable';
  }
  if (!response.ok) {
    return null;
  }
  /** @type {TokenAnswer} */
  const answer = await response.json();
  const lifetime = (answer.expires_in ?? 300) * 1000;
  tokens = {
    access: answer.access_token,
    refresh: answer.refresh_token ?? tokens?.refresh ?? null,
    idToken: answer.id_token ?? tokens?.idToken ?? null,
    expiresAt: Date.now() + lifetime,
  };
  scheduleRefresh(lifetime);
  return answer;
}

/** Refreshes a minute before expiry (at least 5 s from now). @param {number} lifetime */
function scheduleRefresh(lifetime) {
  if (refreshTimer) {
    clearTimeout(refreshTimer);
  }
  refreshTimer = setTimeout(refresh, Math.max(5000, lifetime - 60000));
}

/** Uses the refresh token now; the session is lost when the identity service refuses it. @returns {Promise<boolean>} */
export async function refresh() {
  if (!tokens?.refresh || !config) {
    return false;
  }
  const answer = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh, client_id: config.clientId });
  if (answer === 'unreachable') {
    // No connection (a phone offline): keep the session and try again shortly.
    if (refreshTimer) {
      clearTimeout(refreshTimer);
    }
    refreshTimer = setTimeout(refresh, 15000);
    return false;
  }
  if (!answer) {
    endSession();
    onLost();
    return false;
  }
  return true;
}

/** Forgets the tokens (the identity service's session stays: signOut ends it). */
export function forgetTokens() {
  forget();
}

/**
 * The session is over without the user asking (a 401, a refused refresh): forgets the tokens and the "signed in
 * before" flag, so a reload shows the sign-in page instead of signing the tab in again at once.
 */
export function endSession() {
  forget();
  sessionStorage.removeItem(usedKey);
}

/**
 * The roles of the signed-in person, read from the access token's payload (for what the page offers only: the
 * gateway and the services decide what is allowed). Empty without a token from the identity service.
 * @returns {string[]}
 */
export function roles() {
  const payload = tokens?.access.split('.')[1];
  if (!payload) {
    return [];
  }
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    const value = json.roles ?? json.role ?? [];
    return Array.isArray(value) ? value.map(String) : [String(value)];
  } catch {
    return [];
  }
}

function forget() {
  tokens = null;
  if (refreshTimer) {
    clearTimeout(refreshTimer);
    refreshTimer = null;
  }
}

/** Forgets the tokens and ends the identity service's session; it sends the browser back to the dashboard. */
export function signOut() {
  const idToken = tokens?.idToken ?? null;
  forget();
  sessionStorage.removeItem(usedKey);
  if (!available()) {
    return false;
  }
  const query = new URLSearchParams({
    client_id: /** @type {DashboardConfig} */ (config).clientId,
    post_logout_redirect_uri: location.origin + homePath,
  });
  if (idToken) {
    query.set('id_token_hint', idToken);
  }
  location.assign(endpoint('connect/endsession') + '?' + query.toString());
  return true;
}
