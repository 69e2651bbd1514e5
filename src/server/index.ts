// Public face of src/server: build the app (tests), start the server (CLI), the error catalogue and the route map.
export { buildApp, servicesOf, toApiError, trustProxyOption, REQUEST_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_PARAM_LENGTH } from './app.js';
export { startServer, type StartedServer, type StartOptions } from './start.js';
export { ERRORS, ApiError, errorBody, type ErrorCode } from './errors.js';
export { buildRouteMap } from './routes.js';
export type { Access, Method, RouteSpec } from './route-def.js';
export type { AppConfig, AppDeps, Principal, SecurityStats, Services } from './context.js';
export { SESSION_COOKIE, CSRF_HEADER } from './pipeline.js';
export { RATE_CLASSES, MAX_RATE_KEYS, RateLimiter, type RateClass } from './rate-limiter.js';
export { prepareDataDir, DATA_DIR_MODE, DATA_FILE_MODE } from './data-dir.js';
export { ensureAdmin, removeInitialPasswordFile, INITIAL_PASSWORD_FILE, ADMIN_USERNAME, type BootstrapResult } from './bootstrap.js';
export { ensureTlsMaterial, TLS_DIR, type TlsMaterial } from './tls.js';
