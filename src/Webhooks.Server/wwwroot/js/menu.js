// The "three dots" menu button (WAI-ARIA menu button pattern): arrows move, Escape closes, focus returns to the button.
import { h, uid } from './dom.js';

/** items: [{ label, onSelect(button), danger }] */
export function actionsMenu({ label = 'More actions', items }) {
  const menuId = uid('menu');
  const button = h('button', {
    type: 'button',
    class: 'icon-button',
    'aria-label': label,
    title: label,
    'aria-haspopup': 'menu',
    'aria-expanded': 'false',
    'aria-controls': menuId,
  }, h('span', { class: 'dots', 'aria-hidden': 'true' }));
  const entries = items.map((item) => h('button', {
    type: 'button',
    role: 'menuitem',
    tabindex: '-1',
    class: item.danger ? 'menu-item danger-text' : 'menu-item',
    onclick: () => {
      close(false);
      item.onSelect(button);
    },
  }, item.label));
  const menu = h('ul', { id: menuId, role: 'menu', class: 'menu', 'aria-label': label, hidden: true },
    entries.map((entry) => h('li', { role: 'none' }, entry)));
  const wrapper = h('div', { class: 'menu-wrapper' }, button, menu);

  const outside = (event) => {
    if (!wrapper.contains(event.target)) {
      close(false);
    }
  };

  function open(index = 0) {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    entries.at(index).focus();
    document.addEventListener('pointerdown', outside, true);
  }

  function close(focusButton) {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    if (focusButton) {
      button.focus();
    }
  }

  button.addEventListener('click', () => (menu.hidden ? open() : close(true)));
  button.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      open(event.key === 'ArrowUp' ? -1 : 0);
    }
  });
  menu.addEventListener('keydown', (event) => {
    const at = entries.indexOf(document.activeElement);
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: entries.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      entries.at(moves[event.key] % entries.length).focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  });
  return wrapper;
}
