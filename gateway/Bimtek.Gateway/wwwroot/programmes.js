// @ts-check
/** The programmes list: status, dates, product, trainees, target and accepted so far. */
import { get } from './api.js';
import { h, u } from './dom.js';
import { date, num, t } from './i18n.js';
import { all } from './ui.js';

/** @param {HTMLElement} main */
export async function renderProgrammes(main) {
  const programmes = await all((token) => get('/api/v1/programmes', { pageSize: 200, pageToken: token }), 'programmes');
  /** @type {Map<string, any>} */
  const summaries = new Map();
  if (programmes.length > 0) {
    // The coordinator's summaries (accepted so far); without them the column reads "not available".
    try {
      for (let i = 0; i < programmes.length; i += 200) {
        const ids = programmes.slice(i, i + 200).map((p) => p.programmeId);
        const query = new URLSearchParams(ids.map((id) => ['programmeIds', id]));
        const response = await get('/api/v1/quotas/programmes:batchGet?' + query.toString());
        for (const summary of response.summaries ?? []) {
          summaries.set(summary.programmeId, summary);
        }
      }
    } catch {
      // Shown per row as not available.
    }
  }
  const rows = programmes.map((p) => {
    const summary = summaries.get(p.programmeId);
    return h('tr', { 'data-programme-id': p.programmeId },
      h('th', { scope: 'row' }, h('a', { href: '#/programmes/' + encodeURIComponent(p.programmeId) }, u(p.title || p.code)),
        h('div', { class: 'muted small' }, u(p.code))),
      h('td', {}, h('span', { class: 'status ' + (p.status ?? ''), text: t(p.status ?? '') })),
      h('td', { text: `${date(p.startDay)} – ${date(p.endDay)}` }),
      h('td', {}, u(p.productCode)),
      h('td', { class: 'num', text: num(p.enrolledCount) }),
      h('td', { class: 'num', text: num(p.targetQuantity) }),
      h('td', { class: 'num', text: summary ? `${num(summary.accepted)} (${num(summary.percentAccepted)}%)` : t('notAvailable') }));
  });
  main.replaceChildren(h('section', { class: 'card', 'aria-labelledby': 'programmes-title' },
    h('h2', { id: 'programmes-title', text: t('programmes') }),
    programmes.length === 0 ? h('p', { text: t('noProgrammes') }) : h('div', { class: 'table-wrap' }, h('table', { class: 'programmes' },
      h('thead', {}, h('tr', {}, ...['programmes', 'status', 'dates', 'product', 'trainees', 'target', 'acceptedSoFar'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, ...rows)))));
}
