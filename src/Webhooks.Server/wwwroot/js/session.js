// The signed-in tenant key lives in sessionStorage: it is gone when the tab closes.

const STORAGE_KEY = 'webhooks.apiKey';
const TENANT_KEY = /^wk\.(t_[A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const session = {
  get key() {
    return sessionStorage.getItem(STORAGE_KEY);
  },

  /** The tenant id a key names: wk.<tenant id>.<key id>.<secret>. */
  get tenantId() {
    return TENANT_KEY.exec(this.key ?? '')?.[1] ?? null;
  },

  signIn(key) {
    sessionStorage.setItem(STORAGE_KEY, key);
  },

  signOut() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};

/** True when the text has the shape of a tenant API key. */
export const looksLikeTenantKey = (text) => TENANT_KEY.test(text);
