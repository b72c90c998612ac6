export * from './limits.js';
export * from './ecommerce.js';
export { isIsoDate } from './iso-date.js';
export { isSafeCtaUrl } from './safe-url.js';
export type * from './message.js';
export {
  MessageSchema,
  TrackMessageSchema,
  PageMessageSchema,
  ScreenMessageSchema,
  IdentifyMessageSchema,
  GroupMessageSchema,
  AliasMessageSchema,
  parseMessage,
} from './schemas.js';
export type { ParsedMessage, ParseResult } from './schemas.js';
export {
  POPUP_AUDIENCES,
  URL_MATCH_KINDS,
  POPUP_EVENTS,
  MAX_POPUP_TITLE,
  MAX_POPUP_BODY,
  MAX_URL_PATTERN,
  MAX_POPUP_PRIORITY,
  UrlMatchSchema,
  PopupTriggerSchema,
  PopupFrequencySchema,
  PopupContentSchema,
  PopupFormSchema,
  PopupRuleInputSchema,
} from './popups.js';
export type {
  UrlMatch,
  PopupTrigger,
  PopupFrequency,
  PopupContent,
  PopupForm,
  PopupRuleInput,
  PopupAudience,
  PopupRuleAudience,
  PopupRule,
  PopupsResponse,
} from './popups.js';
