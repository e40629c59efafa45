// @ts-check
/**
 * The field app's shell (/app/): the service worker, sign-in through the identity service (../auth.js, as the
 * dashboard's public client with its own redirect page /app/signin-callback.html), the connection badge, the
 * tabs for the person's role and a hash router:
 *   trainee:        #/ (progress, pace, kit), #/report, #/lessons, #/help, #/queue
 *   instructor:     #/ (today's home visits), #/inspect, #/queue
 *   health expert:  #/ (sign-off queue), #/queue
 * The signed-in person and their programmes are remembered in IndexedDB, so the app opens offline and queues
 * actions; tokens stay in memory (a reload signs in again while the identity service's session lasts).
 */
import { ApiError, get } from '../api.js';
import * as auth from '../auth.js';
import { h } from '../dom.js';
import { addTexts, lang, setLang, t } from '../i18n.js';
import { renderVisits, renderInspect } from './instructor.js';
import { renderSignOffQueue } from './expert.js';
import * as outbox from './outbox.js';
import { renderQueue } from './queue.js';
import * as store from './store.js';
import { texts } from './texts.js';
import { renderHelp, renderHome, renderLessons, renderReport } from './trainee.js';

addTexts(texts);
auth.configure({ callback: '/app/signin-callback.html', home: '/app/' });

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const tabs = /** @type {HTMLElement} */ (document.getElementById('tabs'));
const net = /** @type {HTMLElement} */ (document.getElementById('net'));
const langSelect = /** @type {HTMLSelectElement} */ (document.getElementById('lang'));

/** @typedef {{me: any, subject: string}} Profile */
/** @type {Profile | null} */
let profile = null;
/** @type {string | null} */
let notice = null;

/** The token's subject (read, not verified: the gateway verifies). @param {string} token */
function subjectOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).sub ?? null;
  } catch {
    return null;
  }
}

function role() {
  switch (profile?.me?.kind) {
    case 'PERSON_KIND_TRAINEE': return 'trainee';
    case 'PERSON_KIND_INSTRUCTOR': return 'instructor';
    case 'PERSON_KIND_HEALTH_EXPERT': return 'expert';
    default: return 'none';
  }
}

async function queueCount() {
  return (await outbox.items()).filter((i) => i.status !== 'sent').length;
}

async function drawShell() {
  document.documentElement.lang = lang();
  langSelect.value = lang();
  document.title = t('fieldTitle');
  /** @type {HTMLElement} */ (document.getElementById('app-title')).textContent = t('fieldTitle');
  /** @type {HTMLElement} */ (document.getElementById('lang-label')).textContent = t('language');
  /** @type {HTMLElement} */ (document.querySelector('.skip')).textContent = t('skip');
  net.textContent = navigator.onLine ? '● ' + t('online') : '○ ' + t('offline');
  net.classList.toggle('off', !navigator.onLine);
  /** @type {Record<string, [string, string][]>} */
  const menus = {
    trainee: [['#/', 'tabHome'], ['#/report', 'tabReport'], ['#/lessons', 'tabLessons'], ['#/help', 'tabHelp'], ['#/queue', 'tabQueue']],
    instructor: [['#/', 'tabVisits'], ['#/inspect', 'tabInspect'], ['#/queue', 'tabQueue']],
    expert: [['#/', 'tabSignOff'], ['#/queue', 'tabQueue']],
    none: [],
  };
  const items = menus[role()];
  const waiting = profile ? await queueCount() : 0;
  const current = location.hash || '#/';
  tabs.replaceChildren(...items.map(([href, key]) => h('a', {
    href, class: 'tab', 'aria-current': current === href ? 'page' : false,
  }, t(key), key === 'tabQueue' && waiting > 0 ? h('span', { class: 'count', id: 'queue-count', text: String(waiting) }) : null)));
  if (profile) {
    const out = h('button', { type: 'button', id: 'sign-out', class: 'secondary tab-button', text: t('signOut') });
    out.addEventListener('click', () => signOut());
    tabs.append(out);
  }
  tabs.hidden = !profile;
}

function signInPage() {
  const page = h('section', { class: 'card', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title', text: t('signIn') }));
  if (notice) {
    page.append(h('p', { class: 'error', role: 'alert', text: notice }));
    notice = null;
  }
  page.append(h('p', { text: t('fieldSignInIntro') }));
  const button = h('button', { type: 'button', id: 'sign-in', class: 'wide', text: t('signInWithAccount') });
  button.addEventListener('click', () => auth.signIn(location.hash));
  if (!navigator.onLine) {
    button.setAttribute('disabled', '');
    page.append(h('p', { class: 'muted', text: t('signInAgain') }));
  }
  page.append(button);
  return page;
}

/** Finds the signed-in person (online) and remembers them for offline opens. */
async function identify() {
  const token = auth.accessToken();
  if (!token) {
    return;
  }
  const subject = subjectOf(token);
  try {
    const me = await get('/api/v1/people/me');
    profile = { me, subject };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
      profile = { me: null, subject };
    } else {
      throw error;
    }
  }
  outbox.setSubject(subject);
  await store.keep('profile', profile);
}

let generation = 0;

async function route() {
  const mine = ++generation;
  await drawShell();
  if (!profile) {
    main.replaceChildren(signInPage());
    return;
  }
  const view = document.createElement('div');
  const page = (location.hash || '#/').slice(2).split('/')[0];
  try {
    const me = profile.me;
    switch (`${role()}:${page}`) {
      case 'trainee:': await renderHome(view, me); break;
      case 'trainee:report': await renderReport(view, me); break;
      case 'trainee:lessons': await renderLessons(view, me); break;
      case 'trainee:help': await renderHelp(view, me); break;
      case 'instructor:': await renderVisits(view, me); break;
      case 'instructor:inspect': await renderInspect(view, me); break;
      case 'expert:': await renderSignOffQueue(view, me); break;
      default:
        if (page === 'queue' && role() !== 'none') {
          await renderQueue(view);
        } else {
          view.replaceChildren(h('section', { class: 'card' }, h('p', { text: t('notForRole') }), h('a', { href: '/', text: t('openDashboard') })));
        }
    }
  } catch (error) {
    view.replaceChildren(h('p', { class: 'error', role: 'alert', text: `${t('error')}: ${error instanceof Error ? error.message : String(error)}` }));
  }
  if (mine === generation) {
    main.replaceChildren(...view.childNodes);
  }
}

langSelect.addEventListener('change', () => {
  setLang(langSelect.value === 'en' ? 'en' : 'id');
  route();
});
window.addEventListener('hashchange', () => {
  route();
  main.focus();
});
window.addEventListener('online', () => drawShell());
window.addEventListener('offline', () => drawShell());
outbox.onChange(() => drawShell());
auth.onSessionLost(() => {
  notice = t('sessionEnded');
  profile = null;
  route();
});

/** Signs out: the tokens, the remembered person and the cached API answers go; the identity session ends. */
export async function signOut() {
  profile = null;
  outbox.setSubject(null);
  await store.forgetAll();
  await caches.delete('bimtek-field-api').catch(() => false);
  if (!auth.signOut()) {
    route();
  }
}

/**
 * Registers the service worker. On a patchy connection its install (caching the shell) can fail part-way; the app
 * then tries again once the phone is back online, or after 30 s, until a worker is active, so the next time the
 * app opens offline it still opens.
 */
async function registerWorker() {
  try {
    const registration = await navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' });
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'redundant' && !registration.active) {
        registerWorkerLater();
      }
    });
  } catch {
    registerWorkerLater();
  }
}

function registerWorkerLater() {
  if (navigator.onLine) {
    setTimeout(registerWorker, 30_000);
  } else {
    window.addEventListener('online', () => registerWorker(), { once: true });
  }
}

(async () => {
  if ('serviceWorker' in navigator) {
    // The worker asks for the token when a lesson video streams from the suite (a <video> cannot send one).
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (event.data?.type === 'access-token' && event.ports[0]) {
        event.ports[0].postMessage({ token: auth.accessToken() ?? null });
      }
    });
    navigator.serviceWorker.startMessages();
    registerWorker();
  }
  await auth.loadConfig();
  const callback = navigator.onLine ? await auth.completeSignIn() : 'none';
  if (callback === 'failed') {
    notice = t('signInCallbackFailed');
  } else if (callback === 'none' && navigator.onLine && auth.available() && auth.signedInBefore()) {
    await auth.signIn(location.hash);
    return;
  }
  if (auth.accessToken()) {
    try {
      await identify();
    } catch {
      profile = null;
    }
  } else {
    // Offline (or before signing in again): the person remembered on this phone, to read and queue.
    const remembered = await store.remember('profile');
    if (remembered && !navigator.onLine) {
      profile = remembered;
      outbox.setSubject(remembered.subject);
    }
  }
  await outbox.prune();
  await route();
  outbox.flush();
})();
