// @ts-check
/** Small inline SVG charts: a trainee's progress bar and the programme's daily output columns. */
import { s } from './dom.js';
import { date, num, t } from './i18n.js';

/**
 * One trainee against their quota: accepted (solid), awaiting inspection or sign-off (striped colour), the rest
 * of what was produced (outline), and the expected-by-today pace as a vertical line.
 * @param {{quota: number, accepted: number, awaiting: number, produced: number, expected: number}} p
 */
export function progressBar(p) {
  const max = Math.max(p.quota, p.produced, p.expected, 1);
  const x = (/** @type {number} */ v) => (Math.min(v, max) / max) * 100;
  const svg = s('svg', { viewBox: '0 0 100 14', preserveAspectRatio: 'none', class: 'bar', role: 'img' },
    s('rect', { x: 0, y: 2, width: x(p.quota), height: 10, class: 'bar-quota' }),
    s('rect', { x: 0, y: 2, width: x(p.produced), height: 10, class: 'bar-produced' }),
    s('rect', { x: 0, y: 2, width: x(p.accepted), height: 10, class: 'bar-accepted' }),
    s('rect', { x: x(p.accepted), y: 2, width: x(p.awaiting), height: 10, class: 'bar-awaiting' }),
    s('line', { x1: x(p.expected), x2: x(p.expected), y1: 0, y2: 14, class: 'bar-pace' }));
  svg.setAttribute('aria-label', `${t('accepted')} ${num(p.accepted)}, ${t('awaiting')} ${num(p.awaiting)}, ${t('produced')} ${num(p.produced)}, ${t('quota')} ${num(p.quota)}, ${t('expectedByToday')} ${num(p.expected)}`);
  return svg;
}

/**
 * Reported and accepted units per day as paired columns with day labels.
 * @param {{day: any, reportedUnits?: number, acceptedUnits?: number}[]} days
 */
export function dailyChart(days) {
  const width = Math.max(days.length * 48, 160);
  const height = 140;
  const top = Math.max(1, ...days.map((d) => Math.max(d.reportedUnits ?? 0, d.acceptedUnits ?? 0)));
  const scale = (/** @type {number} */ v) => (v / top) * (height - 40);
  // Drawn at its natural size (text stays legible), shrunk only when the screen is narrower.
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img' });
  svg.setAttribute('aria-label', t('dailyOutput'));
  days.forEach((d, i) => {
    const x0 = i * 48 + 8;
    const reported = d.reportedUnits ?? 0;
    const accepted = d.acceptedUnits ?? 0;
    svg.append(
      s('rect', { x: x0, y: height - 24 - scale(reported), width: 16, height: scale(reported), class: 'col-reported' },
        s('title', {}, document.createTextNode(`${t('reported')}: ${num(reported)}`))),
      s('rect', { x: x0 + 18, y: height - 24 - scale(accepted), width: 16, height: scale(accepted), class: 'col-accepted' },
        s('title', {}, document.createTextNode(`${t('accepted')}: ${num(accepted)}`))),
      s('text', { x: x0 + 17, y: height - 28 - scale(Math.max(reported, accepted)), class: 'col-value', 'text-anchor': 'middle' },
        document.createTextNode(num(reported))),
      s('text', { x: x0 + 17, y: height - 8, class: 'col-label', 'text-anchor': 'middle' }, document.createTextNode(date(d.day, 'short').replace(/\/?\d{2,4}$/, ''))));
  });
  return svg;
}
