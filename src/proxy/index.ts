// Public face of the socket proxy.
export { startProxy, pingUpstream, type ProxyOptions, type RunningProxy, HEADER_TIMEOUT_MS } from './server.js';
export { parseListen, isLoopback, type ListenTarget } from './listen.js';
