// The Test button: confirm, send webhook.test and wait for the server's report of its one attempt, including whether
// the listener refused a forged copy (signatureCheck); then read the test's delivery from the log.
import { api } from '../api.js';
import { confirm } from '../dialogs.js';
import { h, notice, replace } from '../dom.js';
import { attemptSummary } from './outcome.js';

const TEST_EVENT = 'webhook.test';
const RECEIVING_GUIDE = 'docs/receiving.md';

/** Runs the whole test flow for `listener`, reporting into `output`; resolves with the test delivery (or null). */
export async function runTest(listener, output, signal, returnFocus) {
  const confirmed = await confirm({
    title: 'Send a test event?',
    message: `This calls ${listener.uri} now with a ${TEST_EVENT} event. Its payload is empty and its resource id is this webhook's id (${listener.id}). `
      + 'If it is accepted, a copy with a wrong signature follows, to check that the endpoint refuses it. A failed test is not retried: press Test again to send another.',
    confirmLabel: 'Send test event',
    returnFocus,
  });
  if (!confirmed) {
    return null;
  }

  try {
    replace(output, notice('info', 'Sending the test event…'));
    const report = await api.testWebhookAndWait(listener.id);
    if (signal.aborted) {
      return null;
    }

    replace(output, ...describe(report));
    const page = await api.listDeliveries(listener.id, { pageSize: 50 });
    return page.items.find((d) => d.eventId === report.eventId) ?? null;
  } catch (error) {
    replace(output, notice('error', `The test event could not be sent: ${error.message}`));
    return null;
  }
}

function describe(report) {
  if (report.durationMs === null) {
    return [notice('warning', 'The test event was sent; the endpoint has not answered yet. Its outcome will show in the delivery log.')];
  }

  const attempt = { statusCode: report.statusCode, durationMs: report.durationMs, error: report.error };
  const delivered = report.statusCode >= 200 && report.statusCode < 300;
  const outcome = delivered
    ? notice('success', `Test event delivered: ${attemptSummary(attempt)}.`, signatureLine(report.signatureCheck))
    : notice('error', `Test event failed: ${attemptSummary(attempt)}.${report.responseExcerpt ? ` Response: ${report.responseExcerpt.slice(0, 200)}` : ''}`);
  return report.signatureCheck === 'notVerified' ? [outcome, notVerifiedWarning()] : [outcome];
}

function signatureLine(check) {
  switch (check) {
    case 'verified':
      return ' The endpoint refused a copy with a wrong signature: it checks signatures.';
    case 'unknown':
      return ' Whether the endpoint checks signatures is unknown: it did not answer the copy with a wrong signature with a 2xx or a 4xx.';
    default:
      return '';
  }
}

function notVerifiedWarning() {
  return h('div', { class: 'notice warning', role: 'alert' },
    h('p', {}, h('strong', {}, 'This endpoint accepts requests that anyone could forge. '),
      'It answered 2xx to a copy of the test event with a wrong signature (sent with the header webhook-probe: invalid-signature), '
      + 'so it would also act on events that did not come from us.'),
    h('p', {}, 'To fix it, have the endpoint verify the webhook-signature header with this webhook\'s signing secret '
      + '(or N-Signature with the account\'s public key) before doing anything, and answer 401 when it does not match. '
      + `The project's guide for listener authors, ${RECEIVING_GUIDE}, shows how.`));
}
