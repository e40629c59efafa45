// @ts-check
/**
 * A trainee's own page (phone first): their quota and progress, their lessons, and an "I need help" button.
 * Everything is asked for the signed-in trainee only; the services refuse anyone else's records.
 */
import { ApiError, get, post } from './api.js';
import { progressBar } from './charts.js';
import { h, u } from './dom.js';
import { date, num, t } from './i18n.js';
import { all, facts, problem, section } from './ui.js';

/** @param {HTMLElement} main @param {any} me the caller's person record (GET /api/v1/people/me) */
export async function renderTrainee(main, me) {
  if (!me || me.kind !== 'PERSON_KIND_TRAINEE') {
    throw new ApiError(403, 'not a trainee');
  }
  const enrolments = await all((token) => get('/api/v1/enrolments', { traineeId: me.personId, status: 'ENROLMENT_STATUS_ACTIVE', pageSize: 50, pageToken: token }), 'enrolments');
  const content = [h('h2', { class: 'page-title', id: 'trainee-name' }, u(me.name))];
  if (enrolments.length === 0) {
    content.push(h('p', { text: t('noEnrolment') }));
  }
  for (const enrolment of enrolments) {
    const programme = await get('/api/v1/programmes/' + encodeURIComponent(enrolment.programmeId));
    content.push(
      h('p', { class: 'muted programme-line' }, u(programme.title), ` · ${date(programme.startDay)} – ${date(programme.endDay)}`),
      section('my-progress', t('yourProgress'), () => myProgress(programme, enrolment, me.personId)),
      section('my-lessons', t('lessons'), () => lessons(programme.programmeId, me.personId)),
      helpForm(programme.programmeId, me.personId));
  }
  main.replaceChildren(...content);
}

/**
 * The coordinator's figures for the trainee when it answers; otherwise production's series (what was
 * reported, accepted, awaiting) and the quota as the even split of the target (the coordinator's rule
 * without overrides), marked as an estimate. The field app shows the same figures.
 * @param {any} programme @param {any} enrolment @param {string} traineeId
 * @returns {Promise<{quota: number, estimated: boolean, accepted: number, awaiting: number, produced: number, expected: number}>}
 */
export async function progressOf(programme, enrolment, traineeId) {
  const id = encodeURIComponent(programme.programmeId);
  try {
    const detail = await get(`/api/v1/quotas/programmes/${id}/trainees/${encodeURIComponent(traineeId)}`);
    const p = detail.progress ?? {};
    return { quota: p.quota ?? 0, estimated: false, accepted: p.accepted ?? 0, awaiting: (p.awaitingInspection ?? 0) + (p.awaitingSignOff ?? 0),
      produced: p.produced ?? 0, expected: p.expectedByToday ?? 0 };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) {
      throw error;
    }
  }
  const series = await get(`/api/v1/production/programmes/${id}/trainees/${encodeURIComponent(traineeId)}/daily-series`);
  const days = series.days ?? [];
  const sum = (/** @type {string} */ field) => days.reduce((total, /** @type {any} */ d) => total + (d[field] ?? 0), 0);
  const count = Math.max(programme.enrolledCount ?? 1, 1);
  const target = programme.targetQuantity ?? 0;
  const quota = Math.floor(target / count) + ((enrolment.sequence ?? count) <= target % count ? 1 : 0);
  const awaiting = sum('awaitingInspectionUnits') + sum('awaitingSignOffUnits');
  return { quota, estimated: true, accepted: sum('acceptedUnits'), awaiting, produced: sum('reportedUnits'), expected: expectedByToday(programme, quota) };
}

/** @param {any} programme @param {any} enrolment @param {string} traineeId */
async function myProgress(programme, enrolment, traineeId) {
  const p = await progressOf(programme, enrolment, traineeId);
  return figures(p.quota, p.estimated, p.accepted, p.awaiting, p.produced, p.expected);
}

/** An even pace: quota × days elapsed (today included) / programme days, rounded up. @param {any} programme @param {number} quota */
export function expectedByToday(programme, quota) {
  const day = (/** @type {any} */ d) => Date.UTC(d.year, d.month - 1, d.day) / 86400000;
  const start = day(programme.startDay);
  const total = day(programme.endDay) - start + 1;
  const elapsed = Math.min(Math.max(Math.floor(Date.now() / 86400000) - start + 1, 0), total);
  return Math.ceil((quota * elapsed) / total);
}

/**
 * @param {number} quota @param {boolean} estimated @param {number} accepted @param {number} awaiting
 * @param {number} produced @param {number} expected
 */
function figures(quota, estimated, accepted, awaiting, produced, expected) {
  return [
    facts([
      [t('yourQuota'), h('span', {}, h('strong', { id: 'my-quota', text: num(quota) }), estimated ? ` (${t('quotaEstimated')})` : '')],
      [t('accepted'), num(accepted)],
      [t('awaiting'), num(awaiting)],
      [t('produced'), h('span', { id: 'my-produced', text: num(produced) })],
      [t('expectedByToday'), num(expected)],
    ]),
    progressBar({ quota, accepted, awaiting, produced, expected }),
  ];
}

/** @param {string} programmeId @param {string} traineeId */
async function lessons(programmeId, traineeId) {
  const id = encodeURIComponent(programmeId);
  const [list, progress] = await Promise.all([
    all((token) => get(`/api/v1/programmes/${id}/lessons`, { pageSize: 200, pageToken: token }), 'lessons'),
    get(`/api/v1/programmes/${id}/trainees/${encodeURIComponent(traineeId)}/lesson-progress`).catch(() => ({ lessons: [] })),
  ]);
  const byLesson = new Map((progress.lessons ?? []).map((/** @type {any} */ p) => [p.lessonId, p]));
  return h('ol', { class: 'lessons' }, ...list.map((lesson) => {
    const p = byLesson.get(lesson.lessonId);
    const percent = p?.percent ?? 0;
    const meter = h('progress', { max: 100, value: percent, 'aria-label': `${lesson.title}: ${num(percent)}%` });
    return h('li', {},
      lesson.videoUrl ? h('a', { href: lesson.videoUrl, rel: 'noopener', target: '_blank' }, u(lesson.title)) : u(lesson.title),
      ' ', meter, ' ', h('span', { class: 'small', text: p?.completed ? '✓ ' + t('completed') : `${num(percent)}%` }));
  }));
}

/** "I need help": opens an assistance request for the trainee in this programme. @param {string} programmeId @param {string} traineeId */
function helpForm(programmeId, traineeId) {
  const status = h('p', { role: 'status' });
  const text = h('textarea', { id: 'help-text', name: 'description', rows: 3, required: true, maxlength: 2000 });
  const form = h('form', { class: 'card help', 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title', text: t('needHelp') }),
    h('label', { for: 'help-text', text: t('helpDescription') }), text,
    h('button', { type: 'submit', text: t('needHelp') }), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await post('/api/v1/assistance-requests', { programmeId, traineeId, description: /** @type {HTMLTextAreaElement} */ (text).value.trim() });
      status.replaceChildren(t('helpSent'));
      /** @type {HTMLTextAreaElement} */ (text).value = '';
    } catch (error) {
      status.replaceChildren(problem(error));
    }
  });
  return form;
}
