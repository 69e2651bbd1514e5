// Containers across hosts: filters (in the URL), the windowed table, row start/stop and bulk actions with per-item results.
import { Button, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useMemo, useState } from 'react';
import { containersQuery, invalidateContainers, useHostIndex, useHosts, usePermissions } from '../../api/queries';
import type { BulkResult, Container, ContainerAction } from '../../api/types';
import { ErrorAlert, Loading, PageTitle } from '../../components/common';
import { ACTION_PERMISSION, ACTIONS, runAction, runBulk } from './actions';
import { ContainerTable, keyOf } from './ContainerTable';

const STATE_OPTIONS = ['running', 'paused', 'restarting', 'created', 'exited', 'dead'];

/** Matches a label filter "key" or "key=value" against a container's labels. */
function matchesLabel(c: Container, filter: string): boolean {
  const i = filter.indexOf('=');
  if (i < 0) return Object.hasOwn(c.labels, filter);
  return c.labels[filter.slice(0, i)] === filter.slice(i + 1);
}

function BulkResults({ results, names, onClose }: { results: BulkResult[]; names: Map<string, string>; onClose: () => void }) {
  const failed = results.filter((r) => !r.ok).length;
  return (
    <Modal opened onClose={onClose} title={`${results.length - failed} done, ${failed} refused or failed`} size="lg" centered>
      <Table data-testid="bulk-results">
        <Table.Tbody>
          {results.map((r) => (
            <Table.Tr key={`${r.host}/${r.id}`}>
              <Table.Td className="pc-wrap">{names.get(`${r.host}/${r.id}`) ?? r.id}</Table.Td>
              <Table.Td>{r.ok ? <Text c="green" size="sm">ok</Text> : <Text className="pc-denied pc-wrap" size="sm">{r.error ? `${r.error.message} (${r.error.code})` : 'failed'}</Text>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}

/** The containers page. */
export function ContainersPage() {
  const search = useSearch({ from: '/app/containers' });
  const navigate = useNavigate({ from: '/containers' });
  const perms = usePermissions();
  const hosts = useHosts();
  const hostIndex = useHostIndex();
  const qc = useQueryClient();
  const list = useQuery({ ...containersQuery(), refetchInterval: 30_000 });
  const [label, setLabel] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>();
  const [results, setResults] = useState<BulkResult[]>();

  const setSearch = (patch: Partial<typeof search>) => void navigate({ search: (s) => ({ ...s, ...patch }), replace: true });

  const rows = useMemo(() => {
    const q = (search.q ?? '').toLowerCase();
    const l = label.trim();
    return (list.data?.containers ?? []).filter((c) =>
      (!search.host || c.hostId === search.host) && (!search.state || c.state === search.state) &&
      (!search.tag || (hostIndex.get(c.hostId)?.tags.includes(search.tag) ?? false)) &&
      (q === '' || c.name.toLowerCase().includes(q) || c.image.toLowerCase().includes(q) || c.id.startsWith(q)) && (l === '' || matchesLabel(c, l)),
    ).sort((a, b) => a.name.localeCompare(b.name));
  }, [list.data, search.host, search.state, search.q, search.tag, hostIndex, label]);

  const allowed = useCallback((c: Container, a: ContainerAction) => {
    const h = hostIndex.get(c.hostId);
    return h !== undefined && perms.can(ACTION_PERMISSION[a], h);
  }, [hostIndex, perms]);
  const selectable = ACTIONS.some((a) => perms.canSomewhere(ACTION_PERMISSION[a]));

  const onToggle = useCallback((k: string) => setSelected((s) => {
    const n = new Set(s);
    if (n.has(k)) n.delete(k);
    else n.add(k);
    return n;
  }), []);
  const onToggleAll = () => setSelected((s) => (rows.every((c) => s.has(keyOf(c))) ? new Set() : new Set(rows.map(keyOf))));

  const onAction = useCallback((c: Container, a: ContainerAction) => {
    const k = keyOf(c);
    setBusy((b) => new Set(b).add(k));
    setError(undefined);
    runAction(c, a)
      .catch((err: unknown) => setError(err))
      .finally(() => {
        setBusy((b) => { const n = new Set(b); n.delete(k); return n; });
        void invalidateContainers(qc);
      });
  }, [qc]);

  const chosen = rows.filter((c) => selected.has(keyOf(c)));
  const bulk = async (a: ContainerAction) => {
    setError(undefined);
    try {
      setResults(await runBulk(a, chosen));
      setSelected(new Set());
    } catch (err) {
      setError(err);
    }
    await invalidateContainers(qc);
  };
  const names = useMemo(() => new Map((list.data?.containers ?? []).map((c) => [keyOf(c), c.name])), [list.data]);
  const hostErrors = list.data?.hosts.filter((h) => h.error) ?? [];

  return (
    <Stack gap="sm">
      <PageTitle right={<Text size="sm" c="dimmed" data-testid="container-count">{rows.length} of {list.data?.containers.length ?? 0}</Text>}>Containers</PageTitle>
      <Group gap="sm" align="flex-end">
        <Select label="Host" placeholder="All hosts" clearable w={180} value={search.host ?? null}
          data={(hosts.data ?? []).map((h) => ({ value: h.id, label: h.name }))} onChange={(v) => setSearch({ host: v ?? undefined })} />
        <Select label="Host tag" placeholder="Any tag" clearable w={150} value={search.tag ?? null}
          data={[...new Set((hosts.data ?? []).flatMap((h) => h.tags))].sort()} onChange={(v) => setSearch({ tag: v ?? undefined })} />
        <Select label="State" placeholder="Any state" clearable w={150} value={search.state ?? null} data={STATE_OPTIONS}
          onChange={(v) => setSearch({ state: v ?? undefined })} data-testid="state-filter" />
        <TextInput label="Name, image or id" w={220} value={search.q ?? ''} onChange={(e) => setSearch({ q: e.currentTarget.value || undefined })} data-testid="name-filter" />
        <TextInput label="Label (key or key=value)" w={220} value={label} onChange={(e) => setLabel(e.currentTarget.value)} data-testid="label-filter" />
      </Group>
      {chosen.length > 0 && (
        <Group gap="xs" data-testid="bulk-bar">
          <Text size="sm">{chosen.length} selected:</Text>
          {ACTIONS.filter((a) => chosen.some((c) => allowed(c, a))).map((a) => (
            <Button key={a} size="xs" variant="light" color={a === 'remove' || a === 'kill' ? 'red' : 'blue'} onClick={() => void bulk(a)} data-testid={`bulk-${a}`}>{a}</Button>
          ))}
          <Button size="xs" variant="subtle" onClick={() => setSelected(new Set())}>Clear</Button>
        </Group>
      )}
      <ErrorAlert error={error ?? list.error} />
      {hostErrors.map((h) => <Text key={h.hostId} size="sm" c="orange">{h.hostName}: {h.error?.message}</Text>)}
      {list.isLoading ? <Loading /> : (
        <ContainerTable containers={rows} selected={selected} onToggle={onToggle} onToggleAll={onToggleAll}
          allowed={allowed} selectable={selectable} onAction={onAction} busy={busy} />
      )}
      {results && <BulkResults results={results} names={names} onClose={() => setResults(undefined)} />}
    </Stack>
  );
}
