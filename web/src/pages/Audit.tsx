// The audit log: filters, the records (newest first), JSON-lines export and the hash chain's verification status.
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiRaw, saveBlob } from '../api/client';
import type { AuditRecord, AuditVerify } from '../api/types';
import { useAction } from '../components/actions';
import { ErrorAlert, formatTime, Loading, PageTitle } from '../components/common';

/** Records shown per page. */
const PAGE = 200;

function VerifyStatus() {
  const q = useQuery({ queryKey: ['audit', 'verify'], queryFn: () => api<AuditVerify>('/api/v1/audit/verify'), staleTime: 30_000 });
  if (q.isLoading) return <Badge variant="light" color="gray">verifying…</Badge>;
  if (q.error) return <Badge color="red" variant="light" title={String(q.error)}>verification failed</Badge>;
  const v = q.data!;
  return v.ok
    ? <Badge color="green" variant="light" data-testid="audit-verify">chain intact · {v.count} records</Badge>
    : <Badge color="red" variant="filled" data-testid="audit-verify">chain broken at record {v.badSeq}{v.reason ? `: ${v.reason}` : ''}</Badge>;
}

const toIso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

/** The audit page. */
export function AuditPage() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [filters] = useDebouncedValue({ actor: actor.trim(), action: action.trim(), result: result ?? '', since: toIso(since), until: toIso(until) }, 300);
  const exporting = useAction();
  const q = useQuery({
    queryKey: ['audit', 'list', filters],
    queryFn: ({ signal }) => api<{ records: AuditRecord[] }>('/api/v1/audit', { query: { ...filters, limit: PAGE, order: 'desc' }, signal }),
    refetchInterval: 10_000,
  });
  const doExport = () => void exporting.run(async () => {
    const res = await apiRaw('/api/v1/audit/export');
    saveBlob(await res.blob(), `portcullis-audit-${new Date().toISOString().slice(0, 10)}.jsonl`);
  });
  return (
    <Stack>
      <PageTitle right={<><VerifyStatus /><Button size="xs" variant="default" onClick={doExport} loading={exporting.busy} data-testid="audit-export">Export (JSON lines)</Button></>}>
        Audit log
      </PageTitle>
      <Group align="flex-end" gap="sm">
        <TextInput label="Actor" value={actor} onChange={(e) => setActor(e.currentTarget.value)} w={160} data-testid="audit-actor" />
        <TextInput label="Action" placeholder="container.stop" value={action} onChange={(e) => setAction(e.currentTarget.value)} w={180} data-testid="audit-action" />
        <Select label="Result" data={['success', 'denied', 'error']} clearable value={result} onChange={setResult} w={130} />
        <TextInput type="datetime-local" label="Since" value={since} onChange={(e) => setSince(e.currentTarget.value)} />
        <TextInput type="datetime-local" label="Until" value={until} onChange={(e) => setUntil(e.currentTarget.value)} />
      </Group>
      <ErrorAlert error={q.error ?? exporting.error} />
      {q.isLoading && <Loading />}
      <Table striped data-testid="audit-table">
        <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>Time</Table.Th><Table.Th>Actor</Table.Th><Table.Th>Action</Table.Th><Table.Th miw={90}>Result</Table.Th><Table.Th>Target</Table.Th><Table.Th>Details</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {q.data?.records.map((r) => (
            <Table.Tr key={r.seq} data-action={r.action} data-result={r.result}>
              <Table.Td>{r.seq}</Table.Td>
              <Table.Td className="pc-nowrap">{formatTime(r.time)}</Table.Td>
              <Table.Td className="pc-wrap">{r.actor}<Text span size="xs" c="dimmed"> {r.actorType}</Text></Table.Td>
              <Table.Td className="pc-mono">{r.action}</Table.Td>
              <Table.Td className="pc-nowrap"><Badge size="sm" variant="light" miw={70} color={r.result === 'success' ? 'green' : r.result === 'denied' ? 'red' : 'orange'}>{r.result}</Badge></Table.Td>
              <Table.Td className="pc-wrap pc-mono">{r.target ?? ''}</Table.Td>
              <Table.Td className="pc-wrap pc-mono">{Object.keys(r.details).length ? JSON.stringify(r.details) : ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.data?.records.length === PAGE && <Text size="sm" c="dimmed">Showing the newest {PAGE}; narrow the filters or export the whole log.</Text>}
    </Stack>
  );
}
