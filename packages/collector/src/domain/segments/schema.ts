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
  within: v.optional(
    v.strictObject({
      days: v.pipe(
        v.number(),
        v.integer('must be a whole number of days'),
        v.minValue(1, 'must be at least 1'),
        v.maxValue(3650, 'must be at most 3650'),
      ),
    }),
  ),
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
