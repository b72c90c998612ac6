/** Fixed ports and keys the e2e collector and fixture server run with (see playwright.config.ts). */
export const COLLECTOR_PORT = Number(process.env.E2E_COLLECTOR_PORT ?? 8788);
export const FIXTURES_PORT = Number(process.env.E2E_FIXTURES_PORT ?? 8790);
export const COLLECTOR = `http://127.0.0.1:${COLLECTOR_PORT}`;
/** Another origin than the collector's, as a real storefront is. */
export const STOREFRONT = `http://localhost:${FIXTURES_PORT}`;
export const WRITE_KEY = 'wk_e2e_write_key_0001';
export const SECRET_KEY = 'sk_e2e_secret_key_0001';
