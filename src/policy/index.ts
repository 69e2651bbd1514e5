// Public face of the policy engine (pure: no I/O).
export { PolicyEngine, checkTransport, isSafeHost, type Evaluation, type EngineOptions, type Headers } from './engine.js';
export { parseTarget, matchRoute, cleanPath, decodeOnce, type RouteMatch } from './parse.js';
export { ROUTES, OPERATIONS, type RouteSpec } from './routes.js';
export { envProfile, namedProfile, constraintsFromSettings, type Profile, type RouteVerdict } from './profiles.js';
export { loadPolicyFile, PolicyFileError } from './policy-file.js';
export type { BodyConstraints, BodyVerdict, Decision, ParsedRequest, Operation } from './types.js';
export { tecnativaAllows } from './tecnativa.js';
