// The inspect tab: the facts that matter (labels, env, mounts, ports, networks) as text, then the whole JSON.
import { Code, Stack, Table, Title } from '@mantine/core';
import { formatTime } from '../../components/common';

/** The parts of Docker's inspect JSON the UI reads (everything is hostile text). */
export interface Inspect {
  Id?: string;
  Name?: string;
  Created?: string;
  RestartCount?: number;
  State?: { Status?: string; StartedAt?: string; FinishedAt?: string; ExitCode?: number; Health?: { Status?: string } };
  Config?: { Image?: string; Cmd?: string[] | null; Entrypoint?: string[] | null; Env?: string[] | null; Labels?: Record<string, string> | null; User?: string };
  HostConfig?: { Privileged?: boolean; NetworkMode?: string; RestartPolicy?: { Name?: string } };
  Mounts?: { Type?: string; Source?: string; Destination?: string; RW?: boolean }[];
  NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }>; Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> };
}

function KeyValues({ title, rows, testId }: { title: string; rows: [string, string][]; testId?: string }) {
  if (rows.length === 0) return null;
  return (
    <Stack gap={4}>
      <Title order={5}>{title}</Title>
      <Table withRowBorders data-testid={testId}>
        <Table.Tbody>
          {rows.map(([k, v], i) => (
            <Table.Tr key={`${k}-${i}`}>
              <Table.Td className="pc-mono pc-wrap">{k}</Table.Td>
              <Table.Td className="pc-mono pc-wrap">{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** The inspect tab. */
export function InspectView({ container: c }: { container: Inspect }) {
  const env = (c.Config?.Env ?? []).map((e): [string, string] => {
    const i = e.indexOf('=');
    return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
  });
  const ports = Object.entries(c.NetworkSettings?.Ports ?? {}).map(([p, b]): [string, string] => [p, (b ?? []).map((x) => `${x.HostIp ?? ''}:${x.HostPort ?? ''}`).join(', ') || 'not published']);
  return (
    <Stack>
      <KeyValues title="Summary" rows={[
        ['Id', c.Id ?? ''], ['Image', c.Config?.Image ?? ''], ['Created', formatTime(c.Created)], ['Started', formatTime(c.State?.StartedAt)],
        ['Exit code', String(c.State?.ExitCode ?? '')], ['Restarts', String(c.RestartCount ?? 0)], ['Restart policy', c.HostConfig?.RestartPolicy?.Name ?? ''],
        ['Command', [...(c.Config?.Entrypoint ?? []), ...(c.Config?.Cmd ?? [])].join(' ')], ['User', c.Config?.User || '(image default)'],
        ['Privileged', c.HostConfig?.Privileged ? 'yes' : 'no'], ['Network mode', c.HostConfig?.NetworkMode ?? ''],
      ]} />
      <KeyValues title="Labels" rows={Object.entries(c.Config?.Labels ?? {})} testId="inspect-labels" />
      <KeyValues title="Environment" rows={env} testId="inspect-env" />
      <KeyValues title="Ports" rows={ports} />
      <KeyValues title="Mounts" rows={(c.Mounts ?? []).map((m) => [`${m.Type ?? ''} ${m.Destination ?? ''}`, `${m.Source ?? ''}${m.RW === false ? ' (read-only)' : ''}`])} />
      <KeyValues title="Networks" rows={Object.entries(c.NetworkSettings?.Networks ?? {}).map(([n, v]) => [n, v.IPAddress ?? ''])} />
      <Title order={5}>Raw</Title>
      <Code block className="pc-pre" data-testid="inspect-json">{JSON.stringify(c, null, 2)}</Code>
    </Stack>
  );
}
