// Hosts: status and Docker version, tags, and (with host.manage) enrolment with a token shown once, rotation, revocation.
import { Badge, Button, Group, Modal, Stack, Table, Text, TagsInput, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { hostsQuery, useHosts, usePermissions } from '../api/queries';
import type { Host, HostCreated } from '../api/types';
import { ConfirmButton, ShownOnce, useAction } from '../components/actions';
import { ErrorAlert, Loading, PageTitle } from '../components/common';
import { Link } from '@tanstack/react-router';
import { HostInfoButton } from './HostInfo';

function Enrolment({ token, command }: { token: string; command: string }) {
  return (
    <Stack gap="sm" data-testid="enrolment">
      <ShownOnce label="Agent token" value={token} testId="agent-token" />
      <ShownOnce label="Run this on the host" value={command} testId="agent-command" />
    </Stack>
  );
}

function AddHost({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const action = useAction();
  const [name, setName] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [created, setCreated] = useState<HostCreated>();
  const submit = () =>
    void action.run(async () => {
      const r = await api<HostCreated>('/api/v1/hosts', { method: 'POST', body: { name, tags } });
      setCreated(r);
      await qc.invalidateQueries({ queryKey: hostsQuery.queryKey });
    });
  return (
    <Modal opened onClose={onClose} title={created ? `Host ${created.host.name} added` : 'Add a host'} size="lg" centered>
      {created ? (
        <Stack>
          <Enrolment token={created.token} command={created.command} />
          <Group justify="flex-end"><Button onClick={onClose}>Done</Button></Group>
        </Stack>
      ) : (
        <Stack>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="host-name" />
          <TagsInput label="Tags" value={tags} onChange={setTags} placeholder="prod, eu-west…" />
          <ErrorAlert error={action.error} />
          <Group justify="flex-end"><Button loading={action.busy} onClick={submit} disabled={name === ''}>Add host</Button></Group>
        </Stack>
      )}
    </Modal>
  );
}

function HostRow({ host, manage, info }: { host: Host; manage: boolean; info: boolean }) {
  const qc = useQueryClient();
  const action = useAction();
  const [tags, setTags] = useState<string[] | undefined>();
  const [rotated, setRotated] = useState<{ token: string; command: string }>();
  const refresh = () => qc.invalidateQueries({ queryKey: hostsQuery.queryKey });
  const saveTags = () =>
    void action.run(async () => {
      await api(`/api/v1/hosts/${encodeURIComponent(host.id)}`, { method: 'PATCH', body: { tags } });
      setTags(undefined);
      await refresh();
    });
  return (
    <Table.Tr data-host={host.name}>
      <Table.Td className="pc-wrap">
        <Text fw={600} size="sm">{host.name}</Text>
        <Text size="xs" c="dimmed">{host.kind}{host.agentPolicy ? ` · policy ${host.agentPolicy} (reported by the agent)` : ''}</Text>
        {host.kind === 'agent' && (
          <Text size="xs" c="dimmed" data-testid="host-key-fingerprint" title="compare with the fingerprint the agent logs at start">
            {host.agentKeyFingerprint ? `key ${host.agentKeyFingerprint}` : 'not enrolled yet'}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={host.status.online ? 'green' : 'red'} variant="light">{host.status.online ? 'online' : 'offline'}</Badge>
        {host.status.error && <Text size="xs" c="red" className="pc-wrap">{host.status.error.message}</Text>}
      </Table.Td>
      <Table.Td>
        {host.status.dockerVersion ?? '–'} {info && host.status.online && <HostInfoButton host={host} />}{' '}
        {host.status.online && <Link to="/hosts/$host/exposure" params={{ host: host.id }} data-testid="host-exposure-link">Exposure</Link>}
      </Table.Td>
      <Table.Td>{host.status.containers ?? '–'}</Table.Td>
      <Table.Td>
        {tags !== undefined ? (
          <Group gap={4}>
            <TagsInput size="xs" value={tags} onChange={setTags} />
            <Button size="xs" onClick={saveTags} loading={action.busy}>Save</Button>
            <Button size="xs" variant="default" onClick={() => setTags(undefined)}>Cancel</Button>
          </Group>
        ) : (
          <Group gap={4}>
            {host.tags.map((t) => <Badge key={t} variant="outline" size="sm">{t}</Badge>)}
            {manage && <Button size="compact-xs" variant="subtle" onClick={() => setTags(host.tags)}>Edit</Button>}
          </Group>
        )}
      </Table.Td>
      <Table.Td>
        {manage && host.kind === 'agent' && (
          <Group gap={4}>
            <ConfirmButton color="orange" question={`Rotate the agent token of ${host.name}? The agent must be given the new token.`}
              onConfirm={async () => setRotated(await api(`/api/v1/hosts/${encodeURIComponent(host.id)}/token/rotate`, { method: 'POST' }))}>
              Rotate token
            </ConfirmButton>
            {host.agentKeyFingerprint && (
              <ConfirmButton color="orange" question={`Forget the enrolled key of ${host.name}? Its tunnel closes and the next agent that connects with the token enrolls its key. Rotate the token too if it may have leaked.`}
                onConfirm={async () => { await api(`/api/v1/hosts/${encodeURIComponent(host.id)}/enrollment/reset`, { method: 'POST' }); await refresh(); }}>
                Reset enrollment
              </ConfirmButton>
            )}
            <ConfirmButton question={`Revoke ${host.name}? Its agent is disconnected at once and cannot reconnect.`}
              onConfirm={async () => { await api(`/api/v1/hosts/${encodeURIComponent(host.id)}`, { method: 'DELETE' }); await refresh(); }}>
              Revoke
            </ConfirmButton>
          </Group>
        )}
        <ErrorAlert error={action.error} />
        {rotated && (
          <Modal opened onClose={() => setRotated(undefined)} title={`New token for ${host.name}`} size="lg" centered>
            <Enrolment token={rotated.token} command={rotated.command} />
          </Modal>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** The hosts page. */
export function HostsPage() {
  const perms = usePermissions();
  const hosts = useHosts();
  const [adding, setAdding] = useState(false);
  const mayAdd = perms.can('host.manage');
  return (
    <Stack>
      <PageTitle right={mayAdd && <Button onClick={() => setAdding(true)} data-testid="add-host">Add host</Button>}>Hosts</PageTitle>
      <ErrorAlert error={hosts.error} />
      {hosts.isLoading && <Loading />}
      <Table striped data-testid="hosts-table">
        <Table.Thead>
          <Table.Tr><Table.Th>Name</Table.Th><Table.Th>Status</Table.Th><Table.Th>Docker</Table.Th><Table.Th>Containers</Table.Th><Table.Th>Tags</Table.Th><Table.Th /></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hosts.data?.map((h) => <HostRow key={h.id} host={h} manage={perms.can('host.manage', h)} info={perms.can('system.read', h)} />)}
        </Table.Tbody>
      </Table>
      {adding && <AddHost onClose={() => setAdding(false)} />}
    </Stack>
  );
}
