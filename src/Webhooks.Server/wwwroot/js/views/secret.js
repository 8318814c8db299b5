// A signing secret shown once, with a copy button.
import { h, uid } from '../dom.js';

export function secretPanel({ heading, secret }) {
  const headingId = uid('secret-heading');
  const status = h('p', { class: 'copy-status', role: 'status' });
  const field = h('input', { type: 'text', class: 'mono secret-value', value: secret, readOnly: true, 'aria-labelledby': headingId, spellcheck: 'false' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      status.textContent = 'Copied to the clipboard.';
    } catch {
      field.select();
      status.textContent = document.execCommand('copy')
        ? 'Copied to the clipboard.'
        : 'The secret is selected: copy it with Ctrl+C (⌘C on a Mac).';
    }
  };

  return h('div', { class: 'secret-panel', role: 'group', 'aria-labelledby': headingId },
    h('p', { id: headingId, class: 'secret-heading' }, heading),
    h('p', { class: 'hint' }, 'It is shown only now: copy it into your listener, which verifies the webhook-signature header with it.'),
    h('div', { class: 'secret-row' }, field, h('button', { type: 'button', class: 'button', onclick: copy }, 'Copy secret')),
    status);
}
