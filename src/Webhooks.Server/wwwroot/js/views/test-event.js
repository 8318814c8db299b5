// The Test button: confirm, send webhook.test, then watch the delivery log until its one attempt has an outcome.
import { api } from '../api.js';
import { confirm } from '../dialogs.js';
import { notice, replace } from '../dom.js';
import { attemptSummary } from './outcome.js';

const TEST_EVENT = 'webhook.test';
const WAIT_MS = 30_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function newTestDeliveries(id, known) {
  const page = await api.listDeliveries(id, { pageSize: 50 });
  return page.items.find((d) => d.eventCode === TEST_EVENT && !known.has(d.eventId));
}

/** Runs the whole test flow for `listener`, reporting into `output`; resolves with the test delivery (or null). */
export async function runTest(listener, output, signal, returnFocus) {
  const confirmed = await confirm({
    title: 'Send a test event?',
    message: `This calls ${listener.uri} now with a ${TEST_EVENT} event. Its payload is empty and its resource id is this webhook's id (${listener.id}). A failed test is not retried: press Test again to send another.`,
    confirmLabel: 'Send test event',
    returnFocus,
  });
  if (!confirmed) {
    return null;
  }

  try {
    replace(output, notice('info', 'Sending the test event…'));
    const before = await api.listDeliveries(listener.id, { pageSize: 50 });
    const known = new Set(before.items.map((d) => d.eventId));
    await api.testWebhook(listener.id);
    const deadline = Date.now() + WAIT_MS;
    let delivery = null;
    while (Date.now() < deadline && !signal.aborted) {
      delivery = await newTestDeliveries(listener.id, known) ?? delivery;
      if (delivery && delivery.status !== 'pending') {
        break;
      }

      await sleep(300);
    }

    replace(output, describe(delivery));
    return delivery;
  } catch (error) {
    replace(output, notice('error', `The test event could not be sent: ${error.message}`));
    return null;
  }
}

function describe(delivery) {
  const attempt = delivery?.attempts.at(-1);
  if (!delivery || !attempt) {
    return notice('warning', 'The test event was sent; its outcome is not in the delivery log yet. Refresh the log in a moment.');
  }

  return delivery.status === 'succeeded'
    ? notice('success', `Test event delivered: ${attemptSummary(attempt)}.`)
    : notice('error', `Test event failed: ${attemptSummary(attempt)}.${attempt.responseBody ? ` Response: ${attempt.responseBody.slice(0, 200)}` : ''}`);
}
