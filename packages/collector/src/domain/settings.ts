import { isSupportedCountry } from 'libphonenumber-js/max';
import * as v from 'valibot';
import { blockListEntryProblem } from './block-list.js';

export const PRIMARY_KEYS = ['email', 'phone', 'userId'] as const;
export type PrimaryKey = (typeof PRIMARY_KEYS)[number];

/**
 * Workspace settings (SPEC §1, §2, §9).
 * traitConflictPolicy decides which value a merge keeps for a trait both
 * profiles hold: `survivor` (SPEC default) or `newest` (the most recently
 * updated profile's); the losing value always goes to the contact log.
 */
export const SettingsSchema = v.object({
  primaryKey: v.picklist(PRIMARY_KEYS),
  defaultCountry: v.pipe(
    v.string(),
    v.check(
      (c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c),
      'must be an ISO 3166-1 alpha-2 country code with a phone numbering plan, such as "US"',
    ),
  ),
  blockList: v.pipe(
    v.array(
      v.pipe(
        v.string(),
        v.maxLength(320),
        v.rawCheck(({ dataset, addIssue }) => {
          const problem = dataset.typed ? blockListEntryProblem(dataset.value) : undefined;
          if (problem) addIssue({ message: problem });
        }),
      ),
    ),
    v.maxLength(10_000),
  ),
  traitConflictPolicy: v.picklist(['survivor', 'newest']),
  hardBounceThreshold: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
  verifiedLinksOnly: v.boolean(),
});

export type Settings = v.InferOutput<typeof SettingsSchema>;

export const SettingsPatchSchema = v.partial(SettingsSchema);

/** Values seen on real forms that many people share; they must never join two people. */
export const DEFAULT_BLOCK_LIST = [
  'test@test.com',
  'noemail@example.com',
  'no@email.com',
  'none@none.com',
  'email@example.com',
  '0000000000',
  '1111111111',
  '1234567890',
  '9999999999',
];

export const DEFAULT_SETTINGS: Settings = {
  primaryKey: 'email',
  defaultCountry: 'US',
  blockList: DEFAULT_BLOCK_LIST,
  traitConflictPolicy: 'survivor',
  hardBounceThreshold: 3,
  verifiedLinksOnly: false,
};
