// A tiny element builder: every piece of data reaches the page as text, never as markup.

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'indeterminate', 'open', 'readOnly']);

/** h('button', {type: 'button', onclick: fn}, 'Save') creates the element with its attributes, listeners and children. */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null) {
      continue;
    }

    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (PROPERTIES.has(name)) {
      element[name] = value;
    } else if (value !== false) {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }

  append(element, children);
  return element;
}

/** Appends children, skipping null, undefined and false (which the DOM's own append would print). */
export function add(element, ...children) {
  append(element, children);
  return element;
}

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

/** A URI that wraps after its slashes, question mark and ampersands rather than mid-word. */
export function breakable(uri) {
  return uri.split(/(?<=[/?&])/).flatMap((part, i) => (i === 0 ? [part] : [document.createElement('wbr'), part]));
}

let counter = 0;

/** A document-unique id for label and description references. */
export const uid = (prefix) => `${prefix}-${++counter}`;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A <time> element showing an ISO timestamp in the reader's locale. */
export const time = (iso) => (iso ? h('time', { datetime: iso }, dateTime.format(new Date(iso))) : '');

/** "customer", "entitlementGroup" → "Customer", "Entitlement group". */
export function typeLabel(type) {
  const words = type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A status message box; `kind` is info, success, warning or error. */
export function notice(kind, ...children) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}
