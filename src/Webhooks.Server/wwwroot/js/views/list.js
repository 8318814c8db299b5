// Account › Webhooks: the tenant's listeners, a page at a time, each with its last delivery and a Test button.
import { api } from '../api.js';
import { add, breakable, h, notice, replace } from '../dom.js';
import { secretPanel } from './secret.js';
import { deliveryLine, enabledBadge, eventChips } from './outcome.js';
import { runTest } from './test-event.js';

const PAGE_SIZE = 20;

export async function renderList(view, { query }, ctx) {
  const pageNumber = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  const content = h('div', { class: 'list-content', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading webhooks…'));
  add(view, 
    h('div', { class: 'title-row' },
      h('h1', { tabindex: '-1' }, 'Webhooks'),
      h('button', { type: 'button', class: 'button primary', onclick: () => ctx.navigate('#/webhooks/new') }, 'Add Webhook')),
    h('p', { class: 'lead' }, 'A webhook sends the events it subscribes to as signed POST requests to its URI, as they happen. Click an entry to see its deliveries, edit or delete it.'),
    flashNotice(ctx.takeFlash()),
    content);
  document.title = 'Webhooks · Webhooks.Orleans';

  let page;
  try {
    page = await api.listWebhooks(pageNumber, PAGE_SIZE);
  } catch (error) {
    replace(content, notice('error', `The webhooks could not be loaded: ${error.message}`));
    content.removeAttribute('aria-busy');
    return;
  }

  const pages = Math.max(1, Math.ceil(page.elementsTotal / PAGE_SIZE));
  if (page.items.length === 0 && pageNumber > pages) {
    ctx.navigate(`#/webhooks?page=${pages}`);
    return;
  }

  content.removeAttribute('aria-busy');
  if (page.items.length === 0) {
    replace(content, h('div', { class: 'empty card' },
      h('p', {}, 'No webhooks yet.'),
      h('p', { class: 'muted' }, 'Click Add Webhook, enter the URI of your handler, select its events, then Save Events and Save.')));
    return;
  }

  replace(content,
    h('div', { class: 'webhook-head', 'aria-hidden': 'true' },
      h('span', {}, 'URI'), h('span', {}, 'State'), h('span', {}, 'Last delivery'), h('span', {}, 'Events'), h('span', {})),
    h('ul', { class: 'webhook-list', 'aria-label': 'Webhooks' }, page.items.map((listener) => row(listener, ctx))),
    pager(pageNumber, pages, page.elementsTotal, ctx));
}

function row(listener, ctx) {
  const last = h('span', { class: 'muted' }, 'Loading…');
  const outcome = h('div', { class: 'row-outcome' });
  const test = h('button', {
    type: 'button',
    class: 'button small',
    'aria-label': `Test ${listener.uri}`,
    onclick: async () => {
      const delivery = await runTest(listener, outcome, ctx.signal, test);
      if (delivery) {
        replace(last, deliveryLine(delivery));
      }
    },
  }, 'Test');
  showLastDelivery(listener.id, last);

  return h('li', { class: 'webhook-row' },
    h('div', { class: 'cell uri' },
      h('a', { class: 'entry-link', href: `#/webhooks/${listener.id}` }, breakable(listener.uri)),
      h('span', { class: 'muted id' }, listener.id),
      listener.description ? h('span', { class: 'description' }, listener.description) : null),
    h('div', { class: 'cell' }, h('span', { class: 'cell-label' }, 'State: '), enabledBadge(listener.enabled)),
    h('div', { class: 'cell' }, h('span', { class: 'cell-label' }, 'Last delivery: '), last),
    h('div', { class: 'cell events' }, h('span', { class: 'cell-label' }, 'Events: '), eventChips(listener.subscriptions, 4)),
    h('div', { class: 'cell test-cell' }, test),
    outcome);
}

async function showLastDelivery(id, into) {
  try {
    const deliveries = await api.listDeliveries(id, { pageSize: 1 });
    replace(into, deliveries.items.length > 0 ? deliveryLine(deliveries.items[0]) : h('span', { class: 'muted' }, 'No deliveries yet'));
  } catch {
    replace(into, h('span', { class: 'muted' }, 'Unavailable'));
  }
}

function pager(pageNumber, pages, total, ctx) {
  const go = (to) => () => ctx.navigate(`#/webhooks?page=${to}`);
  return h('nav', { class: 'pager', 'aria-label': 'Pages of webhooks' },
    h('button', { type: 'button', class: 'button small', disabled: pageNumber <= 1, onclick: go(pageNumber - 1) }, 'Previous page'),
    h('span', { class: 'muted' }, `Page ${pageNumber} of ${pages} · ${total} webhook${total === 1 ? '' : 's'}`),
    h('button', { type: 'button', class: 'button small', disabled: pageNumber >= pages, onclick: go(pageNumber + 1) }, 'Next page'));
}

/** What a previous screen left to say: a message, and once, a new listener's secret. */
export function flashNotice(flash) {
  if (!flash) {
    return null;
  }

  return notice(flash.kind, h('p', {}, flash.message), flash.secret ? secretPanel({ heading: 'Signing secret of the new webhook', secret: flash.secret }) : null);
}
