import { ADDRESS_OF, CHANNELS, DEVICE_PLATFORMS, type Channel } from '../channels.js';

/** What decides a profile's reachability: its status, current addresses, devices and the suppressions on them. */
export interface ReachInput {
  status: string;
  /** Current (not replaced) email and phone. */
  addresses: { email?: string; phone?: string };
  devices: Array<{ token: string; platform: string; enabled: boolean }>;
  /** `channel:address` of every suppression on the profile's addresses. */
  suppressed: ReadonlySet<string>;
}

/**
 * Per channel, whether the profile can be messaged there (SPEC §4): a
 * contact (identified or addressable) with an address for the channel that
 * is not suppressed on it; for push, an enabled device of the channel's
 * platforms whose token is not suppressed. The same rule as
 * repos/reachability.ts counts in SQL.
 *
 * @example
 * reachableOn({ status: 'addressable', addresses: { phone: '+1…' }, devices: [], suppressed: new Set(['sms:+1…']) }) // → { sms: false, whatsapp: true, … }
 */
export function reachableOn(p: ReachInput): Record<Channel, boolean> {
  const contact = p.status === 'identified' || p.status === 'addressable';
  const out = {} as Record<Channel, boolean>;
  for (const c of CHANNELS) {
    const kind = ADDRESS_OF[c];
    if (kind) {
      const address = p.addresses[kind];
      out[c] = contact && address !== undefined && !p.suppressed.has(`${c}:${address}`);
    } else {
      const platforms = DEVICE_PLATFORMS[c as 'push' | 'webpush'];
      out[c] = contact && p.devices.some((d) => d.enabled && platforms.includes(d.platform) && !p.suppressed.has(`${c}:${d.token}`));
    }
  }
  return out;
}
