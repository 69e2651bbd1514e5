// Docker version and system facts of one host (GET /hosts/:id/info, system.read on the host), in a dialog.
import { Button, Modal, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import type { Host } from '../api/types';
import { ErrorAlert, formatBytes, Loading } from '../components/common';

type Facts = Record<string, unknown>;

/** A Docker fact as text (objects, which these fields are not, become JSON rather than "[object Object]"). */
function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(str).join(', ');
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function rows(version: Facts, info: Facts): [string, string][] {
  return [
    ['Docker', `${str(version.Version)} (API ${str(version.ApiVersion)})`],
    ['Operating system', str(info.OperatingSystem)],
    ['Kernel', str(info.KernelVersion)],
    ['Architecture', str(info.Architecture)],
    ['CPUs', str(info.NCPU)],
    ['Memory', formatBytes(typeof info.MemTotal === 'number' ? info.MemTotal : undefined)],
    ['Containers', `${str(info.Containers)} (${str(info.ContainersRunning)} running, ${str(info.ContainersPaused)} paused, ${str(info.ContainersStopped)} stopped)`],
    ['Images', str(info.Images)],
    ['Storage driver', str(info.Driver)],
    ['Cgroup', `${str(info.CgroupDriver)} v${str(info.CgroupVersion)}`],
    ['Security options', str(info.SecurityOptions)],
    ['Rootless / userns', str(info.SecurityOptions).includes('rootless') ? 'rootless' : str(info.SecurityOptions).includes('userns') ? 'user namespaces' : 'no'],
  ];
}

function InfoTable({ host }: { host: Host }) {
  const q = useQuery({ queryKey: ['host-info', host.id], queryFn: () => api<{ version: Facts; info: Facts }>(`/api/v1/hosts/${encodeURIComponent(host.id)}/info`) });
  if (q.isLoading) return <Loading />;
  if (!q.data) return <ErrorAlert error={q.error} />;
  return (
    <Table data-testid="host-info">
      <Table.Tbody>
        {rows(q.data.version, q.data.info).map(([k, v]) => (
          <Table.Tr key={k}><Table.Td>{k}</Table.Td><Table.Td className="pc-wrap">{v}</Table.Td></Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A button opening the host's Docker facts. */
export function HostInfoButton({ host }: { host: Host }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)} data-testid="host-info-open">Docker info</Button>
      {open && (
        <Modal opened onClose={() => setOpen(false)} title={`Docker on ${host.name}`} size="lg" centered>
          <InfoTable host={host} />
        </Modal>
      )}
    </>
  );
}
