// @ts-check
/**
 * The instructor's screens: today's home visits in route order (by time window, then village, then address) with
 * the trainee's village and address and a form to record the outcome; and inspecting output at the home (passed
 * units and defects by the product's checklist codes, photos), trainees behind schedule first.
 */
import { get } from '../api.js';
import { h, u } from '../dom.js';
import { date, num, t } from '../i18n.js';
import { all, facts, section } from '../ui.js';
import * as outbox from './outbox.js';
import { photoPicker } from './photos.js';
import { checklist, clock, defectInputs, myProgrammes, traineeNames } from './staff.js';
import { fill } from './texts.js';
import { today } from './trainee.js';

/** @param {HTMLElement} view @param {any} me */
export async function renderVisits(view, me) {
  view.append(h('h2', { class: 'page-title' }, u(me.name)), section('visits', t('visitsToday'), () => visitsOf(me)));
}

/** @param {any} me */
async function visitsOf(me) {
  const now = today();
  const visits = await all((token) => get('/api/v1/home-visits', {
    instructorId: me.personId, pendingOnly: 'true', 'fromDay.year': now.year, 'fromDay.month': now.month, 'fromDay.day': now.day,
    pageSize: 200, pageToken: token,
  }), 'homeVisits');
  const people = new Map();
  await Promise.all([...new Set(visits.map((v) => v.traineeId))].map(async (id) => {
    people.set(id, await get('/api/v1/people/' + encodeURIComponent(id)).catch(() => null));
  }));
  const key = (/** @type {any} */ v) => [v.day.year, v.day.month, v.day.day, clock(v.windowStart), people.get(v.traineeId)?.trainee?.village ?? '', v.address ?? ''];
  visits.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i]) {
        return ka[i] < kb[i] ? -1 : 1;
      }
    }
    return 0;
  });
  const isToday = (/** @type {any} */ v) => v.day.year === now.year && v.day.month === now.month && v.day.day === now.day;
  const todays = visits.filter(isToday);
  const later = visits.filter((v) => !isToday(v));
  /** @type {Node[]} */
  const content = [todays.length === 0 ? h('p', { text: t('noVisits') })
    : h('ol', { class: 'visits', id: 'visits-today' }, ...todays.map((v) => visitItem(v, people.get(v.traineeId))))];
  if (later.length > 0) {
    content.push(h('h3', { text: t('visitsUpcoming') }), h('ol', { class: 'visits' }, ...later.map((v) => visitItem(v, people.get(v.traineeId)))));
  }
  return content;
}

/** @param {any} visit @param {any} person */
function visitItem(visit, person) {
  const name = person?.name ?? visit.traineeId;
  const id = 'outcome-' + visit.homeVisitId;
  const outcome = /** @type {HTMLSelectElement} */ (h('select', { id },
    ...['VISIT_OUTCOME_RESOLVED', 'VISIT_OUTCOME_NEEDS_ANOTHER_VISIT', 'VISIT_OUTCOME_TRAINEE_WITHDREW'].map((o) => h('option', { value: o, text: t(o) }))));
  const notes = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: id + '-notes', rows: 2, maxlength: 2000 }));
  const status = h('div', { role: 'status' });
  const form = h('form', { class: 'stack' },
    h('div', { class: 'field' }, h('label', { for: id, text: t('outcome') }), outcome),
    h('div', { class: 'field' }, h('label', { for: id + '-notes', text: t('note') }), notes),
    h('button', { type: 'submit', text: t('recordOutcome') }), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await outbox.enqueue({
      kind: 'visit',
      label: fill(t('visitLabel'), { name }),
      path: `/api/v1/home-visits/${encodeURIComponent(visit.homeVisitId)}:logOutcome`,
      body: { homeVisitId: visit.homeVisitId, outcome: outcome.value, notes: notes.value.trim(), visitedAt: new Date().toISOString() },
    });
    form.replaceChildren(h('p', { text: navigator.onLine ? t('sentOk') : t('queued') }));
  });
  return h('li', { class: 'visit', 'data-home-visit-id': visit.homeVisitId },
    h('h3', {}, u(name)),
    facts([
      [t('window'), `${date(visit.day)} ${clock(visit.windowStart)}–${clock(visit.windowEnd)}`],
      [t('village'), u(person?.trainee?.village ?? '–')],
      [t('address'), u(visit.address ?? '–')],
    ]),
    form, status);
}

/** @param {HTMLElement} view @param {any} me */
export async function renderInspect(view, me) {
  view.append(h('h2', { class: 'page-title' }, u(me.name)));
  for (const programme of await myProgrammes(me)) {
    view.append(h('p', { class: 'muted' }, u(programme.title)),
      section('inspect-' + programme.programmeId, t('inspectTitle'), () => traineesToInspect(programme, me)));
  }
}

/** @param {any} programme @param {any} me */
async function traineesToInspect(programme, me) {
  const id = encodeURIComponent(programme.programmeId);
  const [names, codes] = await Promise.all([traineeNames(programme.programmeId), checklist(programme.productCode)]);
  // The coordinator's figures order the list; without them (refused or down) the enrolled trainees in enrolment order.
  const progress = await get(`/api/v1/quotas/programmes/${id}/progress`, { pageSize: 200 })
    .catch(() => ({ trainees: [...names.keys()].map((traineeId) => ({ traineeId })) }));
  const trainees = (progress.trainees ?? []).filter((/** @type {any} */ tr) => tr.status !== 'TRAINEE_STATUS_WITHDRAWN');
  // Behind schedule first, then the furthest behind their pace.
  trainees.sort((/** @type {any} */ a, /** @type {any} */ b) => (Number(!!b.behindSchedule) - Number(!!a.behindSchedule))
    || (((b.expectedByToday ?? 0) - (b.produced ?? 0)) - ((a.expectedByToday ?? 0) - (a.produced ?? 0))));
  return h('ol', { class: 'trainees' }, ...trainees.map((/** @type {any} */ tr) => inspectItem(programme, tr, names.get(tr.traineeId) ?? tr.traineeId, codes, me)));
}

/** @param {any} programme @param {any} tr @param {string} name @param {any[]} codes @param {any} me */
function inspectItem(programme, tr, name, codes, me) {
  const prefix = 'inspect-' + tr.traineeId;
  const day = today(programme.timeZone);
  const dayInput = /** @type {HTMLInputElement} */ (h('input', { id: prefix + '-day', type: 'date', required: true,
    value: `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}` }));
  const passed = /** @type {HTMLInputElement} */ (h('input', { id: prefix + '-passed', type: 'number', min: 0, value: 0, inputmode: 'numeric', required: true }));
  const defects = defectInputs(prefix, codes);
  const note = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: prefix + '-note', rows: 2, maxlength: 1000 }));
  const photos = photoPicker(prefix + '-photos');
  const status = h('div', { role: 'status' });
  const form = h('form', { class: 'stack inspect-form' },
    h('div', { class: 'field' }, h('label', { for: prefix + '-day', text: t('dayMade') }), dayInput),
    h('div', { class: 'field' }, h('label', { for: prefix + '-passed', text: t('passedUnits') }), passed),
    defects.element,
    h('div', { class: 'field' }, h('label', { for: prefix + '-note', text: t('note') }), note),
    photos.element,
    h('button', { type: 'submit', class: 'wide', text: t('saveInspection') }), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [year, month, d] = dayInput.value.split('-').map(Number);
    const found = defects.defects();
    const rejected = found.reduce((total, x) => total + x.units, 0);
    await outbox.enqueue({
      kind: 'inspect',
      label: fill(t('inspectLabel'), { name, passed: Number(passed.value), rejected }),
      path: '/api/v1/inspections',
      body: { programmeId: programme.programmeId, traineeId: tr.traineeId, day: { year, month, day: d }, acceptedUnits: Number(passed.value),
        rejectedUnits: rejected, defects: found, inspectorId: me.personId, note: note.value.trim() },
      photos: photos.files().map((blob) => ({ programmeId: programme.programmeId, traineeId: tr.traineeId, blob })),
    });
    photos.clear();
    status.replaceChildren(h('p', { class: 'queued', text: navigator.onLine ? t('sentOk') : t('queued') }));
  });
  const behind = !!tr.behindSchedule;
  return h('li', { class: 'trainee' + (behind ? ' behind' : ''), 'data-trainee-id': tr.traineeId },
    h('details', {},
      h('summary', {}, h('strong', {}, u(name)), ' ',
        h('span', { class: 'badge ' + (behind ? 'behind' : 'ok'), text: behind ? t('behind') : t('onTrack') }),
        h('span', { class: 'small muted', text: ` ${t('produced')} ${num(tr.produced)} / ${t('quota')} ${num(tr.quota)} · ${t('awaiting')} ${num((tr.awaitingInspection ?? 0))}` })),
      form));
}
