// "Select events": the catalog grouped by type, with descriptions (and, where the deployment gives them, each type's
// example payload and schema) and "All events"; "Save Events" returns the choice.
import { api } from '../api.js';
import { modal } from '../dialogs.js';
import { h, typeLabel, uid } from '../dom.js';

const ALL = '*';

function groupByType(eventTypes, selected) {
  const groups = new Map();
  for (const eventType of eventTypes) {
    groups.set(eventType.type, [...(groups.get(eventType.type) ?? []), eventType]);
  }

  // Codes subscribed earlier that the catalog no longer lists stay visible, so saving never drops them silently.
  const known = new Set(eventTypes.map((e) => e.code));
  const unknown = selected.filter((code) => code !== ALL && !known.has(code));
  if (unknown.length > 0) {
    groups.set('notInCatalog', unknown.map((code) => ({ code, type: 'notInCatalog', description: 'Not in the event catalog.' })));
  }

  return groups;
}

/** A JSON value, laid out; focusable, so a long one scrolls from the keyboard too. */
const json = (value) => h('pre', { class: 'json', tabindex: '0' }, JSON.stringify(value, null, 2));

/** The example payload and the schema of a type that has them, folded away (a native details element: Enter or Space opens it). */
function payloadDetails(eventType) {
  const hasSchema = eventType.schema !== undefined && eventType.schema !== null;
  const hasExample = eventType.example !== undefined && eventType.example !== null;
  if (!hasSchema && !hasExample) {
    return null;
  }

  const label = hasExample && hasSchema ? 'Example payload and schema' : hasExample ? 'Example payload' : 'Payload schema';
  return h('details', { class: 'event-payload' },
    h('summary', { 'aria-label': `${label} of ${eventType.code}` }, label),
    hasExample ? [h('p', { class: 'json-label' }, 'Example'), json(eventType.example)] : null,
    hasSchema ? [h('p', { class: 'json-label' }, 'JSON Schema'), json(eventType.schema)] : null);
}

/** Resolves with the chosen codes (["*"] for all events), or null when cancelled. */
export async function pickEvents(selected, returnFocus) {
  const eventTypes = await api.eventTypes();
  const groups = groupByType(eventTypes, selected);
  const allDescription = uid('all-events-description');
  const all = h('input', { type: 'checkbox', checked: selected.includes(ALL), 'aria-describedby': allDescription });
  const count = h('p', { class: 'picker-count', role: 'status' });
  const boxes = [];
  const groupBoxes = [];

  const sync = () => {
    for (const { box, members } of groupBoxes) {
      const checked = members.filter((m) => m.checked).length;
      box.checked = all.checked || checked === members.length;
      box.indeterminate = !all.checked && checked > 0 && checked < members.length;
      box.disabled = all.checked;
    }

    for (const box of boxes) {
      box.disabled = all.checked;
    }

    const chosen = boxes.filter((b) => b.checked).length;
    count.textContent = all.checked ? 'All events selected.' : `${chosen} of ${boxes.length} events selected.`;
  };

  const sections = [...groups].map(([type, members]) => {
    const memberBoxes = members.map((eventType) => {
      const descriptionId = uid('event-description');
      const box = h('input', { type: 'checkbox', value: eventType.code, checked: selected.includes(eventType.code), 'aria-describedby': descriptionId, onchange: sync });
      boxes.push(box);
      return h('li', { class: 'event-option' },
        h('label', { class: 'check' }, box, h('code', {}, eventType.code)),
        h('span', { id: descriptionId, class: 'event-description' }, eventType.description),
        payloadDetails(eventType));
    });
    const label = type === 'notInCatalog' ? 'Not in the catalog' : typeLabel(type);
    const groupBox = h('input', {
      type: 'checkbox',
      'aria-label': `All ${label.toLowerCase()} events`,
      onchange: () => {
        memberBoxes.forEach((item) => { item.querySelector('input').checked = groupBox.checked; });
        sync();
      },
    });
    groupBoxes.push({ box: groupBox, members: memberBoxes.map((item) => item.querySelector('input')) });
    return h('fieldset', { class: 'event-group' },
      h('legend', {}, h('label', { class: 'check group-check' }, groupBox, h('span', {}, label))),
      h('ul', { class: 'event-options' }, memberBoxes));
  });

  all.addEventListener('change', sync);
  sync();

  return modal({
    title: 'Select events',
    description: 'Choose the events this webhook handles. Each one is sent to its URI as a signed POST.',
    className: 'wide',
    returnFocus,
    content: () => h('div', { class: 'picker' },
      h('div', { class: 'all-events' },
        h('label', { class: 'check' }, all, h('strong', {}, 'All events')),
        h('span', { id: allDescription, class: 'event-description' }, 'Every event in the catalog, including codes added later.')),
      h('div', { class: 'event-groups' }, sections),
      count),
    buttons: (close) => [
      h('button', { type: 'button', class: 'button', onclick: () => close(null) }, 'Cancel'),
      h('button', {
        type: 'button',
        class: 'button primary',
        onclick: () => close(all.checked ? [ALL] : boxes.filter((b) => b.checked).map((b) => b.value)),
      }, 'Save Events'),
    ],
  });
}
