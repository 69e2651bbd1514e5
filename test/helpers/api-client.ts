// A test client of the REST API over HTTPS with the server's CA pinned: admin login, forced password change, then a Bearer API token.
import { Agent, fetch } from 'undici';

/** The password the admin gets after the forced change at first login. */
export const CHANGED_ADMIN_PASSWORD = 'Agents-Suite-Changed-Passphrase-93';

/** One answer: status, parsed JSON (or text when not JSON), headers. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** The `{ error: { code, message } }` body of a refusal. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** The API's view of a host (GET /api/v1/hosts/:id). */
export interface HostView {
  id: string;
  name: string;
  kind: 'local' | 'agent';
  tags: string[];
  status: { online: boolean; dockerVersion?: string; containers?: number; error?: { code: string; message: string } };
  lastSeenAt: string | null;
  enrolled: boolean;
  agentVersion: string | null;
  agentPolicy: string | null;
  agentKeyFingerprint: string | null;
}

/** What POST /api/v1/hosts answers once. */
export interface CreatedHost {
  host: HostView;
  token: string;
  command: string;
}

/** One audit record as GET /api/v1/audit lists it. */
export interface AuditRow {
  seq: number;
  time: string;
  actor: string;
  actorType: string;
  action: string;
  target: string | null;
  result: 'success' | 'denied' | 'error';
  details: Record<string, unknown>;
}

interface Credentials {
  bearer?: string | undefined;
  cookie?: string | undefined;
  csrf?: string | undefined;
}

function sessionCookie(headers: Headers): string | undefined {
  for (const c of headers.getSetCookie()) {
    const m = /^pc_session=([^;]+)/.exec(c);
    if (m) return `pc_session=${m[1]}`;
  }
  return undefined;
}

/**
 * Talks to one server. Each client owns an undici dispatcher that trusts only `ca`.
 * @example const api = await ApiClient.admin(srv.url, srv.ca(), SERVER_ADMIN_PASSWORD); await api.get('/api/v1/hosts');
 */
export class ApiClient {
  private readonly dispatcher: Agent;

  constructor(readonly baseUrl: string, ca: string, private creds: Credentials = {}) {
    this.dispatcher = new Agent({ connect: { ca }, connections: 16 });
  }

  /**
   * Logs in as admin with the bootstrap password, makes the forced password change (unless `changed`
   * says it was already done), creates an API token with the admin role on all hosts, and returns a
   * client using that token.
   */
  static async admin(baseUrl: string, ca: string, bootstrapPassword: string, opts: { changed?: boolean } = {}): Promise<ApiClient> {
    const session = new ApiClient(baseUrl, ca);
    try {
      const password = opts.changed ? CHANGED_ADMIN_PASSWORD : bootstrapPassword;
      const login = await session.request<{ csrfToken: string; mustChangePassword: boolean }>('POST', '/api/v1/auth/login', { username: 'admin', password });
      if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
      session.creds = { cookie: sessionCookie(login.headers), csrf: login.body.csrfToken };
      if (login.body.mustChangePassword) {
        const changed = await session.request<{ csrfToken: string }>('POST', '/api/v1/auth/password', { current: password, next: CHANGED_ADMIN_PASSWORD });
        if (changed.status !== 200) throw new Error(`password change failed: ${changed.status} ${JSON.stringify(changed.body)}`);
        session.creds = { cookie: sessionCookie(changed.headers) ?? session.creds.cookie, csrf: changed.body.csrfToken };
      }
      const token = await session.request<{ token: string }>('POST', '/api/v1/tokens', {
        name: `test-admin-${Date.now()}`, grants: [{ role: 'admin', scopeType: 'all' }],
      });
      if (token.status !== 201) throw new Error(`token creation failed: ${token.status} ${JSON.stringify(token.body)}`);
      return new ApiClient(baseUrl, ca, { bearer: token.body.token });
    } finally {
      await session.close();
    }
  }

  /** Sends one request; `body` is sent as JSON. Never throws on an HTTP status. */
  async request<T = unknown>(method: string, path: string, body?: unknown, opts: { timeoutMs?: number } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.creds.bearer) headers.authorization = `Bearer ${this.creds.bearer}`;
    if (this.creds.cookie) headers.cookie = this.creds.cookie;
    if (this.creds.csrf && method !== 'GET') headers['x-csrf-token'] = this.creds.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, {
      method, headers, dispatcher: this.dispatcher, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers as unknown as Headers };
  }

  get<T = unknown>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  patch<T = unknown>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, body);
  }

  del<T = unknown>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path);
  }

  /** POST /api/v1/hosts: adds an agent host; throws unless 201. */
  async createHost(name: string, tags: string[] = []): Promise<CreatedHost> {
    const res = await this.post<CreatedHost>('/api/v1/hosts', { name, tags });
    if (res.status !== 201) throw new Error(`host creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** GET /api/v1/hosts/:id: the host view, or undefined on 404. */
  async host(id: string): Promise<HostView | undefined> {
    const res = await this.get<{ host: HostView }>(`/api/v1/hosts/${id}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`host lookup failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.host;
  }

  /** GET /api/v1/audit with exact filters (action, result, actor, since…), oldest first. */
  async audit(filters: Record<string, string>): Promise<AuditRow[]> {
    const res = await this.get<{ records: AuditRow[] }>(`/api/v1/audit?${new URLSearchParams({ ...filters, order: 'asc' }).toString()}`);
    if (res.status !== 200) throw new Error(`audit query failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.records;
  }

  /** Closes the client's connections. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
