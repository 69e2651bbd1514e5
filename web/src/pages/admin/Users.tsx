// Users: create (with a password to change at first login), disable, force a password change, reset, unlock, delete, grants.
import { Badge, Button, Group, Modal, PasswordInput, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useMe } from '../../api/queries';
import type { User } from '../../api/types';
import { ConfirmButton, useAction } from '../../components/actions';
import { ErrorAlert, formatTime, Loading } from '../../components/common';
import { UserGrants } from './UserGrants';

function CreateUser({ onDone }: { onDone: () => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const action = useAction();
  const create = () => void action.run(async () => {
    await api('/api/v1/users', { method: 'POST', body: { username, password, mustChangePassword: mustChange } });
    setOpen(false);
    setUsername('');
    setPassword('');
    await onDone();
  });
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="create-user">Create user</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Create user" centered>
        <Stack>
          <TextInput label="Username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
          <PasswordInput label="Initial password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" />
          <Switch label="Must change it at first login" checked={mustChange} onChange={(e) => setMustChange(e.currentTarget.checked)} />
          <Text size="xs" c="dimmed">A new user holds no grants: add them below.</Text>
          <ErrorAlert error={action.error} />
          <Button onClick={create} loading={action.busy} disabled={!username || !password}>Create</Button>
        </Stack>
      </Modal>
    </>
  );
}

function ResetPassword({ user, onDone }: { user: User; onDone: () => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const action = useAction();
  const save = () => void action.run(async () => {
    await api(`/api/v1/users/${user.id}`, { method: 'PATCH', body: { password, mustChangePassword: true } });
    setOpen(false);
    setPassword('');
    await onDone();
  });
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpen(true)}>Reset password</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`New password for ${user.username}`} centered>
        <Stack>
          <PasswordInput label="Temporary password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" />
          <Text size="xs" c="dimmed">The user must change it at the next login; their sessions end now.</Text>
          <ErrorAlert error={action.error} />
          <Button onClick={save} loading={action.busy} disabled={!password}>Set password</Button>
        </Stack>
      </Modal>
    </>
  );
}

function UserRow({ user, self, onChange }: { user: User; self: boolean; onChange: () => Promise<unknown> }) {
  const action = useAction();
  const [grants, setGrants] = useState(false);
  const patch = (body: Record<string, unknown>) => void action.run(async () => {
    await api(`/api/v1/users/${user.id}`, { method: 'PATCH', body });
    await onChange();
  });
  const unlock = () => void action.run(() => api(`/api/v1/users/${user.id}/unlock`, { method: 'POST' }));
  return (
    <Table.Tr data-user={user.username}>
      <Table.Td className="pc-wrap">{user.username} {self && <Badge size="xs" variant="light">you</Badge>}</Table.Td>
      <Table.Td>
        {user.disabled ? <Badge color="red" variant="light">disabled</Badge> : <Badge color="green" variant="light">active</Badge>}
        {user.mustChangePassword && <Badge color="yellow" variant="light" ml={4}>must change password</Badge>}
      </Table.Td>
      <Table.Td>{formatTime(user.createdAt)}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Button size="xs" variant="light" onClick={() => setGrants(true)}>Grants</Button>
          {!self && <Button size="xs" variant="default" onClick={() => patch({ disabled: !user.disabled })}>{user.disabled ? 'Enable' : 'Disable'}</Button>}
          {!self && !user.mustChangePassword && <Button size="xs" variant="default" onClick={() => patch({ mustChangePassword: true })}>Force change</Button>}
          <ResetPassword user={user} onDone={onChange} />
          <Button size="xs" variant="default" onClick={unlock}>Unlock</Button>
          {!self && (
            <ConfirmButton question={`Delete ${user.username} with their sessions, tokens and grants?`} onConfirm={async () => { await api(`/api/v1/users/${user.id}`, { method: 'DELETE' }); await onChange(); }}>
              Delete
            </ConfirmButton>
          )}
        </Group>
        <ErrorAlert error={action.error} />
        {grants && (
          <Modal opened onClose={() => setGrants(false)} title={`Grants of ${user.username}`} size="xl" centered>
            <UserGrants user={user} />
          </Modal>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** The users tab. */
export function UsersTab() {
  const me = useMe();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['users'], queryFn: () => api<{ users: User[] }>('/api/v1/users') });
  const refresh = () => qc.invalidateQueries({ queryKey: ['users'] });
  return (
    <Stack>
      <Group justify="flex-end"><CreateUser onDone={refresh} /></Group>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loading />}
      <Table striped data-testid="users-table">
        <Table.Thead><Table.Tr><Table.Th>User</Table.Th><Table.Th>Status</Table.Th><Table.Th>Created</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>{q.data?.users.map((u) => <UserRow key={u.id} user={u} self={u.id === me.user.id} onChange={refresh} />)}</Table.Tbody>
      </Table>
    </Stack>
  );
}
