// The demo storefront's own code: renders products and calls the Threadline
// global the snippet defined. No inline handlers, so a strict CSP works.
const PRODUCTS = [
  { product_id: 'sku-101', sku: 'sku-101', name: 'Linen Shirt', price: 49, category: 'Shirts' },
  { product_id: 'sku-102', sku: 'sku-102', name: 'Canvas Tote', price: 25, category: 'Bags' },
  { product_id: 'sku-103', sku: 'sku-103', name: 'Wool Beanie', price: 19, category: 'Hats' },
];
const tl = window.threadline;
const $ = (sel) => document.querySelector(sel);
const cart = () => JSON.parse(sessionStorage.getItem('demo-cart') || '[]');

function renderGrid(el) {
  for (const p of PRODUCTS) {
    const a = document.createElement('a');
    a.href = `product.html?sku=${p.sku}`;
    a.className = 'card';
    a.dataset.sku = p.sku;
    a.textContent = `${p.name} — $${p.price}`;
    el.append(a);
  }
}

function renderProduct(el) {
  const p = PRODUCTS.find((x) => x.sku === new URLSearchParams(location.search).get('sku')) || PRODUCTS[0];
  el.querySelector('h1').textContent = p.name;
  el.querySelector('.price').textContent = `$${p.price}`;
  tl.track('Product Viewed', { ...p, currency: 'USD' });
  el.querySelector('#add').addEventListener('click', () => {
    sessionStorage.setItem('demo-cart', JSON.stringify([...cart(), p]));
    tl.track('Product Added', { ...p, quantity: 1, currency: 'USD', cart_id: 'demo' });
    $('#status').textContent = `${p.name} added to cart`;
  });
}

function wireCheckout(form) {
  const items = cart();
  $('#items').textContent = items.length ? items.map((p) => p.name).join(', ') : 'Your cart is empty';
  tl.track('Checkout Started', { order_id: 'demo', value: items.reduce((s, p) => s + p.price, 0), currency: 'USD', products: items });
  // The form is marked data-threadline-form: the SDK's form capture identifies with the mobile
  // number (traits only) and tracks Form Submitted before this handler runs.
  form.addEventListener('submit', (e) => {
    e.preventDefault();
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

tl.page();
if ($('#grid')) renderGrid($('#grid'));
if ($('#product')) renderProduct($('#product'));
if ($('#checkout')) wireCheckout($('#checkout'));
if ($('#signup')) wireSignup($('#signup'));
