// Public face of src/config: settings declarations and their parsers.
export * from './settings.js';
export * from './proxy.js';
export * from './server.js';
export * from './agent.js';
export * from './sso.js';
