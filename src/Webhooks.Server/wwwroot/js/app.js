// The Webhooks page: sign-in, then Account › Webhooks. Hash routes keep every screen linkable and the back button working.
import { h } from './dom.js';
import { session } from './session.js';
import { renderDetail } from './views/detail.js';
import { renderForm } from './views/form.js';
import { renderList } from './views/list.js';
import { renderSignIn } from './views/signin.js';

const ROUTES = [
  [/^#\/webhooks\/?$/, renderList],
  [/^#\/webhooks\/new$/, renderForm],
  [/^#\/webhooks\/(?<id>wh_[A-Za-z0-9_-]+)\/edit$/, renderForm],
  [/^#\/webhooks\/(?<id>wh_[A-Za-z0-9_-]+)$/, renderDetail],
];

const main = document.getElementById('main');
let controller = null;
let flash = null;
let signInMessage = null;
let firstRender = true;

const ctx = {
  navigate(hash) {
    if (location.hash === hash) {
      route();
    } else {
      location.hash = hash;
    }
  },
  flash(message) {
    flash = message;
  },
  takeFlash() {
    const message = flash;
    flash = null;
    return message;
  },
  signal: null,
};

function showChrome(signedIn) {
  document.getElementById('sidebar').hidden = !signedIn;
  document.getElementById('session').hidden = !signedIn;
  document.getElementById('tenant').textContent = signedIn ? `Tenant ${session.tenantId}` : '';
}

async function route() {
  controller?.abort();
  controller = new AbortController();
  ctx.signal = controller.signal;

  // Each screen renders into its own element, so a slow screen that finishes after the next one started writes nowhere.
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  const signedIn = Boolean(session.key);
  showChrome(signedIn);

  if (!signedIn) {
    const message = signInMessage;
    signInMessage = null;
    renderSignIn(view, { message, onSignedIn: () => route() });
  } else {
    const [path, search = ''] = (location.hash || '#/webhooks').split('?');
    const match = ROUTES.map(([pattern, render]) => [pattern.exec(path), render]).find(([m]) => m);
    if (!match) {
      ctx.navigate('#/webhooks');
      return;
    }

    const [found, render] = match;
    await render(view, { id: found.groups?.id, query: new URLSearchParams(search) }, ctx);
  }

  if (!firstRender && view.isConnected) {
    view.querySelector('h1')?.focus();
  }

  firstRender = false;
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  ctx.navigate('#/webhooks');
});

const accountGroup = document.getElementById('nav-account');
accountGroup.addEventListener('click', () => {
  const expanded = accountGroup.getAttribute('aria-expanded') === 'true';
  accountGroup.setAttribute('aria-expanded', String(!expanded));
  document.getElementById('nav-account-items').hidden = expanded;
});

// A key that stops working mid-session (revoked, or the server's data was reset) sends the user back to sign-in.
window.addEventListener('webhooks:unauthorized', () => {
  if (!session.key) {
    return;
  }

  session.signOut();
  signInMessage = 'Your API key is no longer accepted. Sign in again.';
  route();
});

window.addEventListener('hashchange', () => route());
route();
