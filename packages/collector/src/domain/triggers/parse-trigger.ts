import * as v from 'valibot';
import { CHANNELS } from '../channels.js';
import { invalid, invalidFromIssues } from '../errors.js';
import { isJsonObject } from '../json-object.js';
import { parseDefinition } from '../segments/parse.js';
import { WithinSchema, type Within } from '../segments/schema.js';
import type { Condition } from '../segments/schema.js';

export const TRIGGER_CHANNELS = [...CHANNELS, 'any'] as const;
export type TriggerChannel = (typeof TRIGGER_CHANNELS)[number];

export interface TriggerInput {
  name: string;
  condition: Condition;
  channel: TriggerChannel;
  waitFor: Within;
  enabled: boolean;
}

const FIELDS = ['name', 'condition', 'channel', 'waitFor', 'enabled'] as const;
const Name = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(200, 'must be at most 200 characters'),
);
const Channel = v.picklist(TRIGGER_CHANNELS, `must be one of ${TRIGGER_CHANNELS.join(', ')}`);
const Enabled = v.boolean('must be true or false');

function field<T>(schema: v.GenericSchema<unknown, T>, raw: unknown, at: string): T {
  const parsed = v.safeParse(schema, raw);
  if (!parsed.success) throw invalidFromIssues(parsed.issues.map((i) => ({ ...i, path: [{ key: at }, ...(i.path ?? [])] })) as never, at);
  return parsed.output;
}

/**
 * Checks a trigger (SPEC §9) whole (`partial` false: name, condition, channel
 * and waitFor required) or as a PATCH; every error names its field.
 *
 * @example
 * parseTrigger({ name: 'Cart', condition: { event: 'Product Added', within: { hours: 4 } }, channel: 'email', waitFor: { hours: 72 } }, false);
 */
export function parseTrigger(body: unknown, partial: boolean): Partial<TriggerInput> {
  if (!isJsonObject(body)) throw invalid('body', 'must be a JSON object with name, condition, channel and waitFor');
  const unknown = Object.keys(body).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown) throw invalid(unknown, `is not a field of a trigger (${FIELDS.join(', ')})`);
  if (!partial) for (const f of FIELDS.slice(0, 4)) if (body[f] === undefined) throw invalid(f, 'is required');
  const out: Partial<TriggerInput> = {};
  if (body.name !== undefined) out.name = field(Name, body.name, 'name');
  if (body.condition !== undefined) out.condition = parseDefinition(body.condition, 'condition');
  if (body.channel !== undefined) out.channel = field(Channel, body.channel, 'channel');
  if (body.waitFor !== undefined) out.waitFor = field(WithinSchema, body.waitFor, 'waitFor');
  if (body.enabled !== undefined) out.enabled = field(Enabled, body.enabled, 'enabled');
  else if (!partial) out.enabled = true;
  return out;
}
