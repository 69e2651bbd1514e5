// Public face of src/agent: the dial-out agent, its key, its request path and its health listener.
export { Agent, type AgentOptions, type AgentState } from './agent.js';
export { createForwarder, AGENT_MAX_BODY_BYTES, type AgentDecisionEvent, type ForwarderOptions } from './forward.js';
export { loadOrCreateAgentKey, AGENT_KEY_FILE } from './key.js';
export { createAgentMetrics, startHealthServer, type AgentMetrics } from './health.js';
