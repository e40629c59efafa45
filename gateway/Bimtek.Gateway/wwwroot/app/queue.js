// @ts-check
/** The queue screen: what waits to be sent, what failed (with the server's reason in the person's language), what was sent today. */
import { h, u } from '../dom.js';
import { dateTime, t } from '../i18n.js';
import * as outbox from './outbox.js';

/** @param {HTMLElement} view */
export async function renderQueue(view) {
  const list = h('ul', { class: 'queue', id: 'queue-list', 'aria-live': 'polite' });
  const send = h('button', { type: 'button', id: 'send-now', class: 'wide', text: t('sendNow') });
  send.addEventListener('click', () => outbox.flush());
  const draw = async () => {
    const items = (await outbox.items()).reverse();
    if (items.length === 0) {
      list.replaceChildren(h('li', { class: 'muted', text: t('queueEmpty') }));
      return;
    }
    list.replaceChildren(...items.map((item) => {
      const row = h('li', { class: 'queue-item ' + item.status, 'data-request-id': item.id, 'data-status': item.status, 'data-kind': item.kind },
        h('div', { class: 'queue-head' }, h('strong', {}, u(item.label)), h('span', { class: 'badge ' + item.status, text: t(item.status) })),
        h('p', { class: 'small muted', text: `${dateTime(new Date(item.createdAt).toISOString())}${item.photos.length ? ` · ${item.photos.length} 📷` : ''}${item.attempts > 1 ? ` · ${item.attempts} ${t('attempts')}` : ''}` }));
      if (item.status === 'failed') {
        row.append(h('p', { class: 'error reason', role: 'alert' }, u(outbox.reasonText(item))));
      }
      if (item.status !== 'waiting') {
        const dismiss = h('button', { type: 'button', class: 'secondary', text: t('dismiss') });
        dismiss.addEventListener('click', () => outbox.dismiss(item.id));
        row.append(dismiss);
      }
      return row;
    }));
  };
  await draw();
  // Redrawn on every change while on screen; the listener goes once the person has moved on.
  let shown = false;
  const stop = outbox.onChange(() => {
    if (list.isConnected) {
      shown = true;
    } else if (shown) {
      stop();
      return;
    }
    draw();
  });
  view.append(h('section', { class: 'card', 'aria-labelledby': 'queue-title' }, h('h2', { id: 'queue-title', text: t('queueTitle') }), send, list));
}
