// The rule registry: every rule, in ID order. IDs are stable and never reused.
import { DMN_001 } from './DMN-001-daemon-hardening.js';
import { DMN_002 } from './DMN-002-firewall-not-assessable.js';
import { EXP_001 } from './EXP-001-port-on-all-interfaces.js';
import { EXP_002 } from './EXP-002-datastore-port-published.js';
import { EXP_003 } from './EXP-003-admin-or-debug-published.js';
import { EXP_004 } from './EXP-004-docker-api-exposed.js';
import { EXP_005 } from './EXP-005-firewall-bypass.js';
import { EXP_006 } from './EXP-006-ineffective-docker-user-rule.js';
import { EXP_007 } from './EXP-007-loopback-l2-reachable.js';
import { EXP_008 } from './EXP-008-privileged-host-port.js';
import { EXP_009 } from './EXP-009-ephemeral-or-wide-range.js';
import { EXP_010 } from './EXP-010-duplicate-host-port.js';
import { EXP_011 } from './EXP-011-unresolved-interpolation.js';
import { EXP_012 } from './EXP-012-direct-routing.js';
import { EXP_013 } from './EXP-013-udp-amplifier.js';
import { IMG_001 } from './IMG-001-mutable-tag.js';
import { IMG_002 } from './IMG-002-not-pinned-by-digest.js';
import { IMG_003 } from './IMG-003-image-drift.js';
import { IMG_004 } from './IMG-004-insecure-registry.js';
import { OPS_001 } from './OPS-001-no-resource-limits.js';
import { OPS_002 } from './OPS-002-no-log-rotation.js';
import { OPS_003 } from './OPS-003-no-healthcheck.js';
import { OPS_004 } from './OPS-004-restart-policy.js';
import { PRIV_001 } from './PRIV-001-privileged.js';
import { PRIV_002 } from './PRIV-002-host-network.js';
import { PRIV_003 } from './PRIV-003-host-namespace.js';
import { PRIV_004 } from './PRIV-004-dangerous-capability.js';
import { PRIV_005 } from './PRIV-005-capabilities-not-dropped.js';
import { PRIV_006 } from './PRIV-006-no-new-privileges.js';
import { PRIV_007 } from './PRIV-007-security-profile-disabled.js';
import { PRIV_008 } from './PRIV-008-sensitive-host-path.js';
import { PRIV_009 } from './PRIV-009-host-device.js';
import { PRIV_010 } from './PRIV-010-runs-as-root.js';
import { PRIV_011 } from './PRIV-011-writable-rootfs.js';
import { SEC_001 } from './SEC-001-literal-credential.js';
import { SEC_002 } from './SEC-002-weak-password.js';
import { SEC_003 } from './SEC-003-credential-in-url.js';
import { SEC_004 } from './SEC-004-auth-disabled.js';
import { SEG_001 } from './SEG-001-flat-network.js';
import { SEG_002 } from './SEG-002-datastore-reachable-without-need.js';
import { SEG_003 } from './SEG-003-backend-network-not-internal.js';
import { SEG_004 } from './SEG-004-default-bridge.js';
import { SOCK_001 } from './SOCK-001-runtime-socket-mounted.js';
import { SOCK_002 } from './SOCK-002-socket-proxy-bypassed.js';
import type { Rule } from '../types.js';

/** All rules, sorted by ID. */
export const ALL_RULES: readonly Rule[] = [
  DMN_001,
  DMN_002,
  EXP_001,
  EXP_002,
  EXP_003,
  EXP_004,
  EXP_005,
  EXP_006,
  EXP_007,
  EXP_008,
  EXP_009,
  EXP_010,
  EXP_011,
  EXP_012,
  EXP_013,
  IMG_001,
  IMG_002,
  IMG_003,
  IMG_004,
  OPS_001,
  OPS_002,
  OPS_003,
  OPS_004,
  PRIV_001,
  PRIV_002,
  PRIV_003,
  PRIV_004,
  PRIV_005,
  PRIV_006,
  PRIV_007,
  PRIV_008,
  PRIV_009,
  PRIV_010,
  PRIV_011,
  SEC_001,
  SEC_002,
  SEC_003,
  SEC_004,
  SEG_001,
  SEG_002,
  SEG_003,
  SEG_004,
  SOCK_001,
  SOCK_002,
];
