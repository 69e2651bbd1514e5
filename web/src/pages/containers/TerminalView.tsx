// The exec terminal (xterm.js over WS …/exec): only offered with container.exec, and only works when the server enables exec.
import '@xterm/xterm/css/xterm.css';
import { Button, Group, Text } from '@mantine/core';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { wsUrl } from '../../api/client';
import { installCspSafeDocument } from '../../lib/csp-document';
import { containerPath } from './actions';

/** Character cell size used to fit the terminal to its box (monospace at 13px). */
const CELL_W = 7.8;
const CELL_H = 17;

/** The terminal tab. */
export function TerminalView({ hostId, id, running }: { hostId: string; id: string; running: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const [session, setSession] = useState(0);
  const [status, setStatus] = useState('connecting');
  useEffect(() => {
    const el = box.current;
    if (!el || !running || session === 0) return;
    // Under the strict CSP xterm's own <style> elements and style attributes would be refused (see csp-document.ts).
    const uninstall = installCspSafeDocument(document);
    const term = new Terminal({ fontSize: 13, cursorBlink: true, convertEol: false, scrollback: 2000 });
    term.open(el);
    const fit = () => {
      const cols = Math.max(20, Math.floor((el.clientWidth - 8) / CELL_W));
      const rows = Math.max(5, Math.floor((el.clientHeight - 8) / CELL_H));
      term.resize(cols, rows);
      return { cols, rows };
    };
    const size = fit();
    const ws = new WebSocket(wsUrl(`${containerPath(hostId, id)}/exec`, { cmd: 'sh', tty: 1 }));
    const send = (msg: unknown) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(msg));
    ws.onopen = () => {
      setStatus('connected');
      send({ type: 'resize', ...size });
      term.focus();
    };
    ws.onmessage = (ev: MessageEvent<unknown>) => {
      if (typeof ev.data !== 'string') return;
      const msg = JSON.parse(ev.data) as { type: string; data?: string; code?: number | string; message?: string };
      if (msg.type === 'output' && msg.data !== undefined) term.write(msg.data);
      else if (msg.type === 'exit') setStatus(`exited with code ${String(msg.code ?? '?')}`);
      else if (msg.type === 'error') setStatus(`refused: ${msg.message ?? ''} (${String(msg.code ?? '')})`);
    };
    ws.onclose = (ev) => setStatus((s) => (s === 'connecting' ? `could not open a terminal${ev.reason ? `: ${ev.reason}` : ' (is exec enabled on the server? PORTCULLIS_EXEC_ENABLED)'}` : s.startsWith('connected') ? 'closed' : s));
    const input = term.onData((data) => send({ type: 'input', data }));
    const ro = new ResizeObserver(() => send({ type: 'resize', ...fit() }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      input.dispose();
      ws.close();
      term.dispose();
      uninstall();
    };
  }, [hostId, id, running, session]);

  if (!running) return <Text className="pc-empty">Start the container to open a terminal.</Text>;
  return (
    <div>
      <Group gap="sm" mb="xs">
        <Button size="xs" onClick={() => { setStatus('connecting'); setSession((n) => n + 1); }} data-testid="terminal-open">
          {session === 0 ? 'Open terminal (sh)' : 'Reconnect'}
        </Button>
        {session > 0 && <Text size="sm" c="dimmed" data-testid="terminal-status">{status}</Text>}
        <Text size="xs" c="dimmed">Every command session is recorded in the audit log.</Text>
      </Group>
      <div className="pc-terminal" ref={box} data-testid="terminal" />
    </div>
  );
}
