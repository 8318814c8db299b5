// Sign-in: paste a tenant API key; it is checked against the API before it is kept for this tab.
import { api } from '../api.js';
import { add, h, notice } from '../dom.js';
import { looksLikeTenantKey, session } from '../session.js';

export function renderSignIn(view, { message, onSignedIn }) {
  const error = h('p', { id: 'key-error', class: 'field-error', hidden: true });
  const key = h('input', {
    id: 'api-key',
    name: 'apiKey',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'key-hint key-error',
  });
  const show = h('input', { type: 'checkbox', onchange: () => { key.type = show.checked ? 'text' : 'password'; } });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');

  const fail = (text) => {
    error.textContent = text;
    error.hidden = false;
    key.setAttribute('aria-invalid', 'true');
    key.focus();
  };

  const signIn = async (event) => {
    event.preventDefault();
    const value = key.value.trim();
    error.hidden = true;
    key.removeAttribute('aria-invalid');
    if (!value) {
      fail('Paste your tenant API key.');
      return;
    }

    if (!looksLikeTenantKey(value)) {
      fail('This is not a tenant API key. A tenant key starts with wk.t_ and has four parts separated by dots: check that you copied all of it.');
      return;
    }

    submit.disabled = true;
    try {
      await api.listWebhooks(1, 1, value);
      session.signIn(value);
      onSignedIn();
    } catch (problem) {
      fail(problem.status === 401
        ? 'This API key was not accepted. Check that you pasted the whole key and that it has not been revoked.'
        : `Could not sign in: ${problem.message}`);
    } finally {
      submit.disabled = false;
    }
  };

  add(view, h('section', { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', tabindex: '-1' }, 'Sign in'),
    message ? notice('warning', message) : null,
    h('form', { novalidate: true, onsubmit: signIn },
      h('div', { class: 'field' },
        h('label', { for: 'api-key' }, 'Tenant API key'),
        h('p', { id: 'key-hint', class: 'hint' }, 'Paste the key the platform gave your tenant. It starts with wk.t_ and was shown once, when the tenant was created.'),
        key,
        error,
        h('label', { class: 'check' }, show, 'Show key')),
      h('div', { class: 'actions' }, submit)),
    h('p', { class: 'hint' }, 'The key stays in this browser tab only (sessionStorage) and is sent to this server as the Bearer token.')));
  document.title = 'Sign in · Webhooks.Orleans';
}
