import { ADDRESS_OF, CHANNELS, type Channel } from '../channels.js';
import type { Plan } from '../segments/plan.js';
import type { TriggerChannel } from './parse-trigger.js';

const on = (c: Channel): Plan => {
  const address = ADDRESS_OF[c];
  if (!address) return { kind: 'pushable', channel: c as 'push' | 'webpush' };
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
 * channel. Push and web push need an enabled device token that is not
 * suppressed there (`pushable`).
 *
 * @example
 * reachablePlan('email'); // all: [has email, not suppressed on email]
 */
export function reachablePlan(channel: TriggerChannel): Plan {
  const plans = (channel === 'any' ? [...CHANNELS] : [channel]).map(on);
  return plans.length === 1 ? plans[0]! : { kind: 'any', of: plans };
}
