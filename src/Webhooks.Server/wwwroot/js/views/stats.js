// A listener's stats: its attempts over the last hour and day, what waits, its concurrency limit and its last failure.
import { api } from '../api.js';
import { h, notice, replace, time } from '../dom.js';

const POLL_MS = 10000;

const percent = (rate) => (rate == null ? '–' : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)} %`);
const millis = (ms) => (ms == null ? '–' : `${ms} ms`);

/** The stats section; it refreshes itself every 10 seconds until `signal` aborts. */
export function statsPanel(listenerId, signal) {
  const body = h('div', { class: 'stats-body', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading stats…'));
  let timer = null;

  async function refresh() {
    clearTimeout(timer);
    try {
      const stats = await api.stats(listenerId);
      if (!signal.aborted) {
        replace(body, render(stats));
      }
    } catch (error) {
      if (!signal.aborted) {
        replace(body, notice('error', `The stats could not be loaded: ${error.message}`));
      }
    }

    if (!signal.aborted) {
      timer = setTimeout(refresh, POLL_MS);
    }
  }

  signal.addEventListener('abort', () => clearTimeout(timer));
  refresh();
  const element = h('section', { class: 'card', 'aria-labelledby': 'stats-title' },
    h('h2', { id: 'stats-title' }, 'Delivery stats'),
    h('p', { class: 'hint' }, 'Every attempt but the test event\'s. p50 and p95 are the attempts\' median and 95th-percentile latency, read from a histogram: close, not exact.'),
    body);
  return { element, refresh };
}

function render(stats) {
  const row = (label, w) => h('tr', {},
    h('th', { scope: 'row' }, label),
    h('td', {}, String(w.attempts)),
    h('td', {}, percent(w.successRate)),
    h('td', {}, millis(w.latencyP50Ms)),
    h('td', {}, millis(w.latencyP95Ms)));
  const failure = stats.lastError;
  return [
    h('div', { class: 'stats-scroll' }, h('table', { class: 'stats' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Window'), h('th', { scope: 'col' }, 'Attempts'), h('th', { scope: 'col' }, 'Succeeded'),
        h('th', { scope: 'col' }, 'p50'), h('th', { scope: 'col' }, 'p95'))),
      h('tbody', {}, row('Last hour', stats.lastHour), row('Last day', stats.lastDay)))),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, 'Pending'), h('dd', {}, String(stats.pending))),
      h('div', {}, h('dt', {}, 'Parked'), h('dd', {}, String(stats.parked))),
      h('div', {}, h('dt', {}, 'Concurrency limit'), h('dd', {}, String(stats.concurrencyLimit))),
      h('div', {}, h('dt', {}, 'Last error'), h('dd', {}, failure
        ? [time(failure.at), ` · ${failure.eventId} · `, failure.statusCode != null ? `HTTP ${failure.statusCode}` : '', failure.error ? ` ${failure.error}` : '']
        : 'None'))),
  ];
}
