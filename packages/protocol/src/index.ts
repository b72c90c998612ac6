export * from './limits.js';
export * from './ecommerce.js';
export { isIsoDate } from './iso-date.js';
export type * from './message.js';
export { MessageSchema, TrackMessageSchema, PageMessageSchema, IdentifyMessageSchema, AliasMessageSchema, parseMessage } from './schemas.js';
export type { ParsedMessage, ParseResult } from './schemas.js';
