// The SPA example's entry: one client for the app's lifetime, a page() per
// route change, and identify() when the visitor gives an email address.
import { createClient } from '@threadline/sdk';
import { readConfig } from './config.js';
import { startRouter } from './router.js';
import { render } from './views.js';

const config = readConfig(document);
const tl = config ? createClient(config) : undefined;
const app = document.getElementById('app')!;
const status = document.getElementById('status')!;
if (!tl) status.textContent = 'Tracking is off: open this page through a server that fills in the collector (see README.md).';

startRouter(window, (url) => {
  const view = render(app, url);
  document.title = view.title;
  // After the URL and title changed, so the page view records the new ones.
  tl?.page(view.name);
  if (view.product) tl?.track('Product Viewed', { ...view.product, currency: 'USD' });
});

const form = document.getElementById('signup') as HTMLFormElement;
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
  if (!email) return;
  // Traits only: an email is never sent as the userId (SPEC §8).
  tl?.identify({ email });
  status.textContent = `Thanks, ${email} is subscribed.`;
  form.reset();
});
