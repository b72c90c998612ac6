import * as v from 'valibot';
import { CHANNELS } from '../channels.js';

/** Limits that keep one definition's SQL small: nesting depth of groups and conditions in all. */
export const MAX_DEPTH = 5;
export const MAX_CONDITIONS = 50;

export const STATUSES = ['identified', 'addressable', 'anonymous'] as const;

/**
 * A trait or property name; dots reach into nested objects (`address.city`).
 * Quotes and brackets are refused so a name can never change the JSON path it becomes.
 */
const Name = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(200, 'must be at most 200 characters'),
  v.regex(/^[^."[\]\\]+(\.[^."[\]\\]+)*$/, 'must be a name, or names joined by dots, without quotes or brackets'),
);
const Text = v.pipe(v.string(), v.maxLength(1000, 'must be at most 1000 characters'));
const Scalar = v.union([Text, v.number(), v.boolean()], 'must be a string, number or boolean');

/** The comparisons a trait or an event property can be tested with; `value` is typed by `op`. */
const comparisons = <K extends string>(key: K) => {
  const named = { [key]: Name } as { [P in K]: typeof Name };
  return v.variant(
    'op',
    [
      v.strictObject({ ...named, op: v.picklist(['eq', 'neq']), value: Scalar }),
      v.strictObject({
        ...named,
        op: v.literal('in'),
        value: v.pipe(v.array(Scalar), v.minLength(1, 'must list at least one value'), v.maxLength(100, 'must list at most 100 values')),
      }),
      v.strictObject({ ...named, op: v.literal('contains'), value: v.pipe(Text, v.minLength(1, 'must not be empty')) }),
      v.strictObject({ ...named, op: v.picklist(['exists', 'notExists']) }),
      v.strictObject({
        ...named,
        op: v.picklist(['gt', 'gte', 'lt', 'lte']),
        value: v.union([v.number(), Text], 'must be a number or a string'),
      }),
    ],
    'must be one of eq, neq, in, contains, exists, notExists, gt, gte, lt, lte',
  );
};

export const StatusConditionSchema = v.strictObject({
  status: v.pipe(v.array(v.picklist(STATUSES, `must be one of ${STATUSES.join(', ')}`)), v.minLength(1, 'must list at least one status')),
});
export const HasConditionSchema = v.strictObject({ has: v.picklist(['email', 'phone', 'userId'], 'must be one of email, phone, userId') });
export const TraitConditionSchema = comparisons('trait');
export const SuppressedConditionSchema = v.strictObject({
  suppressed: v.picklist(CHANNELS, `must be one of ${CHANNELS.join(', ')}`),
  is: v.boolean(),
});
export const PropertyFilterSchema = comparisons('property');

/** Window lengths: minutes, hours or days, one unit at a time, up to about ten years. */
export const WINDOW_UNITS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const WINDOW_MAX = { minutes: 5_256_000, hours: 87_600, days: 3650 } as const;
const windowOf = (unit: keyof typeof WINDOW_UNITS) =>
  v.pipe(
    v.number(),
    v.integer(`must be a whole number of ${unit}`),
    v.minValue(1, 'must be at least 1'),
    v.maxValue(WINDOW_MAX[unit], `must be at most ${WINDOW_MAX[unit]}`),
  );

/** `{ minutes: 30 }`, `{ hours: 4 }` or `{ days: 30 }` (SPEC §5): exactly one unit. */
export const WithinSchema = v.pipe(
  v.strictObject({
    minutes: v.optional(windowOf('minutes')),
    hours: v.optional(windowOf('hours')),
    days: v.optional(windowOf('days')),
  }),
  v.check((w) => Object.values(w).filter((n) => n !== undefined).length === 1, 'must give exactly one of minutes, hours or days'),
);
export type Within = v.InferOutput<typeof WithinSchema>;

/** A window's length in milliseconds. */
export const windowMs = (w: Within): number =>
  (w.minutes ?? 0) * WINDOW_UNITS.minutes + (w.hours ?? 0) * WINDOW_UNITS.hours + (w.days ?? 0) * WINDOW_UNITS.days;
export const EventConditionSchema = v.strictObject({
  event: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters')),
  where: v.optional(v.pipe(v.array(PropertyFilterSchema), v.maxLength(20, 'must have at most 20 filters'))),
  atLeast: v.optional(
    v.pipe(
      v.number(),
      v.integer('must be a whole number'),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(1_000_000, 'must be at most 1000000'),
    ),
  ),
  within: v.optional(WithinSchema),
});

export type Status = (typeof STATUSES)[number];
export type StatusCondition = v.InferOutput<typeof StatusConditionSchema>;
export type HasCondition = v.InferOutput<typeof HasConditionSchema>;
export type TraitCondition = v.InferOutput<typeof TraitConditionSchema>;
export type SuppressedCondition = v.InferOutput<typeof SuppressedConditionSchema>;
export type PropertyFilter = v.InferOutput<typeof PropertyFilterSchema>;
export type EventCondition = v.InferOutput<typeof EventConditionSchema>;

/** A segment definition (SPEC §5): groups of profile and behaviour conditions. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | StatusCondition
  | HasCondition
  | TraitCondition
  | SuppressedCondition
  | EventCondition;

/** Which schema checks a leaf, found by the key only that kind of condition has. */
export const LEAF_SCHEMAS = {
  status: StatusConditionSchema,
  has: HasConditionSchema,
  trait: TraitConditionSchema,
  suppressed: SuppressedConditionSchema,
  event: EventConditionSchema,
} as const;
