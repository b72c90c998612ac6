import { ADDRESS_OF, CHANNELS, type Channel } from '../channels.js';
import type { Plan } from '../segments/plan.js';
import type { TriggerChannel } from './parse-trigger.js';

const on = (c: Channel): Plan | undefined => {
  const address = ADDRESS_OF[c];
  if (!address) return undefined;
  return {
    kind: 'all',
    of: [
      { kind: 'has', identifier: address },
      { kind: 'suppressed', channel: c, address, is: false },
    ],
  };
};

/**
 * "Reachable on the channel" as a segment plan (SPEC §4): holds the
 * channel's address and that address is not suppressed there; `any` is any
 * channel. Push channels need device tokens, which no profile holds here, so
 * they reach no one (undefined).
 *
 * @example
 * reachablePlan('email'); // all: [has email, not suppressed on email]
 */
export function reachablePlan(channel: TriggerChannel): Plan | undefined {
  const plans = (channel === 'any' ? [...CHANNELS] : [channel]).flatMap((c) => on(c) ?? []);
  if (!plans.length) return undefined;
  return plans.length === 1 ? plans[0] : { kind: 'any', of: plans };
}
