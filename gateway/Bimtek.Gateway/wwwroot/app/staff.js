// @ts-check
/** What the instructor's and the health expert's screens share: their programmes, trainees' names, the checklist. */
import { get } from '../api.js';
import { h, u } from '../dom.js';
import { lang, t } from '../i18n.js';
import { all } from '../ui.js';

/** The active programmes this person is assigned to. @param {any} me @returns {Promise<any[]>} */
export async function myProgrammes(me) {
  const programmes = await all((token) => get('/api/v1/programmes', { pageSize: 200, pageToken: token }), 'programmes');
  return programmes.filter((p) => p.status === 'PROGRAMME_STATUS_ACTIVE' && (p.staff ?? []).some((/** @type {any} */ s) => s.personId === me.personId));
}

/** trainee id → name, from the programme's enrolments. @param {string} programmeId @returns {Promise<Map<string, string>>} */
export async function traineeNames(programmeId) {
  const enrolments = await all((token) => get(`/api/v1/programmes/${encodeURIComponent(programmeId)}/enrolments`, { pageSize: 200, pageToken: token }), 'enrolments')
    .catch(() => []);
  return new Map(enrolments.map((e) => [e.traineeId, e.traineeName]));
}

/** The product's defect checklist (codes with labels in the person's language). @param {string} productCode @returns {Promise<any[]>} */
export async function checklist(productCode) {
  const list = await get(`/api/v1/production/products/${encodeURIComponent(productCode)}/defect-checklist`).catch(() => ({ codes: [] }));
  return list.codes ?? [];
}

/**
 * Number inputs for defective units per checklist code. @param {string} prefix @param {any[]} codes
 * @returns {{element: HTMLElement, defects: () => {defectCode: string, units: number}[]}}
 */
export function defectInputs(prefix, codes) {
  const inputs = codes.map((code, i) => {
    const id = `${prefix}-defect-${i}`;
    const input = /** @type {HTMLInputElement} */ (h('input', { id, type: 'number', min: 0, value: 0, inputmode: 'numeric', 'data-code': code.code }));
    const label = lang() === 'en' && code.labelEn ? code.labelEn : code.label;
    return { code: code.code, input, row: h('div', { class: 'field inline' }, h('label', { for: id }, h('code', { text: code.code }), ' ', u(label)), input) };
  });
  const element = h('fieldset', { class: 'defects' }, h('legend', { text: t('defectUnits') }), ...inputs.map((i) => i.row));
  return {
    element,
    defects: () => inputs.map((i) => ({ defectCode: i.code, units: Number(i.input.value) || 0 })).filter((d) => d.units > 0),
  };
}

/** @param {{hours?: number, minutes?: number} | undefined} time */
export function clock(time) {
  return time ? `${String(time.hours ?? 0).padStart(2, '0')}:${String(time.minutes ?? 0).padStart(2, '0')}` : '';
}
