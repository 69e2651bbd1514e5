// Errors of src/hosts (policy denial, unknown host, bad filter) and their mapping to PC_ERR codes.
import { DockerError } from '../docker/index.js';
import type { Decision } from '../policy/index.js';
import type { HostErrorInfo } from './types.js';

/** A host's policy refused a call before anything reached the Docker Engine. */
export class HostPolicyDenied extends Error {
  override readonly name = 'HostPolicyDenied';
  readonly code = 'PC_ERR_HOST_POLICY_DENIED';
  readonly hostId: string;
  readonly decision: Decision;

  constructor(hostId: string, decision: Decision) {
    super(`the policy of host "${hostId}" denies ${decision.operation}: ${decision.reason} (rule ${decision.rule})`);
    this.hostId = hostId;
    this.decision = decision;
  }

  /** HTTP status for the answer: the decision's (403, 400 for malformed, 413 for too large). */
  get status(): number {
    return this.decision.status;
  }
}

/** No host with that id or name is registered. */
export class HostNotFoundError extends Error {
  override readonly name = 'HostNotFoundError';
  readonly code = 'PC_ERR_HOST_NOT_FOUND';
  readonly status = 404;

  constructor(ref: string) {
    super(`no host "${ref.slice(0, 100)}" is registered`);
  }
}

/** A host with the same id or name is already registered. */
export class HostConflictError extends Error {
  override readonly name = 'HostConflictError';
  readonly code = 'PC_ERR_HOST_CONFLICT';
  readonly status = 409;
}

/** A container-list filter was malformed (unknown state, empty or oversized value). */
export class HostFilterError extends Error {
  override readonly name = 'HostFilterError';
  readonly code = 'PC_ERR_HOST_BAD_FILTER';
  readonly status = 400;
}

/**
 * Summarises any failure of a host call for an API answer, without secrets: a policy denial, an
 * unreachable or timed-out daemon, or the daemon's own error (status passed through, e.g. 404, 409).
 */
export function hostErrorInfo(err: unknown): HostErrorInfo {
  if (err instanceof HostPolicyDenied || err instanceof HostNotFoundError || err instanceof HostConflictError || err instanceof HostFilterError) {
    return { code: err.code, status: err.status, message: err.message };
  }
  if (err instanceof DockerError) {
    if (err.statusCode === 0 && err.code === 'OFFLINE') {
      return { code: 'PC_ERR_HOST_OFFLINE', status: 503, message: err.message };
    }
    if (err.statusCode === 0) {
      const timeout = err.code === 'ETIMEDOUT';
      return { code: timeout ? 'PC_ERR_HOST_TIMEOUT' : 'PC_ERR_HOST_UNREACHABLE', status: timeout ? 504 : 502, message: err.message };
    }
    const status = err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 502;
    return { code: 'PC_ERR_HOST_DOCKER_ERROR', status, message: err.message };
  }
  if (err instanceof Error && err.name === 'TimeoutError') {
    return { code: 'PC_ERR_HOST_TIMEOUT', status: 504, message: 'the host did not answer in time' };
  }
  if (err instanceof Error && err.message.startsWith('the host ')) return { code: 'PC_ERR_HOST_UNREACHABLE', status: 502, message: err.message.slice(0, 200) };
  return { code: 'PC_ERR_HOST_INTERNAL', status: 500, message: 'unexpected error while talking to the host' };
}
