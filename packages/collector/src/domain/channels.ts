/** The channels a profile can be messaged on (SPEC §4). */
export const CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'webpush'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The identifier kind each channel sends to, which is also the address its
 * opt-outs are kept against. Push channels send to device tokens, which hang
 * on devices rather than identifiers (see DEVICE_PLATFORMS).
 */
export const ADDRESS_OF: Record<Channel, 'email' | 'phone' | undefined> = {
  email: 'email',
  sms: 'phone',
  whatsapp: 'phone',
  push: undefined,
  webpush: undefined,
};

/** The device platforms each push channel sends to: app tokens for push, browser subscriptions for web push. */
export const DEVICE_PLATFORMS: Record<'push' | 'webpush', readonly string[]> = {
  push: ['ios', 'android'],
  webpush: ['web'],
};

/** The push channel a device platform belongs to. */
export const channelOfPlatform = (platform: string): 'push' | 'webpush' => (platform === 'web' ? 'webpush' : 'push');
