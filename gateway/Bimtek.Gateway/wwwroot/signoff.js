// @ts-check
/**
 * A programme's inspections awaiting a health expert's sign-off (medical products: an instructor's pass counts
 * only once a health expert signs it off). Each row has a sign-off button that accepts every awaiting unit; the
 * production service decides who may (the programme's health experts, operators) and answers 403 to anyone else.
 */
import { get, post } from './api.js';
import { h } from './dom.js';
import { dateTime, num, t } from './i18n.js';
import { all, problem } from './ui.js';

/** @param {string} programmeId @param {Map<string, string>} names trainee id → name @returns {Promise<Node>} */
export async function awaitingSignOff(programmeId, names) {
  const list = await all((token) => get('/api/v1/inspections',
    { programmeId, status: 'INSPECTION_STATUS_AWAITING_SIGN_OFF', pageSize: 200, pageToken: token }), 'inspections');
  if (list.length === 0) {
    return h('p', { text: t('nothingAwaitsSignOff') });
  }
  return h('ul', { class: 'sign-offs' }, ...list.map((inspection) => signOffItem(inspection, names)));
}

/** @param {any} inspection @param {Map<string, string>} names */
function signOffItem(inspection, names) {
  const units = inspection.awaitingSignOffUnits ?? 0;
  const result = h('span', { class: 'small', role: 'status' });
  const button = h('button', { type: 'button', class: 'sign-off', text: t('signOffAll') });
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', '');
    try {
      const signed = await post(`/api/v1/inspections/${encodeURIComponent(inspection.inspectionId)}:signOff`, {
        acceptedUnits: units,
        rejectedUnits: 0,
        note: t('signOffNote'),
      });
      item.classList.add('done');
      result.replaceChildren(`✓ ${t('signedOff')}: ${num(signed.acceptedUnits)} ${t('units')}`);
    } catch (error) {
      button.removeAttribute('disabled');
      result.replaceChildren(problem(error));
    }
  });
  const item = h('li', { 'data-inspection-id': inspection.inspectionId },
    h('strong', { text: names.get(inspection.traineeId) ?? inspection.traineeId }),
    ` — ${num(units)} ${inspection.productCode} ${t('awaitingSignOffUnits')} (${t('inspected')} ${dateTime(inspection.inspectedAt)}) `,
    button, ' ', result);
  return item;
}
