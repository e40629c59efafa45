// @ts-check
/**
 * The trainee's screens: home (quota and progress, today's pace, kit and what is left at home), report output
 * (units, day, note, camera photos), lessons (embedded player recording watch progress; videos served by the suite
 * can be kept for offline viewing) and "I need help". Every action goes through the outbox (queued at the tap).
 */
import * as auth from '../auth.js';
import { get } from '../api.js';
import { progressBar } from '../charts.js';
import { h, u } from '../dom.js';
import { date, num, t } from '../i18n.js';
import { progressOf } from '../trainee.js';
import { all, facts, problem, section } from '../ui.js';
import * as outbox from './outbox.js';
import { photoPicker } from './photos.js';
import { fill } from './texts.js';

/** The trainee's active programmes with their enrolment. @param {any} me @returns {Promise<{programme: any, enrolment: any}[]>} */
async function myProgrammes(me) {
  const enrolments = await all((token) => get('/api/v1/enrolments', { traineeId: me.personId, status: 'ENROLMENT_STATUS_ACTIVE', pageSize: 50, pageToken: token }), 'enrolments');
  const result = [];
  for (const enrolment of enrolments) {
    result.push({ programme: await get('/api/v1/programmes/' + encodeURIComponent(enrolment.programmeId)), enrolment });
  }
  return result;
}

/** @param {{year: number, month: number, day: number}} d */
function dayNumber(d) {
  return Date.UTC(d.year, d.month - 1, d.day) / 86400000;
}

/** Today in the programme's time zone as a google.type.Date. @param {string} [timeZone] */
export function today(timeZone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || 'Asia/Makassar', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [year, month, day] = parts.split('-').map(Number);
  return { year, month, day };
}

/** @param {{year: number, month: number, day: number}} d */
function iso(d) {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** @param {HTMLElement} view @param {any} me */
function heading(view, me) {
  view.append(h('h2', { class: 'page-title', id: 'trainee-name' }, u(me.name)));
}

/** @param {HTMLElement} view @param {any} me */
export async function renderHome(view, me) {
  heading(view, me);
  const programmes = await myProgrammes(me);
  if (programmes.length === 0) {
    view.append(h('p', { text: t('noEnrolment') }));
  }
  for (const { programme, enrolment } of programmes) {
    const figures = section('my-progress', t('yourProgress'), () => progress(programme, enrolment, me.personId));
    view.append(
      h('p', { class: 'muted' }, u(programme.title), ` · ${date(programme.startDay)} – ${date(programme.endDay)}`),
      figures,
      section('my-kit', t('kit'), () => kit(programme, me.personId)));
    keepFresh(figures, () => progress(programme, enrolment, me.personId));
  }
}

/**
 * While the section is on screen and the phone online, its figures are read again every 15 s (an inspection or a
 * sign-off elsewhere shows up without a reload); a failed read keeps the figures shown.
 * @param {HTMLElement} element @param {() => Promise<Node | Node[]>} load
 */
function keepFresh(element, load) {
  let shown = false;
  const timer = setInterval(async () => {
    if (!element.isConnected) {
      if (shown) {
        clearInterval(timer);
      }
      return;
    }
    shown = true;
    if (!navigator.onLine) {
      return;
    }
    try {
      const content = await load();
      element.querySelector('.section-body')?.replaceChildren(...(Array.isArray(content) ? content : [content]));
    } catch {
      // Keep what is shown.
    }
  }, 15000);
}

/** @param {any} programme @param {any} enrolment @param {string} traineeId */
async function progress(programme, enrolment, traineeId) {
  const p = await progressOf(programme, enrolment, traineeId);
  const now = dayNumber(today(programme.timeZone));
  const daysLeft = dayNumber(programme.endDay) - Math.max(now, dayNumber(programme.startDay)) + 1;
  const left = Math.max(p.quota - p.produced, 0);
  const pace = daysLeft > 0 ? Math.ceil(left / daysLeft) : 0;
  return [
    facts([
      [t('yourQuota'), h('span', {}, h('strong', { id: 'my-quota', text: num(p.quota) }), p.estimated ? ` (${t('quotaEstimated')})` : '')],
      [t('accepted'), h('span', { id: 'my-accepted', text: num(p.accepted) })],
      [t('awaiting'), num(p.awaiting)],
      [t('produced'), h('span', { id: 'my-produced', text: num(p.produced) })],
      [t('expectedByToday'), num(p.expected)],
      [t('todayPace'), daysLeft > 0
        ? h('span', { id: 'my-pace' }, h('strong', { text: `${num(pace)} ${t('units')}` }), ` (${num(daysLeft)} ${t('daysLeft')})`)
        : t('programmeEnded')],
    ]),
    progressBar({ quota: p.quota, accepted: p.accepted, awaiting: p.awaiting, produced: p.produced, expected: p.expected }),
  ];
}

/** Kit received (what came to the home: on hand + used) and what is left, and how many units that still makes. @param {any} programme @param {string} traineeId */
async function kit(programme, traineeId) {
  const [yields, catalogue] = await Promise.all([
    all((token) => get('/api/v1/stock/yields', { programmeId: programme.programmeId, traineeId, pageSize: 50, pageToken: token }), 'yields'),
    all((token) => get('/api/v1/materials', { pageSize: 200, pageToken: token }), 'materials').catch(() => []),
  ]);
  const names = new Map(catalogue.map((m) => [m.materialId, m.name || m.code]));
  const lines = yields.flatMap((y) => y.lines ?? []);
  if (lines.length === 0) {
    return h('p', { text: t('noKit') });
  }
  /** @type {Node[]} */
  const content = [h('div', { class: 'table-wrap' }, h('table', { id: 'kit-table' },
    h('thead', {}, h('tr', {}, ...['material', 'received', 'leftAtHome'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, ...lines.map((/** @type {any} */ line) => h('tr', {},
      h('th', { scope: 'row' }, u(names.get(line.materialId) ?? line.materialId)),
      h('td', { class: 'num', text: num(Number(line.onHand ?? 0) + Number(line.consumed ?? 0)) }),
      h('td', { class: 'num', text: num(line.onHand) }))))))];
  try {
    const products = await all((token) => get('/api/v1/products', { pageSize: 200, pageToken: token }), 'products');
    const product = products.find((p) => p.code === programme.productCode);
    if (product) {
      const capacity = await get('/api/v1/stock/capacity', { traineeId, productId: product.productId });
      content.push(h('p', {}, `${t('canStillMake')}: `, h('strong', { id: 'kit-capacity', text: `${num(capacity.unitsPossible)} ${t('units')}` })));
    }
  } catch {
    // The table stands without the capacity.
  }
  return content;
}

/** @param {HTMLElement} view @param {any} me */
export async function renderReport(view, me) {
  heading(view, me);
  const programmes = await myProgrammes(me);
  for (const { programme } of programmes) {
    view.append(reportForm(programme, me.personId));
  }
  if (programmes.length === 0) {
    view.append(h('p', { text: t('noEnrolment') }));
  }
}

/** @param {any} programme @param {string} traineeId */
function reportForm(programme, traineeId) {
  const status = h('div', { role: 'status', class: 'form-status' });
  const todayDate = today(programme.timeZone);
  const end = dayNumber(programme.endDay) < dayNumber(todayDate) ? programme.endDay : todayDate;
  const units = /** @type {HTMLInputElement} */ (h('input', { id: 'report-units', name: 'units', type: 'number', min: 1, max: 10000, required: true, inputmode: 'numeric' }));
  const day = /** @type {HTMLInputElement} */ (h('input', { id: 'report-day', name: 'day', type: 'date', required: true, min: iso(programme.startDay), max: iso(end), value: iso(end) }));
  const note = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'report-note', name: 'note', rows: 2, maxlength: 1000 }));
  const photos = photoPicker('report-photos');
  const form = h('form', { class: 'card stack', id: 'report-form', 'aria-labelledby': 'report-title' },
    h('h2', { id: 'report-title', text: t('reportOutput') }),
    h('p', { class: 'muted' }, u(programme.title)),
    h('div', { class: 'field' }, h('label', { for: 'report-units', text: t('unitsMade') }), units),
    h('div', { class: 'field' }, h('label', { for: 'report-day', text: t('dayMade') }), day),
    h('div', { class: 'field' }, h('label', { for: 'report-note', text: t('note') }), note),
    photos.element,
    h('button', { type: 'submit', class: 'wide', text: t('send') }),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [year, month, d] = day.value.split('-').map(Number);
    const count = Number(units.value);
    // The requestId is chosen now, at the tap (outbox.enqueue), and kept with the action until it is sent.
    const item = await outbox.enqueue({
      kind: 'report',
      label: fill(t('reportLabel'), { units: count, day: date({ year, month, day: d }) }),
      path: '/api/v1/output-reports',
      body: { programmeId: programme.programmeId, traineeId, productCode: programme.productCode, day: { year, month, day: d }, units: count, note: note.value.trim() },
      photos: photos.files().map((blob) => ({ programmeId: programme.programmeId, traineeId, blob })),
    });
    units.value = '';
    note.value = '';
    photos.clear();
    status.replaceChildren(h('p', { class: 'queued', 'data-request-id': item.id, text: t('queued') }));
    outbox.flush().then(async () => {
      const now = (await outbox.items()).find((i) => i.id === item.id);
      if (now?.status === 'sent') {
        status.replaceChildren(h('p', { class: 'sent', 'data-request-id': item.id, text: t('sentOk') }));
      } else if (now?.status === 'failed') {
        status.replaceChildren(h('p', { class: 'error', role: 'alert', text: `${t('failed')}: ${outbox.reasonText(now)}` }));
      }
    });
  });
  return form;
}

/** @param {HTMLElement} view @param {any} me */
export async function renderLessons(view, me) {
  heading(view, me);
  for (const { programme } of await myProgrammes(me)) {
    view.append(section('my-lessons', t('lessons'), () => lessons(programme, me.personId)));
  }
}

/** @param {any} programme @param {string} traineeId */
async function lessons(programme, traineeId) {
  const id = encodeURIComponent(programme.programmeId);
  const [list, progressList] = await Promise.all([
    all((token) => get(`/api/v1/programmes/${id}/lessons`, { pageSize: 200, pageToken: token }), 'lessons'),
    get(`/api/v1/programmes/${id}/trainees/${encodeURIComponent(traineeId)}/lesson-progress`).catch(() => ({ lessons: [] })),
  ]);
  const byLesson = new Map((progressList.lessons ?? []).map((/** @type {any} */ p) => [p.lessonId, p]));
  return h('ol', { class: 'lessons' }, ...list.map((lesson) => lessonItem(lesson, byLesson.get(lesson.lessonId), traineeId)));
}

/**
 * One lesson with its embedded player: a video the suite serves (same origin) or one on an https site (the lessons'
 * URLs today; the CSP's media-src admits https:). Watch progress is queued on pause, at the end and every 30 s of
 * playing — furthest position only (the API keeps the maximum, so an older or repeated report changes nothing).
 * Only a video the suite serves can be kept for offline viewing (the worker caches same-origin videos only); for
 * one elsewhere the app says it needs a connection and offers the plain link too.
 * @param {any} lesson @param {any} p @param {string} traineeId
 */
function lessonItem(lesson, p, traineeId) {
  const meter = h('progress', { max: 100, value: p?.percent ?? 0, 'aria-label': `${lesson.title}: ${num(p?.percent ?? 0)}%` });
  const item = h('li', { 'data-lesson-id': lesson.lessonId }, h('h3', {}, u(lesson.title)), meter, ' ',
    h('span', { class: 'small', text: p?.completed ? '✓ ' + t('completed') : `${num(p?.percent ?? 0)}%` }));
  let url;
  try {
    url = new URL(lesson.videoUrl, location.origin);
  } catch {
    return item;
  }
  const ours = url.origin === location.origin;
  if (!ours && url.protocol !== 'https:') {
    return item;
  }
  const video = /** @type {HTMLVideoElement} */ (h('video', { controls: true, preload: 'metadata', src: url.toString(), 'aria-label': lesson.title }));
  let furthest = p?.furthestPositionSeconds ?? 0;
  let lastSent = 0;
  const record = () => {
    const position = Math.floor(video.currentTime);
    if (position <= furthest && lastSent !== 0) {
      return;
    }
    furthest = Math.max(furthest, position);
    lastSent = Date.now();
    const duration = video.duration || lesson.durationSeconds || 1;
    const percent = Math.min(100, Math.round((furthest / duration) * 100));
    meter.setAttribute('value', String(percent));
    outbox.enqueue({
      kind: 'lesson',
      label: fill(t('lessonLabel'), { title: lesson.title, percent }),
      path: `/api/v1/lessons/${encodeURIComponent(lesson.lessonId)}/progress`,
      body: { lessonId: lesson.lessonId, traineeId, furthestPositionSeconds: furthest, percent, reportedAt: new Date().toISOString() },
    });
  };
  video.addEventListener('pause', record);
  video.addEventListener('ended', record);
  video.addEventListener('timeupdate', () => {
    if (Date.now() - lastSent > 30000 && lastSent !== 0) {
      record();
    } else if (lastSent === 0 && video.currentTime > 5) {
      record();
    }
  });
  if (!ours) {
    item.append(video, h('p', { class: 'small muted' }, `${t('videoElsewhere')} · `,
      h('a', { href: url.toString(), rel: 'noopener noreferrer', target: '_blank', text: t('watch') })));
    return item;
  }
  // Before the worker controls the page (the app's very first open) the player's request goes out without the token
  // and fails; once the worker is there, one more try goes through it.
  let retried = false;
  video.addEventListener('error', () => {
    if (!retried && navigator.serviceWorker?.controller) {
      retried = true;
      video.load();
    }
  });
  item.append(video, keepForOffline(url.toString(), lesson.title));
  return item;
}

/** The cache the worker answers suite-served videos from (sw.js uses the same name). */
const VIDEO_CACHE = 'bimtek-field-videos';

/** A length in bytes as megabytes for people (one decimal). @param {number} bytes */
function megabytes(bytes) {
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} MB`;
}

/**
 * "Keep for offline" of a video the suite serves: the whole video is fetched with the person's token and put in the
 * worker's video cache, from which the worker answers the player's range requests, network or not; "remove" deletes
 * it and frees the space. What is kept shows its size. The copy holds only the video's type and length (no other
 * header of the answer), so a cached answer matches the player's requests whatever they send.
 * @param {string} src @param {string} title
 */
function keepForOffline(src, title) {
  const status = h('span', { class: 'small kept-status', 'aria-live': 'polite' });
  const keep = h('button', { type: 'button', class: 'secondary', 'data-action': 'keep-offline', text: t('keepOffline'), 'aria-label': `${t('keepOffline')}: ${title}` });
  const remove = h('button', { type: 'button', class: 'secondary', 'data-action': 'remove-offline', text: t('removeOffline'), 'aria-label': `${t('removeOffline')}: ${title}` });
  const box = h('div', { class: 'keep-offline' }, keep, remove, status);
  /** @param {number | null} size bytes kept, or null when nothing is kept */
  const show = (size) => {
    keep.hidden = size !== null;
    remove.hidden = size === null;
    status.textContent = size === null ? '' : `✓ ${t('keptOffline')} · ${megabytes(size)}`;
    box.toggleAttribute('data-kept', size !== null);
  };
  /** @param {unknown} error */
  const fail = (error) => {
    box.querySelector('.error, .muted')?.remove();
    box.append(problem(error));
  };
  keep.addEventListener('click', async () => {
    keep.setAttribute('disabled', '');
    status.textContent = t('keeping');
    try {
      const response = await fetch(src, { headers: { Authorization: 'Bearer ' + (auth.accessToken() ?? '') }, cache: 'no-store' });
      if (response.status !== 200 || !response.body) {
        throw new Error(`HTTP ${response.status}`);
      }
      const blob = await response.blob();
      const cache = await caches.open(VIDEO_CACHE);
      await cache.put(src, new Response(blob, {
        status: 200,
        headers: { 'Content-Type': blob.type || response.headers.get('Content-Type') || 'video/mp4', 'Content-Length': String(blob.size) },
      }));
      show(blob.size);
    } catch (error) {
      show(null);
      fail(error);
    } finally {
      keep.removeAttribute('disabled');
    }
  });
  remove.addEventListener('click', async () => {
    remove.setAttribute('disabled', '');
    try {
      const cache = await caches.open(VIDEO_CACHE);
      await cache.delete(src);
      show(null);
    } catch (error) {
      fail(error);
    } finally {
      remove.removeAttribute('disabled');
    }
  });
  show(null);
  caches.open(VIDEO_CACHE).then((cache) => cache.match(src)).then(async (hit) => {
    if (hit) {
      show(Number(hit.headers.get('Content-Length')) || (await hit.blob()).size);
    }
  }).catch(() => {});
  return box;
}

/**
 * "I need help": about a lesson or a step of making the product (the API needs one of the two), and what is difficult.
 * The lesson list comes from the last answer the worker kept when offline; without it only the step can be named.
 * @param {HTMLElement} view @param {any} me
 */
export async function renderHelp(view, me) {
  heading(view, me);
  for (const { programme } of await myProgrammes(me)) {
    const lessonList = await all((token) => get(`/api/v1/programmes/${encodeURIComponent(programme.programmeId)}/lessons`, { pageSize: 200, pageToken: token }), 'lessons')
      .catch(() => []);
    const status = h('div', { role: 'status' });
    const topic = /** @type {HTMLSelectElement} */ (h('select', { id: 'help-lesson', name: 'lessonId' },
      h('option', { value: '', text: t('helpNoLesson') }),
      // An option holds text only (no <bdi>); the select shows it as plain text.
      ...lessonList.map((/** @type {any} */ lesson) => h('option', { value: lesson.lessonId, text: lesson.title }))));
    const step = /** @type {HTMLInputElement} */ (h('input', { id: 'help-step', name: 'productStep', type: 'text', maxlength: 200, required: true }));
    topic.addEventListener('change', () => step.toggleAttribute('required', topic.value === ''));
    const text = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'help-text', name: 'description', rows: 4, required: true, maxlength: 2000 }));
    const form = h('form', { class: 'card stack', id: 'help-form', 'aria-labelledby': 'help-title' },
      h('h2', { id: 'help-title', text: t('needHelp') }),
      h('div', { class: 'field' }, h('label', { for: 'help-lesson', text: t('helpLesson') }), topic),
      h('div', { class: 'field' }, h('label', { for: 'help-step', text: t('helpStep') }), step),
      h('div', { class: 'field' }, h('label', { for: 'help-text', text: t('helpDescription') }), text),
      h('button', { type: 'submit', class: 'wide', text: t('needHelp') }), status);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      /** @type {Record<string, string>} */
      const about = topic.value ? { lessonId: topic.value } : {};
      if (step.value.trim()) {
        about.productStep = step.value.trim();
      }
      const item = await outbox.enqueue({
        kind: 'help',
        label: t('helpLabel'),
        path: '/api/v1/assistance-requests',
        body: { programmeId: programme.programmeId, traineeId: me.personId, ...about, description: text.value.trim() },
      });
      text.value = '';
      step.value = '';
      status.replaceChildren(h('p', { class: 'queued', 'data-request-id': item.id, text: navigator.onLine ? t('helpSent') : t('queued') }));
    });
    view.append(form, section('my-requests', t('myRequests'), () => myRequests(programme, me.personId)));
  }
}

/** The trainee's own help requests, newest first, with where each stands (a visit's outcome moves it on). @param {any} programme @param {string} traineeId */
async function myRequests(programme, traineeId) {
  // A trainee may list by their own id only (not by programme).
  const list = await all((token) => get('/api/v1/assistance-requests', { traineeId, pageSize: 200, pageToken: token }), 'assistanceRequests');
  const mine = list.filter((/** @type {any} */ r) => r.programmeId === programme.programmeId).reverse();
  if (mine.length === 0) {
    return h('p', { class: 'muted', text: t('noRequests') });
  }
  return h('ol', { class: 'requests' }, ...mine.map((/** @type {any} */ r) => h('li', { 'data-assistance-request-id': r.assistanceRequestId, 'data-status': r.status },
    h('strong', { text: t(r.status) }), ' · ', u(r.productStep || r.description))));
}
