// @ts-check
/**
 * The health expert's sign-off queue: every inspection of their programmes that awaits sign-off (medical products),
 * with the trainee's report photos and the inspection's photos side by side; sign off (accepted units, defects by
 * code for the rest) or send back for rework with a reason (a sign-off rejecting those units, then the rework order:
 * two queued actions, the second waiting for the first).
 */
import { get } from '../api.js';
import { h, u } from '../dom.js';
import { dateTime, num, t } from '../i18n.js';
import { all, section } from '../ui.js';
import * as outbox from './outbox.js';
import { photoStrip } from './photos.js';
import { checklist, defectInputs, myProgrammes, traineeNames } from './staff.js';
import { fill } from './texts.js';

/** @param {HTMLElement} view @param {any} me */
export async function renderSignOffQueue(view, me) {
  view.append(h('h2', { class: 'page-title' }, u(me.name)));
  for (const programme of await myProgrammes(me)) {
    view.append(h('p', { class: 'muted' }, u(programme.title)),
      section('sign-off-' + programme.programmeId, t('signOffQueue'), () => awaiting(programme, me)));
  }
}

/** @param {any} programme @param {any} me */
async function awaiting(programme, me) {
  const [inspections, names, codes] = await Promise.all([
    all((token) => get('/api/v1/inspections', { programmeId: programme.programmeId, pageSize: 200, pageToken: token }), 'inspections'),
    traineeNames(programme.programmeId),
    checklist(programme.productCode),
  ]);
  const open = inspections.filter((i) => i.status === 'INSPECTION_STATUS_AWAITING_SIGN_OFF' && (i.awaitingSignOffUnits ?? 0) > 0);
  if (open.length === 0) {
    return h('p', { text: t('nothingToSignOff') });
  }
  return h('ol', { class: 'sign-offs' }, ...open.map((inspection) => signOffItem(inspection, names.get(inspection.traineeId) ?? inspection.traineeId, codes, me)));
}

/** @param {any} inspection @param {string} name @param {any[]} codes @param {any} me */
function signOffItem(inspection, name, codes, me) {
  const prefix = 'sign-off-' + inspection.inspectionId;
  const units = inspection.awaitingSignOffUnits ?? 0;
  const reportPhotos = h('div', { class: 'photo-column report-photos' }, h('h4', { text: t('reportPhotos') }), h('p', { class: 'muted', text: t('loading') }));
  Promise.all((inspection.reports ?? []).map((/** @type {any} */ r) => get('/api/v1/output-reports/' + encodeURIComponent(r.reportId)).catch(() => null)))
    .then((reports) => {
      const ids = reports.flatMap((r) => r?.photoIds ?? []);
      reportPhotos.replaceChildren(h('h4', { text: t('reportPhotos') }), photoStrip(ids, t('reportPhotos')));
    });
  const inspectionPhotos = h('div', { class: 'photo-column inspection-photos' }, h('h4', { text: t('inspectionPhotos') }),
    photoStrip(inspection.photoIds ?? [], t('inspectionPhotos')));

  const accepted = /** @type {HTMLInputElement} */ (h('input', { id: prefix + '-accepted', type: 'number', min: 0, max: units, value: units, inputmode: 'numeric' }));
  const defects = defectInputs(prefix, codes);
  const note = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: prefix + '-note', rows: 2, maxlength: 1000 }));
  const status = h('div', { role: 'status' });
  const signOff = h('button', { type: 'submit', class: 'wide', 'data-action': 'sign-off', text: t('signOff') });
  const sendBack = h('button', { type: 'button', class: 'wide danger', 'data-action': 'send-back', text: t('sendBack') });
  const form = h('form', { class: 'stack' },
    h('div', { class: 'field' }, h('label', { for: prefix + '-accepted', text: t('acceptUnits') }), accepted),
    defects.element,
    h('div', { class: 'field' }, h('label', { for: prefix + '-note', text: `${t('note')} / ${t('reasonForRework')}` }), note),
    signOff, sendBack, status);

  const body = () => {
    const found = defects.defects();
    return {
      inspectionId: inspection.inspectionId, healthExpertId: me.personId, acceptedUnits: Number(accepted.value),
      rejectedUnits: found.reduce((total, d) => total + d.units, 0), defects: found, note: note.value.trim(),
    };
  };
  const path = `/api/v1/inspections/${encodeURIComponent(inspection.inspectionId)}`;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const request = body();
    await outbox.enqueue({ kind: 'sign-off', label: fill(t('signOffLabel'), { name, accepted: request.acceptedUnits }), path: path + ':signOff', body: request });
    status.replaceChildren(h('p', { text: navigator.onLine ? t('sentOk') : t('queued') }));
  });
  sendBack.addEventListener('click', async () => {
    const request = body();
    if (!request.note || request.rejectedUnits === 0) {
      // The reason and the defective units (by code) are needed to send units back.
      status.replaceChildren(h('p', { class: 'error', role: 'alert', text: `${t('reasonForRework')} · ${t('defectUnits')}` }));
      note.focus();
      return;
    }
    const first = await outbox.enqueue({ kind: 'sign-off', label: fill(t('signOffLabel'), { name, accepted: request.acceptedUnits }), path: path + ':signOff', body: request });
    await outbox.enqueue({
      kind: 'rework', label: fill(t('reworkLabel'), { name, units: request.rejectedUnits }), path: path + ':sendBackForRework',
      body: { inspectionId: inspection.inspectionId, units: request.rejectedUnits, note: request.note }, after: first.id,
    });
    status.replaceChildren(h('p', { text: navigator.onLine ? t('sentOk') : t('queued') }));
  });

  return h('li', { class: 'sign-off card', 'data-inspection-id': inspection.inspectionId, 'data-trainee-id': inspection.traineeId },
    h('h3', {}, u(name)),
    h('p', { class: 'small muted', text: `${num(units)} ${t('awaitingUnits')} · ${dateTime(inspection.inspectedAt)}` }),
    inspection.note ? h('p', {}, u(inspection.note)) : '',
    h('div', { class: 'side-by-side' }, reportPhotos, inspectionPhotos),
    form);
}
