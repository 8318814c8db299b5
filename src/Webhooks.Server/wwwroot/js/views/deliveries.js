// A listener's delivery log: newest first, every attempt with status code, duration, error and response excerpt.
import { api } from '../api.js';
import { h, notice, replace, time } from '../dom.js';
import { attemptSummary, deliveryLine } from './outcome.js';

const PAGE_SIZE = 10;
const PENDING_POLL_MS = 1000;
const IDLE_POLL_MS = 5000;

/** The log section; it refreshes itself (faster while deliveries are pending) until `signal` aborts. */
export function deliveryLog(listenerId, signal) {
  let pageNumber = 1;
  let status = '';
  let shown = '';
  let timer = null;
  let generation = 0;
  const message = h('div', { class: 'log-message' });
  const list = h('div', { class: 'log-items', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading deliveries…'));
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of deliveries' });
  const filter = h('select', { id: 'delivery-status', onchange: () => { status = filter.value; pageNumber = 1; refresh(); } },
    h('option', { value: '' }, 'All'), h('option', { value: 'pending' }, 'Pending'),
    h('option', { value: 'succeeded' }, 'Succeeded'), h('option', { value: 'failed' }, 'Failed'),
    h('option', { value: 'parked' }, 'Parked'), h('option', { value: 'skipped' }, 'Skipped'));

  async function refresh() {
    clearTimeout(timer);
    const current = ++generation;
    let page;
    try {
      page = await api.listDeliveries(listenerId, { pageNumber, pageSize: PAGE_SIZE, status });
    } catch (error) {
      if (!signal.aborted && current === generation) {
        replace(list, notice('error', `The delivery log could not be loaded: ${error.message}`));
      }

      return;
    }

    if (signal.aborted || current !== generation) {
      return;
    }

    // Re-render only what changed, so an open attempt list or the focused button stays put.
    const snapshot = JSON.stringify(page);
    if (snapshot !== shown) {
      shown = snapshot;
      render(page);
    }

    const pending = page.items.some((d) => d.status === 'pending');
    timer = setTimeout(refresh, pending ? PENDING_POLL_MS : IDLE_POLL_MS);
  }

  function render(page) {
    const open = new Set([...list.querySelectorAll('details[open]')].map((d) => d.dataset.eventId));
    const focused = document.activeElement?.closest?.('.log-items [data-focus-key]')?.dataset.focusKey;
    list.removeAttribute('aria-busy');
    replace(list, page.items.length === 0
      ? h('p', { class: 'muted' }, status ? `No ${status} deliveries.` : 'No deliveries yet. Publish an event this webhook subscribes to, or press Test.')
      : h('ol', { class: 'deliveries', 'aria-label': 'Deliveries, newest first' }, page.items.map((d) => item(d, open.has(d.eventId)))));
    if (focused) {
      list.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
    }

    const pages = Math.max(1, Math.ceil(page.elementsTotal / PAGE_SIZE));
    replace(pager,
      h('button', { type: 'button', class: 'button small', disabled: pageNumber <= 1, onclick: () => { pageNumber--; refresh(); } }, 'Newer'),
      h('span', { class: 'muted' }, `Page ${pageNumber} of ${pages} · ${page.elementsTotal} deliver${page.elementsTotal === 1 ? 'y' : 'ies'}`),
      h('button', { type: 'button', class: 'button small', disabled: pageNumber >= pages, onclick: () => { pageNumber++; refresh(); } }, 'Older'));
  }

  function item(delivery, open) {
    const redeliver = delivery.status === 'failed' || delivery.status === 'skipped'
      ? h('button', {
        type: 'button',
        class: 'button small',
        'aria-label': `Redeliver ${delivery.eventCode} ${delivery.eventId}`,
        'data-focus-key': `redeliver-${delivery.eventId}`,
        onclick: () => redeliverOne(delivery),
      }, 'Redeliver')
      : null;
    return h('li', { class: `delivery ${delivery.status}` },
      h('div', { class: 'delivery-head' }, deliveryLine(delivery), redeliver),
      delivery.nextAttemptAt ? h('p', { class: 'muted small' }, 'Next attempt: ', time(delivery.nextAttemptAt)) : null,
      h('details', { 'data-event-id': delivery.eventId, open },
        h('summary', { 'data-focus-key': `summary-${delivery.eventId}` },
          `${delivery.attempts.length} attempt${delivery.attempts.length === 1 ? '' : 's'} · event ${delivery.eventId}`),
        h('ol', { class: 'attempts' }, delivery.attempts.map((a) => h('li', { class: 'attempt' },
          h('p', {}, h('strong', {}, `Attempt ${a.attempt}`), ' · ', time(a.at), ' · ', attemptSummary(a)),
          a.responseBody ? h('pre', { class: 'response' }, a.responseBody) : null)))));
  }

  async function redeliverOne(delivery) {
    try {
      await api.redeliver(listenerId, delivery.eventId);
      replace(message, notice('success', `Redelivery of ${delivery.eventCode} (${delivery.eventId}) started.`));
    } catch (error) {
      replace(message, notice('error', `Could not redeliver: ${error.message}`));
    }

    refresh();
  }

  signal.addEventListener('abort', () => clearTimeout(timer));
  refresh();

  const element = h('section', { class: 'card', 'aria-labelledby': 'deliveries-title' },
    h('div', { class: 'title-row' },
      h('h2', { id: 'deliveries-title' }, 'Deliveries'),
      h('div', { class: 'toolbar' },
        h('label', { for: 'delivery-status' }, 'Show'), filter,
        h('button', { type: 'button', class: 'button small', onclick: refresh }, 'Refresh'))),
    message, list, pager);
  return { element, refresh };
}
