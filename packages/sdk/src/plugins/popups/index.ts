// `@threadline/sdk/popups`: the popups plugin, a separate entry so apps without popups ship none of it.
export { popups, type PopupsOptions } from './popups.js';
export type { GetJson } from './fetch-rules.js';
export type { SessionLike } from './counters-store.js';
