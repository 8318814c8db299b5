// The public HTTP API, as the signed-in tenant. Every error becomes an ApiError carrying the problem body.
import { session } from './session.js';

const BASE = '/api/v1/account/webhooks';

/** An error answer of the API: its status and RFC 9457 problem body (with validationErrors). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? {};
  }

  /** validationErrors as a map from property name to message. */
  get fieldErrors() {
    const errors = new Map();
    for (const { propertyName, errorMessage } of this.problem.validationErrors ?? []) {
      errors.set(String(propertyName ?? '').toLowerCase(), errorMessage);
    }

    return errors;
  }
}

/** Sends one request; `key` overrides the session's key (sign-in checks a key before keeping it). */
export async function request(method, path, { body, key = session.key } = {}) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${key}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }

  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, { detail: 'The server could not be reached. Check that it is running, then try again.' });
  }

  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }

  if (!response.ok) {
    const error = new ApiError(response.status, json);
    if (response.status === 401 && key === session.key) {
      window.dispatchEvent(new CustomEvent('webhooks:unauthorized'));
    }

    throw error;
  }

  return json;
}

const page = (pageNumber, pageSize) => `pageNumber=${pageNumber}&pageSize=${pageSize}`;
const one = (id) => `${BASE}/${encodeURIComponent(id)}`;

let catalog = null;

export const api = {
  listWebhooks: (pageNumber = 1, pageSize = 20, key = undefined) => request('GET', `${BASE}?${page(pageNumber, pageSize)}`, { key }),
  getWebhook: (id) => request('GET', one(id)),
  createWebhook: (body) => request('POST', BASE, { body }),
  updateWebhook: (id, body) => request('PUT', one(id), { body }),
  deleteWebhook: (id) => request('DELETE', one(id)),
  /** Sends the test event and waits for its outcome (200), or for as long as the server allows (202: only the event id). */
  testWebhookAndWait: (id) => request('POST', `${one(id)}/test?wait=true`),
  listDeliveries: (id, { pageNumber = 1, pageSize = 20, status = '' } = {}) =>
    request('GET', `${one(id)}/deliveries?${page(pageNumber, pageSize)}${status ? `&status=${encodeURIComponent(status)}` : ''}`),
  redeliver: (id, eventId) => request('POST', `${one(id)}/deliveries/${encodeURIComponent(eventId)}/redeliver`),
  stats: (id) => request('GET', `${one(id)}/stats`),
  rotateSecret: (id) => request('POST', `${one(id)}/secret/rotate`),
  /** Enables a webhook; `replayParked` false skips the events parked while it was disabled (no body: they are delivered). */
  enable: (id, replayParked = undefined) =>
    request('POST', `${one(id)}/enable`, replayParked === undefined ? {} : { body: { replayParked } }),
  disable: (id) => request('POST', `${one(id)}/disable`),

  /** The event catalog, fetched once per page load. */
  async eventTypes() {
    catalog ??= request('GET', `${BASE}/events`).then((list) => list.items).catch((error) => {
      catalog = null;
      throw error;
    });
    return catalog;
  },
};
