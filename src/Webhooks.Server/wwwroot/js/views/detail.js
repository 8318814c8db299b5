// One webhook, opened by clicking its entry: its settings with "edit", Test, Enable, the signing secret and the delivery log.
import { api } from '../api.js';
import { confirm } from '../dialogs.js';
import { add, breakable, h, notice, replace, time } from '../dom.js';
import { deliveryLog } from './deliveries.js';
import { flashNotice } from './list.js';
import { enabledBadge, eventChips } from './outcome.js';
import { secretPanel } from './secret.js';
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

  const showState = () => replace(state,
    enabledBadge(listener.enabled),
    listener.enabled ? null : notice('warning',
      h('p', {}, 'This webhook is disabled: it receives no events until it is enabled again.'),
      listener.disabledReason ? h('p', {}, listener.disabledReason) : null,
      h('button', { type: 'button', class: 'button primary', onclick: enable }, 'Enable')));

  async function enable() {
    try {
      listener = await api.enable(listener.id);
      showState();
      const done = notice('success', 'Webhook enabled: delivery resumes.');
      done.tabIndex = -1;
      state.append(done);
      done.focus();
      log.refresh();
    } catch (error) {
      replace(state, notice('error', `Could not enable the webhook: ${error.message}`));
    }
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
        h('div', {}, h('dt', {}, 'State'), h('dd', {}, state)),
        h('div', {}, h('dt', {}, 'Created'), h('dd', {}, time(listener.createdAt))),
        h('div', {}, h('dt', {}, 'Updated'), h('dd', {}, time(listener.updatedAt)))),
      h('h2', { id: 'events-title' }, 'Events'),
      h('div', { class: 'events-row' }, eventChips(listener.subscriptions), test),
      testOutcome),
    h('section', { class: 'card', 'aria-labelledby': 'secret-title' },
      h('h2', { id: 'secret-title' }, 'Signing secret'),
      h('p', { class: 'hint' }, 'Every delivery carries a webhook-signature header: an HMAC-SHA256 made with this webhook\'s whsec_ secret, shown once when the webhook was added. Rotate it to get a new one.'),
      h('div', {}, rotate),
      secretArea),
    log.element);
  document.title = `${listener.uri} · Webhooks.Orleans`;
}
