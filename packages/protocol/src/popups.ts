import * as v from 'valibot';
import { isSafeCtaUrl } from './safe-url.js';

/**
 * Popup rules (SPEC §6): what the admin API stores and what `GET /v1/popups`
 * answers to the SDK. The SDK imports the types only; the collector validates
 * with the schemas, so no valibot code reaches the browser.
 */

export const POPUP_AUDIENCES = ['anonymous', 'identified', 'everyone'] as const;
export const URL_MATCH_KINDS = ['equals', 'contains', 'startsWith', 'glob', 'regex'] as const;
/** Tracked by the SDK, with `properties.popupId` (Object-Action, Title Case). */
export const POPUP_EVENTS = { viewed: 'Popup Viewed', dismissed: 'Popup Dismissed', converted: 'Popup Converted' } as const;

export const MAX_POPUP_TITLE = 200;
export const MAX_POPUP_BODY = 2000;
export const MAX_URL_PATTERN = 500;
/** Priorities are small integers in practice; the bound keeps them inside a 32-bit column on every store. */
export const MAX_POPUP_PRIORITY = 1_000_000;

const text = (max: number) =>
  v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));

/** A regex that compiles; the SDK still guards its own `new RegExp` so a bad stored rule cannot break the page. */
const compiles = (source: string) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

export const UrlMatchSchema = v.pipe(
  v.object({ match: v.picklist(URL_MATCH_KINDS), value: text(MAX_URL_PATTERN) }),
  // Forwarded so the error names `…include.0.value`, the field to fix.
  v.forward(
    v.check((m) => m.match !== 'regex' || compiles(m.value), 'must be a valid regular expression'),
    ['value'],
  ),
);

export const PopupTriggerSchema = v.variant('type', [
  v.object({ type: v.literal('pageView') }),
  v.object({ type: v.literal('event'), event: text(200) }),
  v.object({ type: v.literal('timeOnPage'), seconds: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3600)) }),
  v.object({ type: v.literal('scrollDepth'), percent: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)) }),
  v.object({ type: v.literal('exitIntent') }),
]);

const count = v.pipe(v.number(), v.integer(), v.minValue(1));

export const PopupFrequencySchema = v.object({
  /** Impressions per visitor, ever. */
  maxImpressions: v.optional(count),
  /** Impressions per browser session (sessionStorage lifetime). */
  maxPerSession: v.optional(count),
  minIntervalSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  stopAfterDismiss: v.optional(v.boolean()),
  stopAfterConversion: v.optional(v.boolean()),
});

/** Only http(s) or site-relative links, by the rule the SDK applies before rendering one. */
const SafeUrl = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(2000),
  v.check(isSafeCtaUrl, 'must be an http(s) URL or a path starting with a single /, without control characters'),
);

export const PopupContentSchema = v.object({
  title: text(MAX_POPUP_TITLE),
  body: v.optional(v.pipe(v.string(), v.maxLength(MAX_POPUP_BODY, `must be at most ${MAX_POPUP_BODY} characters`))),
  cta: v.optional(v.object({ label: text(100), url: v.optional(SafeUrl) })),
});

export const PopupFormSchema = v.object({
  /** The one identifier the form asks for. */
  field: v.picklist(['email', 'phone']),
  label: v.optional(text(200)),
  placeholder: v.optional(text(200)),
  submitLabel: v.optional(text(100)),
  consentText: v.optional(v.pipe(v.string(), v.maxLength(MAX_POPUP_BODY))),
  successText: v.optional(v.pipe(v.string(), v.maxLength(MAX_POPUP_BODY))),
});

/** What an admin sends to create or replace a rule (`id` is the collector's). */
export const PopupRuleInputSchema = v.object({
  name: text(200),
  enabled: v.optional(v.boolean(), true),
  /** Higher first when several rules fire on the same trigger; one popup shows at a time. */
  priority: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-MAX_POPUP_PRIORITY), v.maxValue(MAX_POPUP_PRIORITY)), 0),
  /** Who may see it: by status, or the members of a saved segment (`{ segment: id }`). */
  audience: v.union(
    [v.picklist(POPUP_AUDIENCES), v.strictObject({ segment: text(200) })],
    `must be one of ${POPUP_AUDIENCES.join(', ')}, or { segment: id }`,
  ),
  /** Empty `include` means every page; any `exclude` match wins. */
  pages: v.optional(v.object({ include: v.optional(v.array(UrlMatchSchema), []), exclude: v.optional(v.array(UrlMatchSchema), []) }), {
    include: [],
    exclude: [],
  }),
  trigger: PopupTriggerSchema,
  frequency: v.optional(PopupFrequencySchema, {}),
  content: PopupContentSchema,
  form: v.optional(PopupFormSchema),
});

export type UrlMatch = v.InferOutput<typeof UrlMatchSchema>;
export type PopupTrigger = v.InferOutput<typeof PopupTriggerSchema>;
export type PopupFrequency = v.InferOutput<typeof PopupFrequencySchema>;
export type PopupContent = v.InferOutput<typeof PopupContentSchema>;
export type PopupForm = v.InferOutput<typeof PopupFormSchema>;
export type PopupRuleInput = v.InferInput<typeof PopupRuleInputSchema>;
export type PopupAudience = (typeof POPUP_AUDIENCES)[number];
/** A rule's audience: a status audience or a saved segment's members. `GET /v1/popups` answers a segment rule as `everyone` (it is only served to members). */
export type PopupRuleAudience = PopupAudience | { segment: string };

/** A stored rule as the admin API and `GET /v1/popups` answer it. */
export type PopupRule = v.InferOutput<typeof PopupRuleInputSchema> & { id: string; createdAt: string; updatedAt: string };

/** `GET /v1/popups?anonymousId=…` (write key): the enabled rules whose audience fits the visitor, highest priority first. */
export interface PopupsResponse {
  popups: PopupRule[];
}
