// The logs tab: tail, server-side search, follow over WebSocket, download, ANSI colours as classes (never HTML).
import { Button, Group, Select, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api, apiRaw, saveBlob, wsUrl } from '../../api/client';
import type { LogLine } from '../../api/types';
import { ErrorAlert } from '../../components/common';
import { parseAnsi } from '../../lib/ansi';
import { containerPath } from './actions';

/** Most lines kept on screen while following (older ones scroll away). */
export const MAX_LINES = 2000;

const Line = memo(function Line({ line, timestamps }: { line: LogLine; timestamps: boolean }) {
  return (
    <div className="pc-log-line" data-stream={line.stream}>
      {timestamps && line.time && <span className="pc-log-time">{line.time}</span>}
      {parseAnsi(line.text).map((s, i) => (s.classes ? <span key={i} className={s.classes}>{s.text}</span> : <span key={i}>{s.text}</span>))}
    </div>
  );
});

function useFollow(path: string, enabled: boolean, tail: string, search: string) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<string>();
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    setLines([]);
    setError(undefined);
    setEnded(false);
    const ws = new WebSocket(wsUrl(`${path}/logs/follow`, { tail, search: search || undefined }));
    let pending: LogLine[] = [];
    let frame = 0;
    // Lines arrive in bursts; one state update per animation frame keeps a chatty container from freezing the page.
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      setLines((old) => [...old, ...batch].slice(-MAX_LINES));
    };
    ws.onmessage = (ev: MessageEvent<unknown>) => {
      if (typeof ev.data !== 'string') return;
      const msg = JSON.parse(ev.data) as { type: string; stream?: LogLine['stream']; text?: string; time?: string; message?: string; code?: string };
      if (msg.type === 'line') {
        pending.push({ stream: msg.stream ?? 'stdout', text: msg.text ?? '', ...(msg.time ? { time: msg.time } : {}) });
        if (!frame) frame = requestAnimationFrame(flush);
      } else if (msg.type === 'error') setError(`${msg.message ?? 'error'} (${msg.code ?? ''})`);
      else if (msg.type === 'end') setEnded(true);
    };
    ws.onclose = (ev) => {
      setEnded(true);
      if (ev.code !== 1000 && ev.code !== 1005 && ev.reason) setError(ev.reason);
    };
    ws.onerror = () => setError('the log stream could not be opened');
    return () => {
      cancelAnimationFrame(frame);
      ws.onclose = null;
      ws.close();
    };
  }, [path, enabled, tail, search]);
  return { lines, error, ended };
}

/** The logs tab. */
export function LogsView({ hostId, id, name }: { hostId: string; id: string; name: string }) {
  const path = containerPath(hostId, id);
  const [follow, setFollow] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [tail, setTail] = useState('500');
  const [searchInput, setSearchInput] = useState('');
  const [search] = useDebouncedValue(searchInput, 300);
  const [downloadError, setDownloadError] = useState<unknown>();
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  const once = useQuery({
    queryKey: ['logs', hostId, id, tail, search],
    queryFn: ({ signal }) => api<{ lines: LogLine[] }>(`${path}/logs`, { query: { tail, search: search || undefined, timestamps: 1 }, signal }),
    enabled: !follow,
  });
  const live = useFollow(path, follow, follow ? '100' : tail, search);
  const lines = follow ? live.lines : (once.data?.lines ?? []);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const download = async () => {
    setDownloadError(undefined);
    try {
      const res = await apiRaw(`${path}/logs`, { query: { download: 1, timestamps: 1 } });
      saveBlob(await res.blob(), `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
    } catch (err) {
      setDownloadError(err);
    }
  };

  return (
    <div>
      <Group gap="sm" mb="xs" align="flex-end">
        <Switch label="Follow" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} data-testid="logs-follow" />
        <Switch label="Timestamps" checked={timestamps} onChange={(e) => setTimestamps(e.currentTarget.checked)} />
        <Select size="xs" w={110} label="Tail" data={['100', '500', '2000', 'all']} value={tail} onChange={(v) => setTail(v ?? '500')} allowDeselect={false} />
        <TextInput size="xs" label="Search" placeholder="text in the line" value={searchInput} onChange={(e) => setSearchInput(e.currentTarget.value)} data-testid="logs-search" />
        <Button size="xs" variant="default" onClick={() => void download()} data-testid="logs-download">Download</Button>
        <Text size="xs" c="dimmed" data-testid="logs-count">{lines.length} lines{follow ? (live.ended ? ' · stream ended' : ' · following') : ''}</Text>
      </Group>
      <ErrorAlert error={once.error ?? downloadError ?? (live.error ? new Error(live.error) : undefined)} />
      <div className="pc-logs" ref={box} data-testid="logs"
        onScroll={(e) => { const el = e.currentTarget; atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24; }}>
        {lines.map((l, i) => <Line key={i} line={l} timestamps={timestamps} />)}
      </div>
    </div>
  );
}
