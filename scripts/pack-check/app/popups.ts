// Compiled strictly by scripts/pack-check.mjs against the packed @threadline/sdk/popups.
import { createClient, type Plugin } from '@threadline/sdk';
import { type PopupsOptions, popups } from '@threadline/sdk/popups';

const options: PopupsOptions = { now: () => Date.now() };
const plugin: Plugin = popups(options);
const client = createClient({ writeKey: 'wk_pack_check', host: 'https://collect.example.com', plugins: [plugin] });

// @ts-expect-error the clock answers a number
popups({ now: () => 'soon' });

export { client };
