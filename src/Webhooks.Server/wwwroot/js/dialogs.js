// Modal dialogs on the native <dialog>: it traps focus, closes on Escape and restores the page underneath.
import { add, h, uid } from './dom.js';

/**
 * Opens a modal and resolves with the value passed to `close` (null on Escape).
 * `content(close)` and `buttons(close)` build its body and its action buttons.
 */
export function modal({ title, description, content, buttons, className = '', returnFocus }) {
  const titleId = uid('dialog-title');
  const descriptionId = description ? uid('dialog-description') : undefined;
  const openedFrom = document.activeElement;
  const restore = returnFocus ?? openedFrom;
  return new Promise((resolve) => {
    let result = null;
    const dialog = h('dialog', { class: `dialog ${className}`, 'aria-labelledby': titleId, 'aria-describedby': descriptionId });
    const close = (value) => {
      result = value;
      dialog.close();
    };

    dialog.addEventListener('close', () => {
      // This event comes a task after the dialog closed, and the browser has already put focus back where it was
      // when the dialog opened. A keyboard user may have moved on from there since (Tab, then Enter on Save):
      // focus goes to `restore` only if it is still where the dialog left it.
      const active = document.activeElement;
      const untouched = !active || active === document.body || active === openedFrom || dialog.contains(active);
      dialog.remove();
      if (untouched && restore?.isConnected) {
        restore.focus();
      }

      resolve(result);
    });
    add(dialog, 
      h('h2', { id: titleId }, title),
      description ? h('p', { id: descriptionId, class: 'dialog-description' }, description) : null,
      content ? content(close) : null,
      h('div', { class: 'dialog-actions' }, buttons(close)),
    );
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Asks for confirmation; resolves true only when the confirming button was pressed. Focus starts on Cancel. */
export async function confirm({ title, message, confirmLabel, danger = false, returnFocus }) {
  const answer = await modal({
    title,
    description: message,
    returnFocus,
    buttons: (close) => [
      h('button', { type: 'button', class: 'button', onclick: () => close(false) }, 'Cancel'),
      h('button', { type: 'button', class: `button ${danger ? 'danger' : 'primary'}`, onclick: () => close(true) }, confirmLabel),
    ],
  });
  return answer === true;
}
