/** Segment e-commerce v2 event names, verbatim (SPEC §3). */
export const ECOMMERCE_EVENTS = {
  productsSearched: 'Products Searched',
  productListViewed: 'Product List Viewed',
  productClicked: 'Product Clicked',
  productViewed: 'Product Viewed',
  productAdded: 'Product Added',
  productRemoved: 'Product Removed',
  cartViewed: 'Cart Viewed',
  checkoutStarted: 'Checkout Started',
  checkoutStepViewed: 'Checkout Step Viewed',
  checkoutStepCompleted: 'Checkout Step Completed',
  paymentInfoEntered: 'Payment Info Entered',
  orderCompleted: 'Order Completed',
  orderRefunded: 'Order Refunded',
  orderCancelled: 'Order Cancelled',
  couponApplied: 'Coupon Applied',
} as const;

export type EcommerceEventName = (typeof ECOMMERCE_EVENTS)[keyof typeof ECOMMERCE_EVENTS];
