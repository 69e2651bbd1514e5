// Networks of one host: list, create and remove with network.manage.
import { Badge, Button, Group, Modal, Select, Stack, Switch, Table, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { usePermissions } from '../api/queries';
import { ConfirmButton, useAction } from '../components/actions';
import { ErrorAlert, HostSelect, Loading, PageTitle } from '../components/common';
import { field, useHostParam } from '../components/useHostParam';

type Network = Record<string, unknown>;
const BUILTIN = new Set(['bridge', 'host', 'none']);

function CreateNetwork({ base, onDone }: { base: string; onDone: () => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [driver, setDriver] = useState('bridge');
  const [internal, setInternal] = useState(false);
  const action = useAction();
  const create = () => void action.run(async () => {
    await api(base, { method: 'POST', body: { name, driver, internal } });
    setOpen(false);
    setName('');
    await onDone();
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>Create network</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Create network" centered>
        <Stack>
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select label="Driver" data={['bridge', 'overlay']} value={driver} onChange={(v) => setDriver(v ?? 'bridge')} allowDeselect={false} />
          <Switch label="Internal (no outside access)" checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} />
          <ErrorAlert error={action.error} />
          <Button onClick={create} loading={action.busy} disabled={name === ''}>Create</Button>
        </Stack>
      </Modal>
    </>
  );
}

/** The networks page. */
export function NetworksPage() {
  const perms = usePermissions();
  const qc = useQueryClient();
  const [host, setHost] = useHostParam('network.read');
  const base = host ? `/api/v1/hosts/${encodeURIComponent(host.id)}/networks` : '';
  const q = useQuery({ queryKey: ['networks', host?.id], queryFn: ({ signal }) => api<{ networks: Network[] }>(base, { signal }), enabled: host !== undefined });
  const refresh = () => qc.invalidateQueries({ queryKey: ['networks', host?.id] });
  const manage = host !== undefined && perms.can('network.manage', host);
  return (
    <Stack>
      <PageTitle right={manage && <CreateNetwork base={base} onDone={refresh} />}>Networks</PageTitle>
      <Group><HostSelect value={host?.id ?? null} onChange={setHost} /></Group>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loading />}
      <Table striped data-testid="networks-table">
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Driver</Table.Th><Table.Th>Scope</Table.Th><Table.Th>Flags</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {q.data?.networks.map((n, i) => {
            const id = field<string>(n, 'Id', 'id') ?? String(i);
            const name = field<string>(n, 'Name', 'name') ?? id;
            return (
              <Table.Tr key={id}>
                <Table.Td className="pc-wrap">{name}</Table.Td>
                <Table.Td>{field<string>(n, 'Driver', 'driver')}</Table.Td>
                <Table.Td>{field<string>(n, 'Scope', 'scope')}</Table.Td>
                <Table.Td>{field<boolean>(n, 'Internal', 'internal') && <Badge size="sm" variant="outline">internal</Badge>}</Table.Td>
                <Table.Td>
                  {manage && !BUILTIN.has(name) && (
                    <ConfirmButton question={`Remove network ${name}?`} onConfirm={async () => { await api(`${base}/${encodeURIComponent(id)}`, { method: 'DELETE' }); await refresh(); }}>Remove</ConfirmButton>
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
