// The one fetch wrapper: base path, JSON, the CSRF header on writes (token kept in memory only), API errors as exceptions.

/** The server's base path ('' or '/prefix'), taken from the <base href> the server writes into index.html. */
export const BASE_PATH = new URL(document.baseURI).pathname.replace(/\/+$/, '');

let csrfToken: string | undefined;
let onUnauthenticated: (() => void) | undefined;

/** Keeps the CSRF token of the current session in memory (never in storage: a page reload asks /auth/me again). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the server says the session has ended (401), so the app can show the login page. */
export function onSessionEnded(fn: () => void): void {
  onUnauthenticated = fn;
}

/** An error answer of the API: its catalogue code, HTTP status and the server's message (shown to the user as is). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The message to show for anything thrown by a request. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return `${err.message} (${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The absolute URL path of an API path (`/api/v1/…`) under the base path. */
export function apiUrl(path: string, query?: Record<string, string | number | boolean | readonly string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === '') continue;
    if (typeof v === 'object') for (const item of v) params.append(k, item);
    else params.append(k, String(v));
  }
  const qs = params.toString();
  return `${BASE_PATH}${path}${qs ? `?${qs}` : ''}`;
}

/** The ws:// or wss:// URL of an API WebSocket path. */
export function wsUrl(path: string, query?: Record<string, string | number | undefined>): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}${apiUrl(path, query)}`;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Parameters<typeof apiUrl>[1];
  signal?: AbortSignal;
}

/** Sends a request and returns the raw response after turning error answers into ApiError. */
export async function apiRaw(path: string, opts: RequestOptions = {}): Promise<Response> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(apiUrl(path, opts.query), {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (res.ok) return res;
  let code = 'PC_ERR_HTTP';
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401 && code === 'PC_ERR_AUTH_REQUIRED' && !path.endsWith('/auth/login')) onUnauthenticated?.();
  throw new ApiError(code, message, res.status);
}

/** Sends a JSON request and parses the JSON answer. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiRaw(path, opts);
  if (res.status === 204) return {} as T;
  return (await res.json()) as T;
}

/** Saves a Blob as a file download (export, logs). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
