// Compiled strictly by scripts/pack-check.mjs against the packed @threadline/sdk.
import { type Client, type ClientOptions, createClient, snippet } from '@threadline/sdk';

const options: ClientOptions = { writeKey: 'wk_pack_check', host: 'https://collect.example.com' };
const client: Client = createClient(options);
client.track('Product Viewed', { product_id: 'sku-1', price: 49 });
client.identify('CUST-1', { email: 'ana@example.com' });
const flushed: Promise<boolean> = client.flush();
const html: string = `<script>${snippet({ ...options, forms: true, popups: true })}</script>`;

// Each line below must be a type error: were the declarations unresolved (`any`), these would be unused and fail.
// @ts-expect-error the write key is required
createClient({ host: 'https://collect.example.com' });
// @ts-expect-error an event name is a string
client.track(42);
// @ts-expect-error flush answers a promise, not a boolean
const notPromise: boolean = client.flush();

export { flushed, html, notPromise };
