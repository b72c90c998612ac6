/**
 * A VAPID public key as PushManager wants it: the base64url text (RFC 7515
 * §2, no padding) that push libraries print, decoded to bytes.
 * @example applicationServerKey(process.env.VAPID_PUBLIC_KEY) // Uint8Array(65)
 */
export function applicationServerKey(base64url: string): Uint8Array {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}
