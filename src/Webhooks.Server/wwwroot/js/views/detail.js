// One webhook, opened by clicking its entry: its settings with "edit", Test, Disable/Enable, its stats, the signing secret and the delivery log.
import { api } from '../api.js';
import { confirm, modal } from '../dialogs.js';
import { add, breakable, h, notice, replace, time } from '../dom.js';
import { deliveryLog } from './deliveries.js';
import { flashNotice } from './list.js';
import { ORDERING_NAMES, SIGNATURE_NAMES, enabledBadge, eventChips } from './outcome.js';
import { secretPanel } from './secret.js';
import { statsPanel } from './stats.js';
import { runTest } from './test-event.js';

export async function renderDetail(view, { id }, ctx) {
  let listener;
  try {
    listener = await api.getWebhook(id);
  } catch (error) {
    add(view, h('h1', { tabindex: '-1' }, 'Webhook'),
      notice('error', error.status === 404 ? 'This webhook does not exist (it may have been deleted).' : error.message),
      h('p', {}, h('a', { href: '#/webhooks' }, 'Back to webhooks')));
    return;
  }

  const state = h('div', { class: 'state' });
  const testOutcome = h('div', { class: 'test-outcome' });
  const secretArea = h('div', { class: 'secret-area' });
  const log = deliveryLog(listener.id, ctx.signal);
  const stats = statsPanel(listener.id, ctx.signal);

  const showState = () => replace(state,
    enabledBadge(listener.enabled),
    listener.enabled
      ? h('button', { type: 'button', class: 'button small', onclick: disable }, 'Disable')
      : notice('warning',
        h('p', {}, 'This webhook is disabled: no delivery is attempted until it is enabled again. Events published meanwhile are parked, not lost.'),
        listener.disabledReason ? h('p', {}, reasonText(listener.disabledReason)) : null,
        h('button', { type: 'button', class: 'button primary', onclick: enable }, 'Enable')));

  async function disable(event) {
    const confirmed = await confirm({
      title: 'Disable this webhook?',
      message: 'No delivery is attempted while it is disabled. Events published meanwhile are parked; when you enable it again you choose whether to deliver them.',
      confirmLabel: 'Disable',
      danger: true,
      returnFocus: event.currentTarget,
    });
    if (!confirmed) {
      return;
    }

    try {
      listener = await api.disable(listener.id);
      announce('Webhook disabled: events are parked until it is enabled.');
    } catch (error) {
      replace(state, notice('error', `Could not disable the webhook: ${error.message}`));
    }
  }

  async function enable(event) {
    const button = event.currentTarget;
    try {
      // Ask only when there is something to decide: how many events wait, as the log counts them.
      const parked = (await api.listDeliveries(listener.id, { pageSize: 1, status: 'parked' })).elementsTotal;
      const replayParked = parked > 0 ? await askReplay(parked, button) : undefined;
      if (replayParked === null) {
        return;
      }

      listener = await api.enable(listener.id, replayParked);
      announce(replayParked === false
        ? `Webhook enabled: delivery resumes; the ${parked} parked event${parked === 1 ? ' was' : 's were'} skipped.`
        : 'Webhook enabled: delivery resumes.');
    } catch (error) {
      replace(state, notice('error', `Could not enable the webhook: ${error.message}`));
    }
  }

  /** Shows the new state with a focused message, and the log as it is now. */
  function announce(text) {
    showState();
    const done = notice('success', text);
    done.tabIndex = -1;
    state.append(done);
    done.focus();
    log.refresh();
  }

  const test = h('button', {
    type: 'button',
    class: 'button',
    onclick: async () => {
      await runTest(listener, testOutcome, ctx.signal, test);
      log.refresh();
    },
  }, 'Test');

  const rotate = h('button', {
    type: 'button',
    class: 'button',
    onclick: async () => {
      const confirmed = await confirm({
        title: 'Rotate the signing secret?',
        message: 'A new secret is issued and shown once. The current one keeps signing alongside it for a while (24 hours by default), so your listener can switch over without missing a delivery.',
        confirmLabel: 'Rotate secret',
        returnFocus: rotate,
      });
      if (!confirmed) {
        return;
      }

      try {
        const { secret } = await api.rotateSecret(listener.id);
        replace(secretArea, secretPanel({ heading: 'New signing secret', secret }));
        secretArea.querySelector('input')?.focus();
      } catch (error) {
        replace(secretArea, notice('error', `Could not rotate the secret: ${error.message}`));
      }
    },
  }, 'Rotate secret');

  showState();
  add(view, 
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/webhooks' }, 'Webhooks'), ' › ', listener.id),
    flashNotice(ctx.takeFlash()),
    h('section', { class: 'card', 'aria-labelledby': 'webhook-title' },
      h('div', { class: 'title-row' },
        h('h1', { id: 'webhook-title', class: 'uri-title', tabindex: '-1' }, breakable(listener.uri)),
        h('button', { type: 'button', class: 'button', onclick: () => ctx.navigate(`#/webhooks/${listener.id}/edit`) }, 'edit')),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'Id'), h('dd', { class: 'mono' }, listener.id)),
        listener.description ? h('div', {}, h('dt', {}, 'Description'), h('dd', {}, listener.description)) : null,
        listener.maxDeliveriesPerSecond != null ? h('div', {}, h('dt', {}, 'Rate limit'), h('dd', {}, `${listener.maxDeliveriesPerSecond} per second`)) : null,
        h('div', {}, h('dt', {}, 'Delivery order'), h('dd', {}, ORDERING_NAMES[listener.ordering] ?? 'None')),
        h('div', {}, h('dt', {}, 'Signatures'), h('dd', {}, (listener.signatures ?? Object.keys(SIGNATURE_NAMES)).map((name) => SIGNATURE_NAMES[name] ?? name).join(', '))),
        listener.headers ? h('div', {}, h('dt', {}, 'Request headers'), h('dd', { class: 'mono' },
          ...Object.entries(listener.headers).map(([name, value]) => h('div', {}, `${name}: ${value}`)))) : null,
        h('div', {}, h('dt', {}, 'State'), h('dd', {}, state)),
        h('div', {}, h('dt', {}, 'Created'), h('dd', {}, time(listener.createdAt))),
        h('div', {}, h('dt', {}, 'Updated'), h('dd', {}, time(listener.updatedAt)))),
      h('h2', { id: 'events-title' }, 'Events'),
      h('div', { class: 'events-row' }, eventChips(listener.subscriptions), test),
      testOutcome),
    stats.element,
    h('section', { class: 'card', 'aria-labelledby': 'secret-title' },
      h('h2', { id: 'secret-title' }, 'Signing secret'),
      h('p', { class: 'hint' }, 'Every delivery carries a webhook-signature header: an HMAC-SHA256 made with this webhook\'s whsec_ secret, shown once when the webhook was added. Rotate it to get a new one.'),
      h('div', {}, rotate),
      secretArea),
    log.element);
  document.title = `${listener.uri} · Webhooks.Orleans`;
}

/** The API's reason code for a webhook disabled by hand, in words; the automatic reason is a sentence already. */
const reasonText = (reason) => (reason === 'DisabledByUser' ? 'It was disabled by hand.' : reason);

/** Deliver or skip the parked events: true, false, or null when the user cancels (the webhook stays disabled). */
function askReplay(parked, returnFocus) {
  const events = `${parked} parked event${parked === 1 ? '' : 's'}`;
  return modal({
    title: 'Enable this webhook?',
    description: `${events} ${parked === 1 ? 'was' : 'were'} published while it was disabled. Deliver ${parked === 1 ? 'it' : 'them'} now, oldest first, or skip ${parked === 1 ? 'it' : 'them'}? Skipped events stay in the delivery log and can be redelivered one by one.`,
    returnFocus,
    buttons: (close) => [
      h('button', { type: 'button', class: 'button', onclick: () => close(null) }, 'Cancel'),
      h('button', { type: 'button', class: 'button', onclick: () => close(false) }, 'Skip them'),
      h('button', { type: 'button', class: 'button primary', onclick: () => close(true) }, `Deliver ${events}`),
    ],
  });
}
