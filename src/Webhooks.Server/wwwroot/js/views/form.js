// Add Webhook and edit: URI → Select events → Save Events → (optional rate limit, delivery order, own headers, signatures) → Save. Edit also has the three-dots menu with "Delete webhook".
import { api } from '../api.js';
import { confirm } from '../dialogs.js';
import { add, h, notice, replace } from '../dom.js';
import { actionsMenu } from '../menu.js';
import { pickEvents } from './events-picker.js';
import { ORDERING_NAMES, SIGNATURE_NAMES, eventChips } from './outcome.js';

const FIELDS = ['uri', 'description', 'subscriptions', 'maxDeliveriesPerSecond', 'ordering', 'headers', 'signatures'];

export async function renderForm(view, { id }, ctx) {
  let listener = null;
  if (id) {
    try {
      listener = await api.getWebhook(id);
    } catch (error) {
      add(view, h('h1', { tabindex: '-1' }, 'Edit webhook'), notice('error', error.status === 404 ? 'This webhook does not exist (it may have been deleted).' : error.message),
        h('p', {}, h('a', { href: '#/webhooks' }, 'Back to webhooks')));
      return;
    }
  }

  let subscriptions = [...(listener?.subscriptions ?? [])];
  const formError = h('div', { class: 'notice error', role: 'alert', hidden: true });
  const errors = Object.fromEntries(FIELDS.map((name) => [name, h('p', { id: `${name}-error`, class: 'field-error', hidden: true })]));
  const uri = h('input', {
    id: 'uri', name: 'uri', type: 'url', inputmode: 'url', autocomplete: 'off', spellcheck: 'false', required: true,
    value: listener?.uri ?? '', placeholder: 'https://example.com/webhooks', 'aria-describedby': 'uri-hint uri-error',
  });
  const description = h('input', { id: 'description', name: 'description', type: 'text', maxlength: '1024', value: listener?.description ?? '', 'aria-describedby': 'description-error' });
  const rate = h('input', {
    id: 'maxDeliveriesPerSecond', name: 'maxDeliveriesPerSecond', type: 'number', inputmode: 'decimal', min: '0.01', max: '10000', step: 'any',
    value: listener?.maxDeliveriesPerSecond ?? '', 'aria-describedby': 'maxDeliveriesPerSecond-hint maxDeliveriesPerSecond-error',
  });
  const currentOrdering = listener?.ordering ?? 'none';
  const ordering = h('select', { id: 'ordering', name: 'ordering', 'aria-describedby': 'ordering-hint ordering-error' },
    ...Object.entries(ORDERING_NAMES).map(([value, label]) => h('option', { value, selected: value === currentOrdering }, label)));
  // One "Name: value" per line. Values come back masked; a line left as shown keeps the stored value (the API's rule).
  const headers = h('textarea', {
    id: 'headers', name: 'headers', rows: '3', autocomplete: 'off', spellcheck: 'false', class: 'mono',
    placeholder: 'Authorization: Bearer …', 'aria-describedby': 'headers-hint headers-error',
  });
  headers.value = Object.entries(listener?.headers ?? {}).map(([name, value]) => `${name}: ${value}`).join('\n');
  // Both checked for a new webhook (the API's default); an existing one shows what it receives.
  const currentSignatures = listener?.signatures ?? Object.keys(SIGNATURE_NAMES);
  const signatureBoxes = Object.keys(SIGNATURE_NAMES).map((value) => h('input', {
    id: `signature-${value}`, name: 'signatures', type: 'checkbox', value, checked: currentSignatures.includes(value), 'aria-describedby': 'signatures-hint signatures-error',
  }));
  const chosen = h('div', { class: 'chosen-events', id: 'chosen-events' });
  const select = h('button', { type: 'button', class: 'button', 'aria-describedby': 'chosen-events subscriptions-error' }, 'Select events');
  const save = h('button', { type: 'submit', class: 'button primary' }, 'Save');

  const showChosen = () => replace(chosen, subscriptions.length > 0
    ? eventChips(subscriptions)
    : h('p', { class: 'muted' }, 'No events selected yet.'));
  showChosen();

  const clearErrors = () => {
    formError.hidden = true;
    for (const name of FIELDS) {
      errors[name].hidden = true;
    }

    uri.removeAttribute('aria-invalid');
    description.removeAttribute('aria-invalid');
    rate.removeAttribute('aria-invalid');
    ordering.removeAttribute('aria-invalid');
    headers.removeAttribute('aria-invalid');
    signatureBoxes.forEach((box) => box.removeAttribute('aria-invalid'));
  };

  select.addEventListener('click', async () => {
    try {
      const picked = await pickEvents(subscriptions, select);
      if (picked) {
        subscriptions = picked;
        errors.subscriptions.hidden = true;
        showChosen();
      }
    } catch (error) {
      showFormError(`The event catalog could not be loaded: ${error.message}`);
    }
  });

  const showFormError = (message) => {
    replace(formError, message);
    formError.hidden = false;
    formError.focus();
  };

  const submit = async (event) => {
    event.preventDefault();
    clearErrors();
    // An update replaces every field: an empty rate means no limit of the listener's own.
    const own = parseHeaders(headers.value);
    if (own.error) {
      showErrors({ fieldErrors: new Map([['headers', own.error]]) });
      return;
    }

    const signatures = signatureBoxes.filter((box) => box.checked).map((box) => box.value);
    if (signatures.length === 0) {
      showErrors({ fieldErrors: new Map([['signatures', 'Choose at least one signature.']]) });
      return;
    }

    const body = {
      uri: uri.value.trim(), subscriptions, description: description.value.trim() || null,
      maxDeliveriesPerSecond: rate.value.trim() === '' ? null : Number(rate.value),
      ordering: ordering.value,
      headers: own.headers,
      signatures,
    };
    save.disabled = true;
    try {
      if (listener) {
        await api.updateWebhook(listener.id, body);
        ctx.flash({ kind: 'success', message: 'Webhook saved.' });
        ctx.navigate(`#/webhooks/${listener.id}`);
      } else {
        const created = await api.createWebhook(body);
        ctx.flash({ kind: 'success', message: `Webhook added: ${created.uri}`, secret: created.secret });
        ctx.navigate('#/webhooks');
      }
    } catch (error) {
      showErrors(error);
    } finally {
      save.disabled = false;
    }
  };

  // The API's validationErrors go next to the field they name; anything else above the form.
  const showErrors = (error) => {
    const byField = error.fieldErrors ?? new Map();
    // fieldErrors are keyed in lower case (api.js), whatever the casing of the property's name.
    const unplaced = [...byField].filter(([key]) => !FIELDS.some((name) => name.toLowerCase() === key)).map(([, message]) => message);
    let first = null;
    for (const name of FIELDS) {
      const key = name.toLowerCase();
      if (byField.has(key)) {
        replace(errors[name], byField.get(key));
        errors[name].hidden = false;
        const input = { uri, description, maxDeliveriesPerSecond: rate, ordering, headers, subscriptions: select, signatures: signatureBoxes[0] }[name];
        if (name === 'signatures') {
          signatureBoxes.forEach((box) => box.setAttribute('aria-invalid', 'true'));
        } else if (input !== select) {
          input.setAttribute('aria-invalid', 'true');
        }

        first ??= input;
      }
    }

    if (unplaced.length > 0 || byField.size === 0) {
      showFormError(byField.size === 0 ? `Not saved: ${error.message}` : unplaced.join(' '));
    } else {
      first?.focus();
    }
  };

  const title = listener ? 'Edit webhook' : 'Add Webhook';
  add(view, 
    listener ? h('p', { class: 'breadcrumb' }, h('a', { href: '#/webhooks' }, 'Webhooks'), ' › ', h('a', { href: `#/webhooks/${listener.id}` }, listener.id), ' › edit') : null,
    h('div', { class: 'title-row' },
      h('h1', { tabindex: '-1' }, title),
      listener ? actionsMenu({ items: [{ label: 'Delete webhook', danger: true, onSelect: (button) => remove(listener, button, ctx, showFormError) }] }) : null),
    h('form', { class: 'card webhook-form', novalidate: true, onsubmit: submit },
      formError,
      h('div', { class: 'field' },
        h('label', { for: 'uri' }, 'URI'),
        h('p', { id: 'uri-hint', class: 'hint' }, 'The address of your webhook handler: an absolute http or https URL that receives each event as a POST.'),
        uri,
        errors.uri),
      h('div', { class: 'field' },
        h('label', { for: 'description' }, 'Description (optional)'),
        description,
        errors.description),
      h('fieldset', { class: 'field' },
        h('legend', {}, 'Events'),
        chosen,
        h('div', {}, select),
        errors.subscriptions),
      h('div', { class: 'field' },
        h('label', { for: 'maxDeliveriesPerSecond' }, 'Max deliveries per second (optional)'),
        h('p', { id: 'maxDeliveriesPerSecond-hint', class: 'hint' }, 'At most this many requests a second to this URL; the others wait, none fails for it. Empty: no limit.'),
        rate,
        errors.maxDeliveriesPerSecond),
      h('div', { class: 'field' },
        h('label', { for: 'ordering' }, 'Delivery order'),
        h('p', { id: 'ordering-hint', class: 'hint' }, 'In order, an event is sent only once the one before it (of the same resource, or of this webhook) succeeded or finally failed; a retry holds back the events behind it.'),
        ordering,
        errors.ordering),
      h('div', { class: 'field' },
        h('label', { for: 'headers' }, 'Request headers (optional)'),
        h('p', { id: 'headers-hint', class: 'hint' }, 'Sent with every request to this URL, one "Name: value" per line (at most 10), for example a token for your gateway. Values are stored encrypted and shown masked; leave a masked value as it is to keep it.'),
        headers,
        errors.headers),
      h('fieldset', { class: 'field' },
        h('legend', {}, 'Signatures'),
        h('p', { id: 'signatures-hint', class: 'hint' }, 'Which signatures every request to this URL carries; your handler verifies one of those it receives. At least one.'),
        ...signatureBoxes.map((box) => h('div', {}, h('label', { class: 'check', for: box.id }, box, SIGNATURE_NAMES[box.value]))),
        errors.signatures),
      h('div', { class: 'actions' },
        save,
        h('a', { class: 'button', href: listener ? `#/webhooks/${listener.id}` : '#/webhooks' }, 'Cancel'))));
  formError.tabIndex = -1;
  document.title = `${title} · Webhooks.Orleans`;
}

/** The textarea's "Name: value" lines as the API's headers object (null for none), or the first line that is not one. */
function parseHeaders(text) {
  const result = {};
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') {
      continue;
    }

    const colon = line.indexOf(':');
    if (colon <= 0) {
      return { error: `Line ${index + 1} is not "Name: value".` };
    }

    result[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }

  return { headers: Object.keys(result).length > 0 ? result : null };
}

async function remove(listener, menuButton, ctx, showError) {
  const confirmed = await confirm({
    title: 'Delete this webhook?',
    message: `${listener.uri} stops receiving events at once, and its delivery log is deleted with it. This cannot be undone.`,
    confirmLabel: 'Delete',
    danger: true,
    returnFocus: menuButton,
  });
  if (!confirmed) {
    return;
  }

  try {
    await api.deleteWebhook(listener.id);
    ctx.flash({ kind: 'success', message: `Webhook deleted: ${listener.uri}` });
    ctx.navigate('#/webhooks');
  } catch (error) {
    showError(`The webhook could not be deleted: ${error.message}`);
  }
}
