// @ts-check
/**
 * Photos: a camera input with previews (kept as Blobs until the action is sent), and photos shown from the suite
 * (GET /api/v1/photos/{id} needs the person's token, so each is fetched and shown from a blob: URL).
 */
import { accessToken } from '../auth.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * A labelled camera input (several photos) with previews and a remove button each.
 * @param {string} id @returns {{element: HTMLElement, files: () => Blob[], clear: () => void}}
 */
export function photoPicker(id) {
  /** @type {Blob[]} */
  let chosen = [];
  const previews = h('ul', { class: 'previews', 'aria-live': 'polite' });
  const input = /** @type {HTMLInputElement} */ (h('input', { id, type: 'file', accept: 'image/jpeg,image/png,image/webp,image/*', capture: 'environment', multiple: true }));
  const draw = () => {
    for (const img of previews.querySelectorAll('img')) {
      URL.revokeObjectURL(/** @type {HTMLImageElement} */ (img).src);
    }
    previews.replaceChildren(...chosen.map((blob, index) => {
      const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `${t('removePhoto')} ${index + 1}`, text: '×' });
      remove.addEventListener('click', () => {
        chosen = chosen.filter((_, i) => i !== index);
        draw();
      });
      return h('li', {}, h('img', { src: URL.createObjectURL(blob), alt: `${t('photos')} ${index + 1}`, width: 96, height: 96 }), remove);
    }));
  };
  input.addEventListener('change', () => {
    chosen = [...chosen, ...Array.from(input.files ?? [])];
    input.value = '';
    draw();
  });
  const element = h('div', { class: 'field' }, h('label', { for: id, text: t('photos') }), input, previews);
  return { element, files: () => [...chosen], clear: () => { chosen = []; draw(); } };
}

/** Shows the suite's photos by id (fetched with the token). @param {string[]} ids @param {string} label */
export function photoStrip(ids, label) {
  const list = h('ul', { class: 'photos', 'aria-label': label });
  if (!ids || ids.length === 0) {
    list.append(h('li', { class: 'muted', text: t('noPhotos') }));
    return list;
  }
  for (const id of ids) {
    const item = h('li', {});
    list.append(item);
    fetch('/api/v1/photos/' + encodeURIComponent(id), { headers: { Authorization: 'Bearer ' + (accessToken() ?? '') } })
      .then(async (response) => {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        const url = URL.createObjectURL(await response.blob());
        item.append(h('img', { src: url, alt: label, 'data-photo-id': id, loading: 'lazy' }));
      })
      .catch((error) => item.append(h('span', { class: 'muted', text: `${t('notAvailable')} (${error.message})` })));
  }
  return list;
}
