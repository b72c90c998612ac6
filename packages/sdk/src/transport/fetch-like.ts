/** The slice of `fetch` the transport uses; injected in tests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Pick<Response, 'status' | 'headers' | 'json'>>;
