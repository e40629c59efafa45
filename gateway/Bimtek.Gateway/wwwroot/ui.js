// @ts-check
/** Shared pieces of the pages: sections that load on their own, and how a failure reads. */
import { ApiError } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/** A failure as a message: access denied (403), not available (404, 503), or the error's message. @param {unknown} error */
export function problem(error) {
  if (error instanceof ApiError && error.status === 403) {
    return h('p', { class: 'error denied', role: 'alert', text: t('denied') });
  }
  if (error instanceof ApiError && (error.status === 404 || error.status === 503 || error.status === 501)) {
    return h('p', { class: 'muted', text: `${t('notAvailable')} (${error.message})` });
  }
  return h('p', { class: 'error', role: 'alert', text: `${t('error')}: ${error instanceof Error ? error.message : String(error)}` });
}

/**
 * A titled section whose body is filled by `load` (a loading note until then, the problem if it fails), so
 * one missing figure does not hide the others.
 * @param {string} id @param {string} title @param {() => Promise<Node | Node[]>} load
 */
export function section(id, title, load) {
  const body = h('div', { class: 'section-body' }, h('p', { class: 'muted', text: t('loading') }));
  const element = h('section', { id, class: 'card', 'aria-labelledby': id + '-title' }, h('h2', { id: id + '-title', text: title }), body);
  load().then((content) => body.replaceChildren(...(Array.isArray(content) ? content : [content])))
    .catch((error) => body.replaceChildren(problem(error)));
  return element;
}

/** Reads every page of a list call. @param {(token: string) => Promise<any>} page @param {string} field */
export async function all(page, field) {
  /** @type {any[]} */
  const items = [];
  let token = '';
  do {
    const response = await page(token);
    items.push(...(response[field] ?? []));
    token = response.nextPageToken ?? '';
  } while (token);
  return items;
}

/** Definition-list pairs. @param {[string, string | Node][]} pairs */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, ...pairs.flatMap(([term, value]) => [h('dt', { text: term }), h('dd', {}, value)]));
}
