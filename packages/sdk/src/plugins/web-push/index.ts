// @threadline/sdk/web-push: web push subscriptions registered as devices (SPEC §9), an opt-in entry the core never imports.
export { webPush } from './web-push.js';
export type { PushSubscriptionLike, WebPush, WebPushOptions } from './web-push.js';
