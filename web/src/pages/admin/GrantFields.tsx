// The fields of one grant (role on all hosts, one host, or a tag), shared by user grants and token creation.
import { Group, Select, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useHosts, usePermissions } from '../../api/queries';
import type { Role, ScopeType } from '../../api/types';

export interface GrantDraft {
  role: string;
  scopeType: ScopeType;
  scopeValue: string;
}

export const emptyGrant = (): GrantDraft => ({ role: 'viewer', scopeType: 'all', scopeValue: '' });

/** The grant as the API takes it. */
export function grantBody(g: GrantDraft): { role: string; scopeType: ScopeType; scopeValue?: string } {
  return g.scopeType === 'all' ? { role: g.role, scopeType: 'all' } : { role: g.role, scopeType: g.scopeType, scopeValue: g.scopeValue };
}

/** Role names: the full list with user.manage, else the built-in ones (token creation by anyone). */
export function useRoleNames(): string[] {
  const perms = usePermissions();
  const q = useQuery({ queryKey: ['roles'], queryFn: () => api<{ roles: Role[] }>('/api/v1/roles'), enabled: perms.can('user.manage') });
  return q.data?.roles.map((r) => r.name) ?? ['viewer', 'operator', 'admin'];
}

/** Role, scope type and scope value inputs. */
export function GrantFields({ value, onChange }: { value: GrantDraft; onChange: (g: GrantDraft) => void }) {
  const roles = useRoleNames();
  const hosts = useHosts();
  return (
    <Group gap="xs" align="flex-end">
      <Select label="Role" data={roles} value={value.role} onChange={(v) => onChange({ ...value, role: v ?? 'viewer' })} allowDeselect={false} w={150} />
      <Select label="Scope" data={[{ value: 'all', label: 'all hosts' }, { value: 'host', label: 'one host' }, { value: 'tag', label: 'hosts with tag' }]}
        value={value.scopeType} onChange={(v) => onChange({ ...value, scopeType: v ?? 'all', scopeValue: '' })} allowDeselect={false} w={150} />
      {value.scopeType === 'host' && (
        <Select label="Host" data={(hosts.data ?? []).map((h) => ({ value: h.id, label: h.name }))} value={value.scopeValue || null}
          onChange={(v) => onChange({ ...value, scopeValue: v ?? '' })} w={180} />
      )}
      {value.scopeType === 'tag' && <TextInput label="Tag" value={value.scopeValue} onChange={(e) => onChange({ ...value, scopeValue: e.currentTarget.value })} w={150} />}
    </Group>
  );
}
