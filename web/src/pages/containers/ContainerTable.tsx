// The cross-host containers table: a windowed list with selection and a start/stop button per row where allowed.
import { Checkbox, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { memo, useCallback, type MouseEvent } from 'react';
import { BASE_PATH } from '../../api/client';
import type { Container, ContainerAction } from '../../api/types';
import { formatTime } from '../../components/common';
import { VirtualList } from '../../components/VirtualList';

/** Row height in pixels (2.25rem in styles.css). */
export const ROW_HEIGHT = 36;

export const keyOf = (c: Pick<Container, 'hostId' | 'id'>): string => `${c.hostId}/${c.id}`;

interface Props {
  containers: Container[];
  selected: ReadonlySet<string>;
  onToggle: (key: string) => void;
  onToggleAll: () => void;
  /** Whether the user may run `action` on the container's host (undefined: no row actions). */
  allowed: (c: Container, action: ContainerAction) => boolean;
  selectable: boolean;
  onAction: (c: Container, action: ContainerAction) => void;
  busy: ReadonlySet<string>;
}

// Rows are plain elements, not Mantine components: a row is rendered each time it scrolls into view, and
// per-row floating tooltips and themed wrappers cost more than the whole frame budget at a few rows per frame.
const Row = memo(function Row({ c, checked, selectable, onToggle, canStart, canStop, onAction, busy, onOpen }: {
  c: Container; checked: boolean; selectable: boolean; onToggle: (k: string) => void; canStart: boolean; canStop: boolean;
  onAction: (c: Container, a: ContainerAction) => void; busy: boolean; onOpen: (e: MouseEvent, c: Container) => void;
}) {
  const running = c.state === 'running' || c.state === 'restarting';
  const action: ContainerAction | undefined = running ? (canStop ? 'stop' : undefined) : c.state !== 'paused' && canStart ? 'start' : undefined;
  return (
    <>
      <div className="vt-cell">
        {selectable && <input type="checkbox" className="vt-check" checked={checked} onChange={() => onToggle(keyOf(c))} aria-label={`select ${c.name}`} />}
      </div>
      <div className="vt-cell">
        <a href={`${BASE_PATH}/containers/${encodeURIComponent(c.hostId)}/${encodeURIComponent(c.id)}`} onClick={(e) => onOpen(e, c)} title={c.name} data-testid="container-link">{c.name}</a>
      </div>
      <div className="vt-cell"><span className="vt-state" data-state={c.state}>{c.state}</span></div>
      <div className="vt-cell">
        {action && (
          <button type="button" className={`vt-act vt-act-${action}`} disabled={busy} onClick={() => onAction(c, action)}
            title={action === 'stop' ? 'Stop' : 'Start'} aria-label={`${action} ${c.name}`} data-testid={`row-${action}`}>
            {busy ? '…' : action === 'stop' ? '■' : '▶'}
          </button>
        )}
      </div>
      <div className="vt-cell" title={c.image}>{c.image}</div>
      <div className="vt-cell vt-small">{c.hostName}</div>
      <div className="vt-cell vt-small vt-dim" title={c.status}>{c.status || formatTime(c.created)}</div>
    </>
  );
});

/** The table. */
export function ContainerTable({ containers, selected, onToggle, onToggleAll, allowed, selectable, onAction, busy }: Props) {
  const all = containers.length > 0 && containers.every((c) => selected.has(keyOf(c)));
  const navigate = useNavigate();
  // One handler for every row's link (a router <Link> per row costs more than the row itself when scrolling).
  const onOpen = useCallback((e: MouseEvent, c: Container) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void navigate({ to: '/containers/$host/$id', params: { host: c.hostId, id: c.id } });
  }, [navigate]);
  return (
    <div className="vt" role="table" aria-rowcount={containers.length + 1} data-testid="containers-table">
      <div className="vt-head vt-containers" role="row">
        <div className="vt-cell">{selectable && <Checkbox size="xs" checked={all} indeterminate={!all && selected.size > 0} onChange={onToggleAll} aria-label="select all" />}</div>
        <div className="vt-cell">Name</div>
        <div className="vt-cell">State</div>
        <div className="vt-cell" />
        <div className="vt-cell">Image</div>
        <div className="vt-cell">Host</div>
        <div className="vt-cell">Status</div>
      </div>
      <VirtualList
        items={containers}
        rowHeight={ROW_HEIGHT}
        rowKey={keyOf}
        rowClassName="vt-row vt-containers"
        testId="containers-body"
        rowProps={(c) => ({ 'data-selected': String(selected.has(keyOf(c))), 'data-name': c.name, 'data-state': c.state })}
        renderRow={(c) => (
          <Row c={c} checked={selected.has(keyOf(c))} selectable={selectable} onToggle={onToggle}
            canStart={allowed(c, 'start')} canStop={allowed(c, 'stop')} onAction={onAction} busy={busy.has(keyOf(c))} onOpen={onOpen} />
        )}
      />
      {containers.length === 0 && <Text className="pc-empty" px="sm">No containers match.</Text>}
    </div>
  );
}
