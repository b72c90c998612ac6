/** The hidden field every changing console form carries (checked by middleware/console-session.ts). */
export const CsrfField = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />;
