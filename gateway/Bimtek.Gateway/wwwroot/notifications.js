// @ts-check
/**
 * Notifications on the dashboard:
 * - a programme's failed deliveries (the office's view: messages that every channel failed, or that were suppressed
 *   for want of an address, opt-out or a guardian's consent, or whose outcome is unknown because the service stopped
 *   mid-send), failed and suppressed ones with "resend" (a new attempt on the same message; the notifications service
 *   decides who may and answers 403 to anyone else);
 * - a person's messages (#/messages/{subject}; a trainee's own at #/messages), with status, channel and every try.
 * Message texts, names and provider answers are user text: each sits in its own <bdi>.
 */
import { get, post } from './api.js';
import { h, u } from './dom.js';
import { addTexts, dateTime, num, t } from './i18n.js';
import { all, problem } from './ui.js';

addTexts({
  id: {
    notifications: 'Pesan',
    myMessages: 'Pesan saya',
    failedDeliveries: 'Pesan yang tidak terkirim',
    noFailedDeliveries: 'Semua pesan program ini terkirim.',
    messagesOf: 'Pesan untuk',
    noMessages: 'Belum ada pesan.',
    resend: 'Kirim ulang',
    resent: 'Dijadwalkan kirim ulang',
    attempts: 'percobaan',
    tries: 'Percobaan pengiriman',
    resends: 'kali dikirim ulang',
    showMessages: 'semua pesan orang ini',
    DELIVERY_STATUS_QUEUED: 'Antre',
    DELIVERY_STATUS_SENT: 'Terkirim',
    DELIVERY_STATUS_DELIVERED: 'Diterima',
    DELIVERY_STATUS_READ: 'Dibaca',
    DELIVERY_STATUS_FAILED: 'Gagal',
    DELIVERY_STATUS_SUPPRESSED: 'Tidak dikirim',
    DELIVERY_STATUS_UNKNOWN: 'Belum pasti (menunggu laporan penyedia)',
    CHANNEL_WHATSAPP: 'WhatsApp',
    CHANNEL_SMS: 'SMS',
    CHANNEL_EMAIL: 'E-mail',
    CHANNEL_WEB_PUSH: 'Notifikasi aplikasi',
    CHANNEL_DEV_OUTBOX: 'Kotak keluar uji',
  },
  en: {
    notifications: 'Messages',
    myMessages: 'My messages',
    failedDeliveries: 'Messages not delivered',
    noFailedDeliveries: 'Every message of this programme went out.',
    messagesOf: 'Messages to',
    noMessages: 'No messages yet.',
    resend: 'Resend',
    resent: 'Queued to send again',
    attempts: 'tries',
    tries: 'Delivery tries',
    resends: 'resends',
    showMessages: 'all messages to this person',
    DELIVERY_STATUS_QUEUED: 'Queued',
    DELIVERY_STATUS_SENT: 'Sent',
    DELIVERY_STATUS_DELIVERED: 'Delivered',
    DELIVERY_STATUS_READ: 'Read',
    DELIVERY_STATUS_FAILED: 'Failed',
    DELIVERY_STATUS_SUPPRESSED: 'Not sent',
    DELIVERY_STATUS_UNKNOWN: 'Unknown (waiting for the provider\'s report)',
    CHANNEL_WHATSAPP: 'WhatsApp',
    CHANNEL_SMS: 'SMS',
    CHANNEL_EMAIL: 'E-mail',
    CHANNEL_WEB_PUSH: 'App notification',
    CHANNEL_DEV_OUTBOX: 'Dev outbox',
  },
});

/** The programme page's section: its failed deliveries, each with a resend button. @param {string} programmeId @returns {Promise<Node>} */
export async function failedDeliveries(programmeId) {
  const list = await all((token) => get(`/api/v1/notifications/programmes/${encodeURIComponent(programmeId)}/failed-deliveries`,
    { pageSize: 200, pageToken: token }), 'messages');
  if (list.length === 0) {
    return h('p', { text: t('noFailedDeliveries') });
  }
  return h('ul', { class: 'messages failed-deliveries' }, ...list.map((message) => messageItem(message, true)));
}

/** A person's messages (#/messages/{subject}). @param {HTMLElement} main @param {string} subject */
export async function renderMessages(main, subject) {
  const list = await all((token) => get(`/api/v1/notifications/people/${encodeURIComponent(subject)}/messages`,
    { pageSize: 200, pageToken: token }), 'messages');
  main.replaceChildren(
    h('h2', { class: 'page-title', id: 'messages-title' }, `${t('messagesOf')} `, u(subject)),
    h('section', { id: 'messages', class: 'card', 'aria-labelledby': 'messages-title' },
      list.length === 0 ? h('p', { text: t('noMessages') }) : h('ul', { class: 'messages' }, ...list.map((message) => messageItem(message, false)))));
}

/** @param {any} message @param {boolean} office the office's view (a link to the person's messages, and resend) */
function messageItem(message, office) {
  const status = h('span', { class: 'status', text: t(message.status ?? '') });
  const item = h('li', { 'data-message-id': message.messageId, 'data-status': message.status ?? '' },
    h('strong', {}, u(message.subject)), ' — ', status,
    message.channel && message.channel !== 'CHANNEL_UNSPECIFIED' ? ` · ${t(message.channel)}` : '',
    ` · ${dateTime(message.createdAt)} · ${num(message.attempts ?? 0)} ${t('attempts')}`,
    message.resends ? ` · ${num(message.resends)} ${t('resends')}` : '',
    h('br'), u(message.text, { class: 'message-text' }),
    message.lastError ? h('span', { class: 'small error-detail' }, ' (', u(message.lastError), ')') : '');
  const tries = message.deliveryAttempts ?? [];
  if (tries.length > 0) {
    item.append(h('details', { class: 'small' }, h('summary', { text: `${t('tries')} (${num(tries.length)})` }),
      h('ol', {}, ...tries.map((/** @type {any} */ a) =>
        h('li', {}, `${dateTime(a.attemptedAt)} · ${t(a.channel ?? '')} · ${a.outcome ?? ''} `, u(a.detail))))));
  }
  if (office) {
    item.append(' ', h('a', { href: `#/messages/${encodeURIComponent(message.subject)}`, class: 'small', text: t('showMessages') }));
    if (message.status === 'DELIVERY_STATUS_FAILED' || message.status === 'DELIVERY_STATUS_SUPPRESSED') {
      item.append(' ', resendButton(message, status, item));
    }
  }
  return item;
}

/** @param {any} message @param {HTMLElement} status @param {HTMLElement} item */
function resendButton(message, status, item) {
  const result = h('span', { class: 'small', role: 'status' });
  const button = h('button', { type: 'button', class: 'resend', text: t('resend') });
  // One request id per button: a click repeated after a lost answer resends once.
  const requestId = crypto.randomUUID();
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', '');
    try {
      const queued = await post(`/api/v1/notifications/messages/${encodeURIComponent(message.messageId)}:resend`, { requestId });
      status.textContent = t(queued.status ?? '');
      item.setAttribute('data-status', queued.status ?? '');
      button.remove();
      result.replaceChildren(`✓ ${t('resent')}`);
    } catch (error) {
      button.removeAttribute('disabled');
      result.replaceChildren(problem(error));
    }
  });
  return h('span', {}, button, ' ', result);
}
