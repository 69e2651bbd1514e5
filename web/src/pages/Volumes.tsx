// Volumes of one host: list, remove and prune with volume.manage.
import { Group, Stack, Table } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { usePermissions } from '../api/queries';
import { ConfirmButton } from '../components/actions';
import { ErrorAlert, formatTime, HostSelect, Loading, PageTitle } from '../components/common';
import { field, useHostParam } from '../components/useHostParam';

type Volume = Record<string, unknown>;

/** The volumes page. */
export function VolumesPage() {
  const perms = usePermissions();
  const qc = useQueryClient();
  const [host, setHost] = useHostParam('volume.read');
  const base = host ? `/api/v1/hosts/${encodeURIComponent(host.id)}/volumes` : '';
  const q = useQuery({ queryKey: ['volumes', host?.id], queryFn: ({ signal }) => api<{ volumes: Volume[] }>(base, { signal }), enabled: host !== undefined });
  const refresh = () => qc.invalidateQueries({ queryKey: ['volumes', host?.id] });
  const manage = host !== undefined && perms.can('volume.manage', host);
  return (
    <Stack>
      <PageTitle right={manage && <ConfirmButton question="Remove every unused volume on this host? Their data is lost." onConfirm={async () => { await api(`${base}/prune`, { method: 'POST' }); await refresh(); }}>Prune</ConfirmButton>}>
        Volumes
      </PageTitle>
      <Group><HostSelect value={host?.id ?? null} onChange={setHost} /></Group>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loading />}
      <Table striped data-testid="volumes-table">
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Driver</Table.Th><Table.Th>Mountpoint</Table.Th><Table.Th>Created</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {q.data?.volumes.map((v, i) => {
            const name = field<string>(v, 'Name', 'name') ?? String(i);
            return (
              <Table.Tr key={name}>
                <Table.Td className="pc-wrap pc-mono">{name}</Table.Td>
                <Table.Td>{field<string>(v, 'Driver', 'driver')}</Table.Td>
                <Table.Td className="pc-wrap pc-mono">{field<string>(v, 'Mountpoint', 'mountpoint')}</Table.Td>
                <Table.Td>{formatTime(field<string>(v, 'CreatedAt', 'createdAt'))}</Table.Td>
                <Table.Td>
                  {manage && (
                    <ConfirmButton question={`Remove volume ${name}? Its data is lost.`} onConfirm={async () => { await api(`${base}/${encodeURIComponent(name)}`, { method: 'DELETE' }); await refresh(); }}>Remove</ConfirmButton>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
