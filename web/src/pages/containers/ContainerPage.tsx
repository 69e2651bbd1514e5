// One container: its state and the actions the user may run, then inspect, logs, live stats and (when allowed) a terminal.
import { Badge, Button, Group, Modal, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { lazy, Suspense, useState } from 'react';
import { api } from '../../api/client';
import { invalidateContainers, useHostIndex, useMe, usePermissions } from '../../api/queries';
import type { ContainerAction } from '../../api/types';
import { ConfirmButton, useAction } from '../../components/actions';
import { ErrorAlert, Loading, PageTitle, StateBadge } from '../../components/common';
import { ACTION_PERMISSION, containerPath, fitsState, runAction } from './actions';
import { InspectView, type Inspect } from './InspectView';
import { LogsView } from './LogsView';
import { StatsView } from './StatsView';

// xterm is large and only some users may open a terminal: it loads on first use.
const TerminalView = lazy(() => import('./TerminalView').then((m) => ({ default: m.TerminalView })));

const PLAIN: ContainerAction[] = ['start', 'stop', 'restart', 'pause', 'unpause'];

function Rename({ hostId, id, current, onDone }: { hostId: string; id: string; current: string; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(current);
  const action = useAction();
  const save = () => void action.run(async () => {
    await api(`${containerPath(hostId, id)}/rename`, { method: 'POST', body: { name } });
    setOpen(false);
    onDone();
  });
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpen(true)}>Rename</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Rename container" centered>
        <Stack>
          <TextInput label="New name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <ErrorAlert error={action.error} />
          <Button onClick={save} loading={action.busy}>Rename</Button>
        </Stack>
      </Modal>
    </>
  );
}

/** The container page. */
export function ContainerPage() {
  const { host: hostId, id } = useParams({ from: '/app/containers/$host/$id' });
  const { tab } = useSearch({ from: '/app/containers/$host/$id' });
  const navigate = useNavigate({ from: '/containers/$host/$id' });
  const perms = usePermissions();
  const host = useHostIndex().get(hostId);
  const qc = useQueryClient();
  const action = useAction();
  const q = useQuery({
    queryKey: ['container', hostId, id],
    queryFn: ({ signal }) => api<{ container: Inspect }>(containerPath(hostId, id), { signal }),
  });
  const c = q.data?.container;
  const state = c?.State?.Status ?? 'unknown';
  const name = (c?.Name ?? id).replace(/^\//, '');
  const may = (a: ContainerAction) => host !== undefined && perms.can(ACTION_PERMISSION[a], host);
  const execOffered = useMe().features?.exec === true;
  const mayExec = execOffered && host !== undefined && perms.can('container.exec', host);

  const act = (a: ContainerAction) => void action.run(async () => {
    await runAction({ hostId, id }, a);
    await Promise.all([qc.invalidateQueries({ queryKey: ['container', hostId, id] }), invalidateContainers(qc)]);
  });

  if (q.isLoading) return <Loading />;
  if (!c) return <ErrorAlert error={q.error ?? new Error('no such container')} />;
  return (
    <Stack gap="sm">
      <PageTitle right={<Link to="/containers">All containers</Link>}>
        <span className="pc-wrap" data-testid="container-name">{name}</span>
      </PageTitle>
      <Group gap="sm">
        <span data-testid="container-state"><StateBadge state={state} /></span>
        <Badge variant="outline">{host?.name ?? hostId}</Badge>
        <Text size="sm" c="dimmed" className="pc-wrap">{c.Config?.Image}</Text>
      </Group>
      <Group gap="xs" data-testid="container-actions">
        {PLAIN.filter((a) => may(a) && fitsState(a, state)).map((a) => (
          <Button key={a} size="xs" variant="light" loading={action.busy} onClick={() => act(a)} data-testid={`action-${a}`}>{a}</Button>
        ))}
        {may('kill') && fitsState('kill', state) && (
          <ConfirmButton question={`Kill ${name}?`} onConfirm={() => runAction({ hostId, id }, 'kill')} testId="action-kill">kill</ConfirmButton>
        )}
        {may('start') && <Rename hostId={hostId} id={id} current={name} onDone={() => void qc.invalidateQueries({ queryKey: ['container', hostId, id] })} />}
        {may('remove') && (
          <ConfirmButton question={`Remove ${name}${state === 'running' ? ' (it is running: it will be killed)' : ''}?`} testId="action-remove"
            onConfirm={async () => { await runAction({ hostId, id }, 'remove', { force: state === 'running' }); await invalidateContainers(qc); await navigate({ to: '/containers' }); }}>
            remove
          </ConfirmButton>
        )}
      </Group>
      <ErrorAlert error={action.error} />
      <Tabs value={tab ?? 'logs'} onChange={(v) => void navigate({ search: { tab: v ?? 'logs' }, replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="logs">Logs</Tabs.Tab>
          <Tabs.Tab value="stats">Stats</Tabs.Tab>
          <Tabs.Tab value="inspect">Inspect</Tabs.Tab>
          {mayExec && <Tabs.Tab value="terminal" data-testid="tab-terminal">Terminal</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="logs" pt="sm"><LogsView hostId={hostId} id={id} name={name} /></Tabs.Panel>
        <Tabs.Panel value="stats" pt="sm"><StatsView hostId={hostId} id={id} running={state === 'running'} /></Tabs.Panel>
        <Tabs.Panel value="inspect" pt="sm"><InspectView container={c} /></Tabs.Panel>
        {mayExec && (
          <Tabs.Panel value="terminal" pt="sm">
            <Suspense fallback={<Loading />}><TerminalView hostId={hostId} id={id} running={state === 'running'} /></Suspense>
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
