// @ts-check
/**
 * A recipient's page (#/handovers): the handovers to the agencies that list the signed-in user (distribution
 * answers only those), each with its document and, while it is issued, a button to confirm receipt.
 */
import { get, post } from './api.js';
import { h } from './dom.js';
import { date, dateTime, num, t } from './i18n.js';
import { all, problem } from './ui.js';
import { pdfLink } from './programme.js';

/** @param {HTMLElement} main */
export async function renderHandovers(main) {
  const list = await all((token) => get('/api/v1/handovers', { pageSize: 200, pageToken: token }), 'handovers');
  main.replaceChildren(h('section', { id: 'my-handovers', class: 'card', 'aria-labelledby': 'my-handovers-title' },
    h('h2', { id: 'my-handovers-title', text: t('receivedGoods') }),
    list.length === 0 ? h('p', { text: t('noHandovers') }) : h('ul', { class: 'handovers' }, ...list.map(handoverItem))));
}

/** @param {any} ho */
function handoverItem(ho) {
  const status = h('span', { class: 'status', text: t(ho.status ?? '') });
  const item = h('li', { 'data-handover-id': ho.handoverId, 'data-status': ho.status ?? '' },
    h('strong', { text: ho.documentNumber }),
    ` — ${num(ho.units)} ${ho.productName || ho.productCode} · ${ho.recipientName || ho.recipientId} · ${date(ho.day)} `,
    '(', status, ') ', pdfLink(ho));
  if (ho.status === 'HANDOVER_STATUS_ISSUED') {
    const result = h('span', { class: 'small', role: 'status' });
    const button = h('button', { type: 'button', class: 'confirm-handover', text: t('confirmReceipt') });
    button.addEventListener('click', async () => {
      button.setAttribute('disabled', '');
      try {
        const confirmed = await post(`/api/v1/handovers/${encodeURIComponent(ho.handoverId)}:confirm`, {});
        status.textContent = t(confirmed.status ?? '');
        item.setAttribute('data-status', confirmed.status ?? '');
        button.remove();
        result.replaceChildren(`✓ ${t('receiptConfirmed')} ${dateTime(confirmed.confirmedAt)}`);
      } catch (error) {
        button.removeAttribute('disabled');
        result.replaceChildren(problem(error));
      }
    });
    item.append(' ', button, ' ', result);
  }
  return item;
}
