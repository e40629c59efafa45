// @ts-check
/** Tiny helpers to build elements without innerHTML (no markup injection from data). */

/**
 * @param {string} tag
 * @param {Record<string, any>} [attributes] attributes; `text` sets textContent, `on*` functions add listeners
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'text') {
      element.textContent = String(value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  element.append(...children.filter((c) => c !== null && c !== undefined && c !== false).map((c) => /** @type {Node | string} */ (c)));
  return element;
}

const svgNs = 'http://www.w3.org/2000/svg';

/** @param {string} tag @param {Record<string, string | number>} [attributes] @param {...Node} children */
export function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  element.append(...children);
  return element;
}

/**
 * A piece of user text (a name, a title, a note): in its own <bdi>, so a right-to-left override or mark inside it
 * cannot reorder the text around it (dates, status, links); styles.css also lets it wrap anywhere.
 * @param {string | null | undefined} text @param {Record<string, any>} [attributes]
 */
export function u(text, attributes = {}) {
  return h('bdi', { ...attributes, text: text ?? '' });
}
