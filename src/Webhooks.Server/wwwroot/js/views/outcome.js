// How a delivery and its attempts read on the page.
import { h, time } from '../dom.js';

const STATUS_LABELS = { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed', parked: 'Parked', skipped: 'Skipped' };

// Why a delivery has no attempt: parked ones wait for the webhook to be enabled, skipped ones never go out.
const NOT_ATTEMPTED = {
  parked: 'parked while the webhook is disabled',
  skipped: 'skipped when the webhook was enabled',
};

export const statusBadge = (status) => h('span', { class: `badge ${status}` }, STATUS_LABELS[status] ?? status);

export const enabledBadge = (enabled) =>
  h('span', { class: `badge ${enabled ? 'enabled' : 'disabled'}` }, enabled ? 'Enabled' : 'Disabled');

/** "HTTP 200 · 12 ms", "No response · 3 ms · connection refused". */
export function attemptSummary(attempt) {
  const parts = [attempt.statusCode ? `HTTP ${attempt.statusCode}` : 'No response', `${attempt.durationMs} ms`];
  if (attempt.error) {
    parts.push(attempt.error);
  }

  return parts.join(' · ');
}

/** A delivery at a glance: its status and event, then the last attempt's outcome and when it was created. */
export function deliveryLine(delivery) {
  const last = delivery.attempts.at(-1);
  return h('span', { class: 'delivery-line' },
    h('span', { class: 'delivery-what' }, statusBadge(delivery.status), ' ', h('code', { class: 'event-code' }, delivery.eventCode)),
    h('span', { class: 'delivery-meta' }, last ? attemptSummary(last) : NOT_ATTEMPTED[delivery.status] ?? 'not attempted yet', ' · ', time(delivery.createdAt)));
}

/** The subscribed events as chips; at most `limit`, then "+N more". */
export function eventChips(subscriptions, limit = Infinity) {
  if (subscriptions.includes('*')) {
    return h('ul', { class: 'chips', 'aria-label': 'Subscribed events' }, h('li', { class: 'chip all' }, 'All events'));
  }

  const shown = subscriptions.slice(0, limit);
  const rest = subscriptions.length - shown.length;
  return h('ul', { class: 'chips', 'aria-label': 'Subscribed events' },
    shown.map((code) => h('li', { class: 'chip' }, code)),
    rest > 0 ? h('li', { class: 'chip more', title: subscriptions.slice(limit).join(', ') }, `+${rest} more`) : null);
}

/** The API's ordering values, in words, in the order the form offers them. */
export const ORDERING_NAMES = { none: 'None (in parallel)', resource: 'Per resource, in order', listener: 'All events in order, one at a time' };

/** The API's signature names, in words, in the order the form offers them. */
export const SIGNATURE_NAMES = { 'n-signature': 'N-Signature (RSA)', standard: 'Standard Webhooks (HMAC)' };
