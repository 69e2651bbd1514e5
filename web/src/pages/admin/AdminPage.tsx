// Administration: users and their grants, roles, API tokens (own for everyone; shown once), rate-limit and lockout stats.
import { Stack, Tabs } from '@mantine/core';
import { useState } from 'react';
import { usePermissions } from '../../api/queries';
import { PageTitle } from '../../components/common';
import { RolesTab } from './Roles';
import { SecurityTab } from './Security';
import { TokensTab } from './Tokens';
import { UsersTab } from './Users';

/** The administration page; each tab appears only with the permission it needs. */
export function AdminPage() {
  const perms = usePermissions();
  const users = perms.can('user.manage');
  const audit = perms.can('audit.read');
  const [tab, setTab] = useState<string | null>(users ? 'users' : 'tokens');
  return (
    <Stack>
      <PageTitle>Administration</PageTitle>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          {users && <Tabs.Tab value="users">Users & grants</Tabs.Tab>}
          {users && <Tabs.Tab value="roles">Roles</Tabs.Tab>}
          <Tabs.Tab value="tokens">API tokens</Tabs.Tab>
          {audit && <Tabs.Tab value="security">Rate limits & lockouts</Tabs.Tab>}
        </Tabs.List>
        {users && <Tabs.Panel value="users" pt="md"><UsersTab /></Tabs.Panel>}
        {users && <Tabs.Panel value="roles" pt="md"><RolesTab /></Tabs.Panel>}
        <Tabs.Panel value="tokens" pt="md"><TokensTab /></Tabs.Panel>
        {audit && <Tabs.Panel value="security" pt="md"><SecurityTab /></Tabs.Panel>}
      </Tabs>
    </Stack>
  );
}
