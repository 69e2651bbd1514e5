// PRIV-009: a host device is passed into the container.
import type { Rule, RuleHit } from '../types.js';

export const PRIV_009: Rule = {
  id: 'PRIV-009',
  title: 'Host device exposed',
  category: 'privilege',
  severityText: 'High.',
  defaultSeverity: 'high',
  description: 'Devices such as /dev/mem, /dev/kmsg or block devices give raw access to host memory, logs or disks.',
  fix: 'Remove the device, or pass only the one the workload needs (a specific /dev/dri node for transcoding) and document it.',
  sources: ['CIS Docker Benchmark 5.18', 'compose-lint CL-0016'],
  modes: ['compose', 'host'],
  check(model) {
    const hits: RuleHit[] = [];
    for (const svc of model.services) {
      svc.devices.forEach((d, i) => {
        hits.push({ service: svc, severity: 'high', path: ['devices', i], evidenceKey: d, evidence: { device: d }, message: `${svc.name} gets host device ${d}` });
      });
    }
    return hits;
  },
};
