// @ts-check
/**
 * The dashboard shell: sign-in (people through the identity service, see auth.js; the office's machines with an
 * API key), language switch, and a hash router that renders one page into <main>:
 * #/programmes, #/programmes/{id}, #/me (a trainee's own page), #/handovers (a recipient's page),
 * #/messages (the signed-in person's messages) and #/messages/{subject} (a person's, for the office).
 *
 * A 401 from any call ends the session cleanly: the credential, the tokens and the "signed in before" flag are
 * forgotten and the sign-in page says why (a reload then stays there instead of signing in again at once).
 */
import { ApiError, credential, get, onUnauthorized, setCredential } from './api.js';
import * as auth from './auth.js';
import { h } from './dom.js';
import { renderHandovers } from './handovers.js';
import { lang, setLang, t } from './i18n.js';
import { renderMessages } from './notifications.js';
import { renderProgramme } from './programme.js';
import { renderProgrammes } from './programmes.js';
import { renderTrainee } from './trainee.js';
import { problem } from './ui.js';

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const langSelect = /** @type {HTMLSelectElement} */ (document.getElementById('lang'));
const signOut = /** @type {HTMLButtonElement} */ (document.getElementById('sign-out'));

/** Stops what the current page left running (the live stream). @type {() => void} */
let cleanup = () => {};

/** The signed-in person, when the credential belongs to a registered person (trainees, staff). @type {any} */
let me = null;

function shell() {
  document.documentElement.lang = lang();
  langSelect.value = lang();
  document.title = t('appTitle');
  /** @type {HTMLElement} */ (document.getElementById('app-title')).textContent = t('appTitle');
  /** @type {HTMLElement} */ (document.getElementById('lang-label')).textContent = t('language');
  /** @type {HTMLElement} */ (document.querySelector('.skip')).textContent = lang() === 'id' ? 'Lewati ke isi' : 'Skip to content';
  nav.setAttribute('aria-label', lang() === 'id' ? 'Navigasi' : 'Navigation');
  signOut.textContent = t('signOut');
  signOut.hidden = !credential();
  nav.replaceChildren();
  if (credential()) {
    if (!onlyRecipient()) {
      nav.append(h('a', { href: '#/programmes', text: t('programmes') }));
    }
    if (auth.roles().includes('recipient')) {
      nav.append(h('a', { href: '#/handovers', text: t('myHandovers') }));
    }
    if (me?.kind === 'PERSON_KIND_TRAINEE') {
      nav.append(h('a', { href: '#/me', text: t('myPage') }));
    }
    if (me?.subject) {
      nav.append(h('a', { href: '#/messages', text: t('myMessages') }));
    }
  }
}

/** A recipient agency's user (signed in through the identity service): their page is #/handovers. */
function onlyRecipient() {
  const roles = auth.roles();
  return roles.includes('recipient') && !roles.some((r) => r === 'operator' || r === 'integrator');
}

/** Shown once above the sign-in forms (a failed callback, a session that ended). @type {string | null} */
let notice = null;

/** People's sign-in through the identity service, then the API-key form for the office's own machines. */
function signInPage() {
  const page = document.createElement('div');
  if (notice) {
    page.append(h('p', { class: 'error', role: 'alert', text: notice }));
    notice = null;
  }
  if (auth.available()) {
    const button = h('button', { type: 'button', id: 'sign-in-account', text: t('signInWithAccount') });
    button.addEventListener('click', () => auth.signIn(location.hash));
    page.append(h('section', { class: 'card sign-in-account', 'aria-labelledby': 'sign-in-account-title' },
      h('h2', { id: 'sign-in-account-title', text: t('signInPeople') }),
      h('p', { text: t('signInPeopleIntro') }),
      button));
  }
  page.append(signInForm());
  return page;
}

function signInForm() {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const kind = h('select', { id: 'credential-kind', name: 'kind' },
    h('option', { value: 'apiKey', text: t('apiKey') }), h('option', { value: 'bearer', text: t('bearerToken') }));
  const value = h('input', { id: 'credential', name: 'credential', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title', text: auth.available() ? t('signInOffice') : t('signIn') }),
    h('p', { text: t('signInIntro') }),
    h('label', { for: 'credential-kind', text: t('credentialKind') }), kind,
    h('label', { for: 'credential', text: t('credential') }), value,
    h('button', { type: 'submit', text: t('signIn') }),
    error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    signingIn = true;
    const chosen = /** @type {HTMLSelectElement} */ (kind).value === 'bearer' ? 'bearer' : 'apiKey';
    setCredential({ kind: chosen, value: /** @type {HTMLInputElement} */ (value).value.trim() });
    try {
      await identify();
      const target = me?.kind === 'PERSON_KIND_TRAINEE' ? '#/me' : onlyRecipient() ? '#/handovers' : '#/programmes';
      if (location.hash === target) {
        await route();
      } else {
        location.hash = target; // hashchange renders it
      }
    } catch {
      setCredential(null);
      error.textContent = t('signInFailed');
      error.hidden = false;
    } finally {
      signingIn = false;
    }
  });
  return form;
}

/** Checks the credential and finds the caller's person record, if any (API clients have none). */
async function identify() {
  me = null;
  try {
    me = await get('/api/v1/people/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw error;
    }
    // 404 (no person with this subject) or 403: an API client or operator without a person record.
  }
}

/** Increases with every route, so a page that finishes loading after the user moved on stops at once. */
let generation = 0;

async function route() {
  const mine = ++generation;
  cleanup();
  cleanup = () => {};
  shell();
  if (!credential()) {
    main.replaceChildren(signInPage());
    return;
  }
  const [, page, id] = (location.hash || '#/').split('/');
  main.replaceChildren(h('p', { class: 'loading', role: 'status', text: t('loading') }));
  // Pages render into a detached element that replaces <main> only if the user has not moved on meanwhile.
  const view = document.createElement('div');
  /** @type {() => void} */
  let stop = () => {};
  try {
    if (page === 'programmes' && id) {
      stop = await renderProgramme(view, decodeURIComponent(id));
    } else if (page === 'messages') {
      await renderMessages(view, id ? decodeURIComponent(id) : me?.subject ?? '');
    } else if (page === 'me' || (!page && me?.kind === 'PERSON_KIND_TRAINEE')) {
      await renderTrainee(view, me);
    } else if (page === 'handovers' || (!page && onlyRecipient())) {
      await renderHandovers(view);
    } else {
      await renderProgrammes(view);
    }
  } catch (error) {
    view.replaceChildren(problemOrSignIn(error));
  }
  if (mine === generation) {
    cleanup = stop;
    main.replaceChildren(...view.childNodes);
  } else {
    stop();
  }
}

/** A page-level failure: back to sign-in when the credential is no longer accepted. @param {unknown} error */
function problemOrSignIn(error) {
  if (error instanceof ApiError && error.status === 401) {
    endSession();
    return signInPage();
  }
  return problem(error);
}

/** While the API-key form checks a credential (its own message says it was refused). */
let signingIn = false;
/** Set once the start-up below has rendered the first page. */
let started = false;

/** Forgets every credential of this tab: the API key or pasted token, the tokens and the "signed in before" flag. */
function endSession() {
  setCredential(null);
  auth.endSession();
  me = null;
}

onUnauthorized(() => {
  if (signingIn || !credential()) {
    return;
  }
  endSession();
  notice = t('sessionEnded');
  if (started) {
    route();
  }
});

langSelect.addEventListener('change', () => {
  setLang(langSelect.value === 'en' ? 'en' : 'id');
  route();
});
signOut.addEventListener('click', () => {
  const throughIdentity = auth.accessToken() !== null;
  setCredential(null);
  me = null;
  if (throughIdentity && auth.signOut()) {
    return; // the identity service ends its session and sends the browser back here
  }
  location.hash = '';
  route();
});
window.addEventListener('hashchange', () => {
  route();
  main.focus();
});

auth.onSessionLost(() => {
  me = null;
  notice = t('sessionEnded');
  route();
});

(async () => {
  await auth.loadConfig();
  const callback = await auth.completeSignIn();
  if (callback === 'failed') {
    notice = t('signInCallbackFailed');
  } else if (callback === 'none' && !credential() && auth.available() && (auth.signedInBefore() || location.hash === '#/signin')) {
    // A reload (the tokens were in memory only), or the identity service sending a person here after a code or
    // password sign-in on its own pages: its session signs the tab in at once.
    await auth.signIn(location.hash === '#/signin' ? '' : location.hash);
    return;
  }
  if (credential()) {
    try {
      await identify();
    } catch {
      endSession();
    }
  }
  started = true;
  await route();
})();
