import * as v from 'valibot';
import { isIsoDate } from './iso-date.js';
import { MAX_EVENT_NAME_LENGTH, MAX_ID_LENGTH } from './limits.js';

const Id = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`),
);
const IsoDate = v.pipe(v.string(), v.check(isIsoDate, 'must be an ISO 8601 date'));
const Obj = v.record(v.string(), v.unknown());

const base = {
  // Optional as in Segment's HTTP API: the collector makes one when a client sends none.
  messageId: v.optional(Id),
  anonymousId: v.optional(Id),
  userId: v.optional(Id),
  timestamp: v.optional(IsoDate),
  sentAt: v.optional(IsoDate),
  context: v.optional(Obj),
  integrity: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/i, 'must be a hex HMAC-SHA256'))),
};

export const TrackMessageSchema = v.object({
  ...base,
  type: v.literal('track'),
  event: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(MAX_EVENT_NAME_LENGTH)),
  properties: v.optional(Obj),
});

const Name = v.optional(v.pipe(v.string(), v.maxLength(MAX_EVENT_NAME_LENGTH)));

export const PageMessageSchema = v.object({ ...base, type: v.literal('page'), name: Name, category: Name, properties: v.optional(Obj) });

export const ScreenMessageSchema = v.object({
  ...base,
  type: v.literal('screen'),
  name: Name,
  category: Name,
  properties: v.optional(Obj),
});

export const IdentifyMessageSchema = v.object({ ...base, type: v.literal('identify'), traits: v.optional(Obj) });

// Segment's libraries send a numeric groupId as it was given; it is stored as text.
const GroupId = v.pipe(v.union([v.string(), v.pipe(v.number(), v.finite(), v.transform(String))]), Id);

export const GroupMessageSchema = v.object({ ...base, type: v.literal('group'), groupId: GroupId, traits: v.optional(Obj) });

export const AliasMessageSchema = v.object({ ...base, type: v.literal('alias'), userId: Id, previousId: Id });

export const MessageSchema = v.variant('type', [
  TrackMessageSchema,
  PageMessageSchema,
  ScreenMessageSchema,
  IdentifyMessageSchema,
  GroupMessageSchema,
  AliasMessageSchema,
]);

export type ParsedMessage = v.InferOutput<typeof MessageSchema>;

export type ParseResult = { ok: true; message: ParsedMessage } | { ok: false; field: string; reason: string };

const isRecord = (input: unknown): input is Record<string, unknown> => !!input && typeof input === 'object' && !Array.isArray(input);

/** Validates one message; on failure names the first offending field by its dotted path. */
export function parseMessage(input: unknown): ParseResult {
  // Segment's clients send absent fields as null (analytics-next: `"userId": null`); read them as absent.
  const withoutNulls =
    isRecord(input) && Object.values(input).includes(null)
      ? Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null))
      : input;
  const result = v.safeParse(MessageSchema, withoutNulls);
  if (result.success) {
    // Segment requires someone to record the message under; valibot's
    // cross-field checks lose the output type, so it is checked here.
    const m = result.output;
    if (m.anonymousId === undefined && m.userId === undefined)
      return { ok: false, field: 'anonymousId', reason: 'a userId or an anonymousId is required' };
    return { ok: true, message: m };
  }
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  const field = path || (issue.kind === 'schema' && issue.expected?.includes('"track"') ? 'type' : '');
  return { ok: false, field: field || '(message)', reason: issue.message };
}
