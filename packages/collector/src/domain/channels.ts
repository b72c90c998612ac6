/** The channels a profile can be messaged on (SPEC §4). */
export const CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'webpush'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The address kind each channel sends to, which is also the address its
 * opt-outs are kept against. Push channels use device tokens, which no
 * profile holds yet.
 */
export const ADDRESS_OF: Record<Channel, 'email' | 'phone' | undefined> = {
  email: 'email',
  sms: 'phone',
  whatsapp: 'phone',
  push: undefined,
  webpush: undefined,
};
