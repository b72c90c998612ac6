/** The keyset pager's "next" link: `href` plus `after=<cursor>`, shown only while there is a next page. */
export const NextPage = (props: { href: string; next: string | null | undefined; label?: string }) =>
  props.next ? (
    <p>
      <a href={`${props.href}${props.href.includes('?') ? '&' : '?'}after=${encodeURIComponent(props.next)}`} rel="next">
        {props.label ?? 'Next page'}
      </a>
    </p>
  ) : null;
