import type { ServiceContext } from './context.js';
import { createPopup } from './popups.js';

/**
 * The demo store's example popup, made once when `npm start` creates the
 * workspace: on the demo's product pages, after an anonymous visitor adds to
 * cart, it asks for an email to save the cart. Leaving one identifies the
 * visitor, so the console shows stitching within a minute of clicking around.
 * Only /demo/ pages match, so a real site is never shown it.
 *
 * @example
 * if (created) await seedDemoPopup(ctx);
 */
export function seedDemoPopup(ctx: ServiceContext) {
  return createPopup(ctx, {
    name: 'Demo: save your cart',
    audience: 'anonymous',
    pages: { include: [{ match: 'startsWith', value: '/demo/product' }] },
    trigger: { type: 'event', event: 'Product Added' },
    frequency: { maxImpressions: 1, stopAfterDismiss: true, stopAfterConversion: true },
    content: { title: 'Keep your cart for later?', body: 'Leave your email and we will save your picks for you.' },
    form: {
      field: 'email',
      label: 'Your email',
      placeholder: 'you@example.com',
      submitLabel: 'Save my cart',
      consentText: 'Demo store: we only use this to show stitching in the Threadline console.',
      successText: 'Saved! Open “What Threadline saw” below to see your profile.',
    },
  });
}
