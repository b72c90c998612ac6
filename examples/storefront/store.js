// The demo storefront's own code: renders products and calls the Threadline
// global the snippet defined. No inline handlers, so a strict CSP works.
const PRODUCTS = [
  { product_id: 'sku-101', sku: 'sku-101', name: 'Linen Shirt', price: 49, category: 'Shirts', color: '#93c5fd', shape: 'shirt' },
  { product_id: 'sku-102', sku: 'sku-102', name: 'Canvas Tote', price: 25, category: 'Bags', color: '#fcd34d', shape: 'tote' },
  { product_id: 'sku-103', sku: 'sku-103', name: 'Wool Beanie', price: 19, category: 'Hats', color: '#fca5a5', shape: 'beanie' },
];
// One path per product picture, drawn on a 120×120 canvas.
const SHAPES = {
  shirt: 'M40 20 L25 30 L15 50 L30 56 L32 100 L88 100 L90 56 L105 50 L95 30 L80 20 Q60 34 40 20 Z',
  tote: 'M30 45 L90 45 L96 105 L24 105 Z M45 45 Q45 15 60 15 Q75 15 75 45',
  beanie: 'M25 85 Q25 30 60 30 Q95 30 95 85 Z M20 85 L100 85 L100 100 L20 100 Z M60 30 m-8 -8 a8 8 0 1 0 16 0 a8 8 0 1 0 -16 0',
};
const tl = window.threadline;
const $ = (sel) => document.querySelector(sel);
const cart = () => JSON.parse(sessionStorage.getItem('demo-cart') || '[]');
const money = (n) => `$${n.toFixed(2)}`;
const properties = (p) => ({ product_id: p.product_id, sku: p.sku, name: p.name, price: p.price, category: p.category });

function picture(p) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 120 120');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', p.name);
  const bg = document.createElementNS(ns, 'rect');
  for (const [k, v] of Object.entries({ width: 120, height: 120, rx: 12, fill: '#f8fafc' })) bg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', SHAPES[p.shape]);
  path.setAttribute('fill', p.color);
  path.setAttribute('stroke', '#334155');
  path.setAttribute('stroke-width', '2');
  svg.append(bg, path);
  return svg;
}

function renderCart() {
  const items = cart();
  $('#cart-count').textContent = String(items.length);
  $('#cart-total').textContent = money(items.reduce((s, p) => s + p.price, 0));
}

function renderGrid(el) {
  for (const p of PRODUCTS) {
    const a = document.createElement('a');
    a.href = `product.html?sku=${p.sku}`;
    a.className = 'card';
    a.dataset.sku = p.sku;
    const label = document.createElement('span');
    label.textContent = `${p.name} — $${p.price}`;
    a.append(picture(p), label);
    el.append(a);
  }
}

function renderProduct(el) {
  const p = PRODUCTS.find((x) => x.sku === new URLSearchParams(location.search).get('sku')) || PRODUCTS[0];
  el.querySelector('.art').append(picture(p));
  el.querySelector('h1').textContent = p.name;
  el.querySelector('.price').textContent = `$${p.price}`;
  tl.track('Product Viewed', { ...properties(p), currency: 'USD' });
  el.querySelector('#add').addEventListener('click', () => {
    sessionStorage.setItem('demo-cart', JSON.stringify([...cart(), p]));
    renderCart();
    tl.track('Product Added', { ...properties(p), quantity: 1, currency: 'USD', cart_id: 'demo' });
    $('#status').textContent = `${p.name} added to cart`;
  });
}

function wireCheckout(form) {
  const items = cart();
  const total = items.reduce((s, p) => s + p.price, 0);
  $('#items').textContent = items.length ? `${items.map((p) => p.name).join(', ')} — ${money(total)}` : 'Your cart is empty';
  tl.track('Checkout Started', { order_id: 'demo', value: total, currency: 'USD', products: items.map(properties) });
  // The form is marked data-threadline-form: the SDK's form capture identifies with the mobile
  // number (traits only) and tracks Form Submitted before this handler runs.
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const order = cart();
    if (order.length) {
      const value = order.reduce((s, p) => s + p.price, 0);
      tl.track('Order Completed', { order_id: `demo-${Date.now()}`, total: value, currency: 'USD', products: order.map(properties) });
    }
    // The order is placed: the cart starts empty again.
    sessionStorage.removeItem('demo-cart');
    renderCart();
    $('#items').textContent = 'Your cart is empty';
    $('#status').textContent = 'Thanks! We will text you about your order.';
  });
}

function wireSignup(form) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const email = form.email.value.trim();
    if (!email) return;
    // Traits-only identify: the email is a trait, never the userId (SPEC §8).
    tl.identify({ email });
    $('#status').textContent = `Thanks, ${email} is subscribed.`;
    form.reset();
  });
}

// Demo only: a link to this visitor's profile in the console, so stitching can be watched without curl.
async function linkProfile(a) {
  await tl.ready();
  const id = await tl.anonymousId();
  if (typeof id === 'string') a.href = `/console/people/find?anonymousId=${encodeURIComponent(id)}`;
}

tl.page();
renderCart();
if ($('#grid')) renderGrid($('#grid'));
if ($('#product')) renderProduct($('#product'));
if ($('#checkout')) wireCheckout($('#checkout'));
if ($('#signup')) wireSignup($('#signup'));
if ($('#saw')) linkProfile($('#saw'));
