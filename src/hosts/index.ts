// Public face of src/hosts: the Host interface, LocalHost, EngineHost (for agent-backed hosts), the registry, errors.
export type {
  CallOpts, DecisionEvent, DecisionListener, EngineChannel, EngineMethod, EngineRequest, EngineResponse, Host, HostErrorInfo,
  HostEventsOptions, HostExec, HostExecOptions, HostKind, HostLogsOptions, HostOperations, HostStatus, StopOptions,
} from './types.js';
export { EngineHost, normalizeTags, type EngineHostOptions } from './engine-host.js';
export { readHostStatus } from './status.js';
export { LocalHost, hostPolicy, type HostPolicyOptions, type LocalHostOptions } from './local-host.js';
export {
  HostRegistry, CONTAINER_STATES, DEFAULT_HOST_LIST_TIMEOUT_MS, MAX_FILTER_VALUES, MAX_FILTER_VALUE_LENGTH, dockerFilters,
  type AggregateResult, type HostChange, type HostChangeListener, type ContainerFilters, type ContainerState, type HostListing, type HostedContainer,
} from './registry.js';
export { HostPolicyDenied, HostNotFoundError, HostConflictError, HostFilterError, hostErrorInfo } from './errors.js';
export { gateRequest, requestTarget, type GatedRequest } from './gate.js';
export { encodeQuery } from '../docker/index.js';
export { HOST_OPERATIONS, engineRequests, pathSegment, type EngineRequestName } from './requests.js';
export { checkContainerList, checkContainerSummary, MAX_CONTAINERS_PER_HOST } from './validate.js';
