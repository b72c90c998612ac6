/** The parts of `window` the message context reads; a plain object in tests. */
export interface PageEnv {
  location: Pick<Location, 'href' | 'pathname' | 'search'>;
  document: { title: string; referrer: string; querySelector?: (selectors: string) => unknown };
  navigator?: Partial<Pick<Navigator, 'language' | 'userAgent'>>;
}
