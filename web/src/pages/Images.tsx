// Images of one host: list, pull (with progress), remove and prune where the user holds the permissions.
import { Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiRaw } from '../api/client';
import { usePermissions } from '../api/queries';
import { ConfirmButton, useAction } from '../components/actions';
import { ErrorAlert, formatBytes, formatTime, HostSelect, Loading, PageTitle } from '../components/common';
import { field, useHostParam } from '../components/useHostParam';

type Image = Record<string, unknown>;

async function pull(hostId: string, image: string, onProgress: (line: string) => void): Promise<void> {
  const res = await apiRaw(`/api/v1/hosts/${encodeURIComponent(hostId)}/images/pull`, { method: 'POST', body: { image } });
  const reader = res.body?.getReader();
  if (!reader) return;
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) {
      if (!l.trim()) continue;
      const msg = JSON.parse(l) as { status?: string; id?: string; progress?: string; error?: string | { message?: string; code?: string }; done?: boolean };
      if (msg.error) throw new Error(typeof msg.error === 'string' ? msg.error : `${msg.error.message ?? 'pull failed'}${msg.error.code ? ` (${msg.error.code})` : ''}`);
      if (msg.status) onProgress(`${msg.id ? `${msg.id}: ` : ''}${msg.status}${msg.progress ? ` ${msg.progress}` : ''}`);
    }
  }
}

/** The images page. */
export function ImagesPage() {
  const perms = usePermissions();
  const qc = useQueryClient();
  const [host, setHost] = useHostParam('image.read');
  const [ref, setRef] = useState('');
  const [progress, setProgress] = useState('');
  const action = useAction();
  const base = host ? `/api/v1/hosts/${encodeURIComponent(host.id)}/images` : '';
  const q = useQuery({
    queryKey: ['images', host?.id],
    queryFn: ({ signal }) => api<{ images: Image[] }>(base, { signal }),
    enabled: host !== undefined,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['images', host?.id] });
  const mayPull = host !== undefined && perms.can('image.pull', host);
  const mayDelete = host !== undefined && perms.can('image.delete', host);
  const doPull = () => void action.run(async () => {
    if (!host) return;
    await pull(host.id, ref, setProgress);
    setProgress(`pulled ${ref}`);
    await refresh();
  });
  return (
    <Stack>
      <PageTitle right={mayDelete && <ConfirmButton question="Remove every dangling image on this host?" onConfirm={async () => { await api(`${base}/prune`, { method: 'POST' }); await refresh(); }}>Prune</ConfirmButton>}>
        Images
      </PageTitle>
      <Group align="flex-end">
        <HostSelect value={host?.id ?? null} onChange={setHost} />
        {mayPull && (
          <>
            <TextInput label="Pull image" placeholder="alpine:3.20" value={ref} onChange={(e) => setRef(e.currentTarget.value)} />
            <Button onClick={doPull} loading={action.busy} disabled={ref === ''}>Pull</Button>
          </>
        )}
      </Group>
      {progress && <Text size="sm" className="pc-mono pc-wrap">{progress}</Text>}
      <ErrorAlert error={action.error ?? q.error} />
      {q.isLoading && <Loading />}
      <Table striped data-testid="images-table">
        <Table.Thead><Table.Tr><Table.Th>Tags</Table.Th><Table.Th>Id</Table.Th><Table.Th>Size</Table.Th><Table.Th>Created</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {q.data?.images.map((img, i) => {
            const id = field<string>(img, 'Id', 'id') ?? String(i);
            const tags = field<string[]>(img, 'RepoTags', 'repoTags', 'tags') ?? [];
            return (
              <Table.Tr key={id}>
                <Table.Td className="pc-wrap">{tags.length ? tags.join(', ') : '<none>'}</Table.Td>
                <Table.Td className="pc-mono">{id.replace(/^sha256:/, '').slice(0, 12)}</Table.Td>
                <Table.Td>{formatBytes(field<number>(img, 'Size', 'size'))}</Table.Td>
                <Table.Td>{formatTime(field<number | string>(img, 'Created', 'created'))}</Table.Td>
                <Table.Td>
                  {mayDelete && (
                    <ConfirmButton question={`Remove image ${tags[0] ?? id}?`} onConfirm={async () => { await api(`${base}/${encodeURIComponent(id)}`, { method: 'DELETE' }); await refresh(); }}>
                      Remove
                    </ConfirmButton>
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
