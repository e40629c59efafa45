// @ts-check
/**
 * A programme's page for the office: per-trainee progress against quota with the pace marker (live from the
 * coordinator's progress stream), behind-schedule trainees with a one-click home visit, the daily output
 * chart, defects by code, material at trainee homes with the yield check, and the handovers with their PDFs.
 */
import { blob, get, post, watch } from './api.js';
import { dailyChart, progressBar } from './charts.js';
import { h, u } from './dom.js';
import { date, num, t } from './i18n.js';
import { failedDeliveries } from './notifications.js';
import { awaitingSignOff } from './signoff.js';
import { all, facts, problem, section } from './ui.js';

/**
 * @param {HTMLElement} main @param {string} programmeId
 * @returns {Promise<() => void>} stops the live stream
 */
export async function renderProgramme(main, programmeId) {
  const base = '/api/v1/programmes/' + encodeURIComponent(programmeId);
  const [programme, progress] = await Promise.all([
    get(base),
    get(`/api/v1/quotas/programmes/${encodeURIComponent(programmeId)}/progress`, { pageSize: 200 }),
  ]);
  /** @type {Map<string, string>} trainee id → name (enrolments carry the name) */
  const names = new Map();
  try {
    const enrolments = await all((token) => get(base + '/enrolments', { pageSize: 200, pageToken: token }), 'enrolments');
    for (const e of enrolments) {
      names.set(e.traineeId, e.traineeName);
    }
  } catch {
    // Names are a nicety; ids are shown instead.
  }

  const state = {
    summary: progress.summary ?? {},
    /** @type {Map<string, any>} */
    trainees: new Map((progress.trainees ?? []).map((/** @type {any} */ tr) => [tr.traineeId, tr])),
  };

  const liveBadge = h('span', { class: 'live', role: 'status', 'aria-live': 'polite', text: t('reconnecting') });
  const summaryBody = h('div');
  const traineeList = h('ol', { class: 'trainees', 'aria-live': 'polite' });
  const chartHost = h('div', { class: 'section-body' });

  const renderSummary = () => {
    const s = state.summary;
    summaryBody.replaceChildren(facts([
      [t('status'), t(programme.status ?? '')],
      [t('dates'), `${date(programme.startDay)} – ${date(programme.endDay)}`],
      [t('product'), u(programme.productCode)],
      [t('trainees'), num(s.traineeCount ?? programme.enrolledCount)],
      [t('target'), num(programme.targetQuantity)],
      [t('accepted'), h('span', { id: 'summary-accepted', text: `${num(s.accepted)} (${num(s.percentAccepted)}%)` })],
      [t('awaiting'), num((s.awaitingInspection ?? 0) + (s.awaitingSignOff ?? 0))],
      [t('produced'), h('span', { id: 'summary-produced', text: num(s.produced) })],
      [t('expectedByToday'), `${num(s.expectedByToday)} (${t('asOf')} ${date(s.asOfDay)})`],
      [t('behind'), num(s.behindScheduleCount)],
    ]));
  };

  const renderTrainees = () => {
    const trainees = [...state.trainees.values()].sort((a, b) => (a.enrolmentSequence ?? 0) - (b.enrolmentSequence ?? 0));
    traineeList.replaceChildren(...trainees.map((tr) => traineeItem(programme, tr, names.get(tr.traineeId) ?? tr.traineeId)));
  };

  const refreshChart = async () => {
    try {
      const totals = await get(`/api/v1/production/programmes/${encodeURIComponent(programmeId)}/totals`);
      chartHost.replaceChildren(
        dailyChart(totals.days ?? []),
        h('p', { class: 'legend' }, h('span', { class: 'swatch col-reported' }), t('reported'), ' ', h('span', { class: 'swatch col-accepted' }), t('accepted')),
        h('p', { class: 'muted small', text: `${t('reported')} ${num(totals.reportedUnits)} · ${t('accepted')} ${num(totals.acceptedUnits)} · ${t('rejected')} ${num(totals.rejectedUnits)}` }));
    } catch (error) {
      chartHost.replaceChildren(problem(error));
    }
  };

  renderSummary();
  renderTrainees();
  refreshChart();

  main.replaceChildren(
    h('p', {}, h('a', { href: '#/programmes', text: '← ' + t('back') })),
    h('h2', { class: 'page-title' }, u(programme.title || programme.code), ' ', liveBadge),
    h('section', { id: 'summary', class: 'card', 'aria-labelledby': 'summary-title' }, h('h2', { id: 'summary-title', text: t('summary') }), summaryBody),
    h('section', { id: 'progress', class: 'card', 'aria-labelledby': 'progress-title' },
      h('h2', { id: 'progress-title', text: t('traineeProgress') }),
      h('p', { class: 'legend' },
        h('span', { class: 'swatch bar-accepted' }), t('accepted'), ' ',
        h('span', { class: 'swatch bar-awaiting' }), t('awaiting'), ' ',
        h('span', { class: 'swatch bar-produced' }), t('produced'), ' ',
        h('span', { class: 'swatch bar-quota' }), t('quota'), ' · ', t('legendPace')),
      traineeList),
    h('section', { id: 'daily', class: 'card', 'aria-labelledby': 'daily-title' }, h('h2', { id: 'daily-title', text: t('dailyOutput') }), chartHost),
    section('defects', t('defects'), () => defects(programmeId)),
    section('sign-off', t('awaitingSignOff'), () => awaitingSignOff(programmeId, names)),
    section('materials', t('materials'), () => materials(programmeId, names)),
    section('handovers', t('handovers'), () => handovers(programmeId)),
    section('failed-deliveries', t('failedDeliveries'), () => failedDeliveries(programmeId)));

  // Live: the stream starts with a snapshot, then only the trainees that changed.
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let chartTimer;
  return watch(`/api/v1/quotas/programmes/${encodeURIComponent(programmeId)}/progress:watch`, (update) => {
    if (update.summary) {
      state.summary = update.summary;
    }
    for (const tr of update.trainees ?? []) {
      state.trainees.set(tr.traineeId, tr);
    }
    renderSummary();
    renderTrainees();
    if (!update.snapshot) {
      clearTimeout(chartTimer);
      chartTimer = setTimeout(refreshChart, 500);
    }
  }, (live) => {
    liveBadge.textContent = live ? '● ' + t('live') : t('reconnecting');
    liveBadge.classList.toggle('on', live);
  });
}

/** @param {any} programme @param {any} tr @param {string} name */
function traineeItem(programme, tr, name) {
  const awaiting = (tr.awaitingInspection ?? 0) + (tr.awaitingSignOff ?? 0);
  const withdrawn = tr.status === 'TRAINEE_STATUS_WITHDRAWN';
  const behind = !!tr.behindSchedule && !withdrawn;
  const figures = h('p', { class: 'figures' },
    h('span', {}, `${t('quota')} `, h('strong', { class: 'quota', text: num(tr.quota) })), ' · ',
    h('span', {}, `${t('accepted')} `, h('strong', { class: 'accepted', text: num(tr.accepted) })), ' · ',
    h('span', { text: `${t('awaiting')} ${num(awaiting)}` }), ' · ',
    h('span', {}, `${t('produced')} `, h('strong', { class: 'produced', text: num(tr.produced) })), ' · ',
    h('span', { text: `${t('expectedByToday')} ${num(tr.expectedByToday)}` }));
  const item = h('li', {
    class: 'trainee' + (behind ? ' behind' : ''),
    'data-trainee-id': tr.traineeId,
    'data-quota': tr.quota ?? 0,
    'data-produced': tr.produced ?? 0,
  },
  h('div', { class: 'trainee-head' },
    h('h3', {}, u(name)),
    h('span', { class: 'badge ' + (withdrawn ? 'withdrawn' : behind ? 'behind' : 'ok'),
      text: withdrawn ? t('withdrawn') : behind ? `${t('behind')}${tr.behindSinceDay ? ' ' + date(tr.behindSinceDay, 'short') : ''}` : t('onTrack') })),
  progressBar({ quota: tr.quota ?? 0, accepted: tr.accepted ?? 0, awaiting, produced: tr.produced ?? 0, expected: tr.expectedByToday ?? 0 }),
  figures);
  if (behind) {
    item.append(visitButton(programme, tr.traineeId));
  }
  if (!withdrawn) {
    item.append(codeButton(tr.traineeId));
  }
  return item;
}

/** Each trainee's code result, kept across re-renders of the list. @type {Map<string, HTMLElement>} */
const codeResults = new Map();

/**
 * Operators and instructors: a one-time sign-in code for the trainee (identity service, through the gateway),
 * shown once with its QR card to print with the kit. Other roles are refused by the gateway (shown as a problem).
 * @param {string} traineeId
 */
function codeButton(traineeId) {
  // The list is re-rendered on every live update: an issued code stays on screen (it is never shown again).
  const result = codeResults.get(traineeId) ?? h('div', { class: 'sign-in-code', role: 'status' });
  codeResults.set(traineeId, result);
  const button = h('button', { type: 'button', class: 'issue-code', text: t('issueCode') });
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', '');
    try {
      const person = await get('/api/v1/people/' + encodeURIComponent(traineeId));
      if (!person.subject) {
        throw new Error(t('noLogin'));
      }
      const issued = await post('/api/v1/sign-in-codes', { subject: person.subject, send: false });
      result.replaceChildren(
        h('p', {}, `${t('signInCode')} `, h('strong', { class: 'code', text: issued.code }),
          ` (${t('until')} ${new Date(issued.expiresAt).toLocaleTimeString()})`),
        h('p', {}, h('a', { class: 'code-link', href: issued.signInUrl, text: t('signInLink') })),
        h('img', { class: 'qr', alt: t('qrCard'), width: '160', height: '160', src: 'data:image/png;base64,' + issued.qrPng }));
    } catch (error) {
      result.replaceChildren(problem(error));
    } finally {
      button.removeAttribute('disabled');
    }
  });
  return h('div', { class: 'actions' }, button, result);
}

/**
 * One click: the trainee's open assistance request (the coordinator opens one when they fall behind; else one
 * is opened now) gets a home visit by the programme's first instructor, tomorrow 09:00–11:00 at the trainee's village.
 * @param {any} programme @param {string} traineeId
 */
function visitButton(programme, traineeId) {
  const result = h('span', { class: 'small', role: 'status' });
  const button = h('button', { type: 'button', class: 'visit', text: t('scheduleVisit') });
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', '');
    try {
      const instructor = (programme.staff ?? []).find((/** @type {any} */ s) => s.role === 'STAFF_ROLE_INSTRUCTOR');
      if (!instructor) {
        throw new Error('no instructor assigned');
      }
      const open = await get('/api/v1/assistance-requests', { programmeId: programme.programmeId, traineeId, status: 'ASSISTANCE_STATUS_OPEN', pageSize: 1 });
      const request = open.assistanceRequests?.[0]
        ?? await post('/api/v1/assistance-requests', { programmeId: programme.programmeId, traineeId, description: 'Tertinggal dari jadwal / behind schedule' });
      const person = await get('/api/v1/people/' + encodeURIComponent(traineeId)).catch(() => null);
      const tomorrow = new Date(Date.now() + 86400000);
      await post(`/api/v1/assistance-requests/${encodeURIComponent(request.assistanceRequestId)}/home-visits`, {
        assistanceRequestId: request.assistanceRequestId,
        instructorId: instructor.personId,
        day: { year: tomorrow.getFullYear(), month: tomorrow.getMonth() + 1, day: tomorrow.getDate() },
        windowStart: { hours: 9 },
        windowEnd: { hours: 11 },
        address: person?.trainee?.village || person?.district || programme.district,
      });
      result.textContent = `✓ ${t('visitScheduled')} (${date({ year: tomorrow.getFullYear(), month: tomorrow.getMonth() + 1, day: tomorrow.getDate() })})`;
    } catch (error) {
      button.removeAttribute('disabled');
      result.replaceChildren(problem(error));
    }
  });
  return h('div', { class: 'actions' }, button, ' ', result);
}

/** @param {string} programmeId */
async function defects(programmeId) {
  const counts = await get(`/api/v1/production/programmes/${encodeURIComponent(programmeId)}/defect-counts`);
  const list = counts.defects ?? [];
  if (list.length === 0) {
    return h('p', { text: t('noDefects') });
  }
  const top = Math.max(...list.map((/** @type {any} */ d) => d.units ?? 0), 1);
  return h('table', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Kode / code' }), h('th', { scope: 'col', text: t('units') }))),
    h('tbody', {}, ...list.map((/** @type {any} */ d) => h('tr', {},
      h('th', { scope: 'row' }, u(d.defectCode), d.label ? ' — ' : '', d.label ? u(d.label) : ''),
      h('td', { class: 'num' }, meter((d.units ?? 0) / top), ' ', num(d.units))))));
}

/** A share of the largest value as a short bar (set through the CSSOM: the CSP allows no inline style). @param {number} share */
function meter(share) {
  const bar = h('span', { class: 'hbar', 'aria-hidden': 'true' });
  bar.style.width = `${Math.round(share * 6)}em`;
  return bar;
}

/** @param {string} programmeId @param {Map<string, string>} names */
async function materials(programmeId, names) {
  const [yields, catalogue] = await Promise.all([
    all((token) => get('/api/v1/stock/yields', { programmeId, pageSize: 200, pageToken: token }), 'yields'),
    all((token) => get('/api/v1/materials', { pageSize: 200, pageToken: token }), 'materials').catch(() => []),
  ]);
  const materialName = new Map(catalogue.map((m) => [m.materialId, m.name || m.code]));
  if (yields.length === 0) {
    return h('p', { text: t('notAvailable') });
  }
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ...['trainees', 'material', 'onHand', 'consumed', 'allowed', 'status'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, ...yields.flatMap((y) => (y.lines ?? []).map((/** @type {any} */ line, /** @type {number} */ i) => h('tr', { class: line.overAllowance ? 'over' : '' },
      i === 0 ? h('th', { scope: 'row', rowspan: y.lines.length }, u(names.get(y.traineeId) ?? y.traineeId)) : null,
      h('td', {}, u(materialName.get(line.materialId) ?? line.materialId)),
      h('td', { class: 'num', text: num(line.onHand) }),
      h('td', { class: 'num', text: num(line.consumed) }),
      h('td', { class: 'num', text: num(line.allowedWithWaste) }),
      h('td', { text: line.overAllowance ? '⚠ ' + t('yieldOver') : '✓ ' + t('yieldOk') })))))));
}

/** @param {string} programmeId */
async function handovers(programmeId) {
  const list = await all((token) => get('/api/v1/handovers', { programmeId, pageSize: 200, pageToken: token }), 'handovers');
  if (list.length === 0) {
    return h('p', { text: t('noHandovers') });
  }
  return h('ul', { class: 'handovers' }, ...list.map((ho) => h('li', {},
    h('strong', {}, u(ho.documentNumber)), ` — ${num(ho.units)} `, u(ho.productName || ho.productCode), ' → ', u(ho.recipientName || ho.recipientId),
    `, ${date(ho.day)} (${t(ho.status ?? '')}) `,
    pdfLink(ho))));
}

/** The PDF needs the credential, so it is fetched and offered as a download of the blob. @param {any} ho */
export function pdfLink(ho) {
  const link = h('a', { href: `/api/v1/handovers/${encodeURIComponent(ho.handoverId)}/document`, class: 'pdf', text: t('pdf') });
  link.addEventListener('click', async (event) => {
    if (link.getAttribute('href')?.startsWith('blob:')) {
      return;
    }
    event.preventDefault();
    try {
      const pdf = await blob(`/api/v1/handovers/${encodeURIComponent(ho.handoverId)}/document`);
      link.setAttribute('href', URL.createObjectURL(pdf));
      link.setAttribute('download', `${ho.documentNumber.replace(/[^\w.-]+/g, '_')}.pdf`);
      link.click();
    } catch (error) {
      link.after(problem(error));
    }
  });
  return link;
}
