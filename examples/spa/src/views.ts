export interface Product {
  product_id: string;
  sku: string;
  name: string;
  price: number;
  category: string;
}

export const PRODUCTS: readonly Product[] = [
  { product_id: 'sku-101', sku: 'sku-101', name: 'Linen Shirt', price: 49, category: 'Shirts' },
  { product_id: 'sku-102', sku: 'sku-102', name: 'Canvas Tote', price: 25, category: 'Bags' },
];

/** What a route rendered: the page name for `page()`, and the product when one is shown. */
export interface View {
  name: 'Home' | 'Product';
  title: string;
  product?: Product;
}

/**
 * Renders the route for `url` into `root` with DOM calls (no HTML strings, so
 * a strict CSP and untrusted names are fine) and answers what it showed.
 * @example const view = render(appElement, new URL(location.href));
 */
export function render(root: HTMLElement, url: URL): View {
  const doc = root.ownerDocument;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text = '') => Object.assign(doc.createElement(tag), { textContent: text });
  const product = PRODUCTS.find((p) => p.sku === url.searchParams.get('product'));
  if (!product) {
    const links = PRODUCTS.map((p) => {
      const a = Object.assign(el('a', `${p.name} — $${p.price}`), { className: 'card', href: `?product=${p.sku}` });
      a.dataset.route = '';
      return a;
    });
    root.replaceChildren(el('h1', 'New in'), ...links);
    return { name: 'Home', title: 'Shop · Threadline SPA' };
  }
  const back = Object.assign(el('a', 'Back to the shop'), { href: './' });
  back.dataset.route = '';
  root.replaceChildren(el('h1', product.name), el('p', `$${product.price}`), back);
  return { name: 'Product', title: `${product.name} · Threadline SPA`, product };
}
