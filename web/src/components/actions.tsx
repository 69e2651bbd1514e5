// Running one API write from a button: busy state, the server's refusal shown next to the button, refetch after.
import { Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from './common';

/** State of one running action: call `run` with the work; `error` holds the API's refusal until the next run. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await work();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(undefined) };
}

interface ConfirmProps extends Omit<ButtonProps, 'onClick'> {
  /** What the dialog asks. */
  question: ReactNode;
  onConfirm: () => Promise<unknown>;
  children: ReactNode;
  testId?: string;
}

/** A button that asks before it acts (remove, revoke, rotate); the refusal of the server is shown in the dialog. */
export function ConfirmButton({ question, onConfirm, children, testId, ...button }: ConfirmProps) {
  const [open, setOpen] = useState(false);
  const action = useAction();
  const confirm = async () => {
    const ok = await action.run(async () => {
      await onConfirm();
      return true;
    });
    if (ok) setOpen(false);
  };
  return (
    <>
      <Button size="xs" variant="light" color="red" {...button} onClick={() => { action.clear(); setOpen(true); }} data-testid={testId}>
        {children}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Please confirm" centered>
        <Stack>
          <Text className="pc-wrap">{question}</Text>
          <ErrorAlert error={action.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>Cancel</Button>
            <Button color="red" loading={action.busy} onClick={() => void confirm()} data-testid="confirm">Confirm</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** A secret shown exactly once (agent token, API token) with a copy button and a warning. */
export function ShownOnce({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>{label}</Text>
      <Text className="pc-secret" size="sm" data-testid={testId}>{value}</Text>
      <Group gap="xs">
        <Button size="xs" variant="light" onClick={() => void navigator.clipboard.writeText(value).then(() => setCopied(true), () => setCopied(false))}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Text size="xs" c="dimmed">Shown once: it cannot be displayed again.</Text>
      </Group>
    </Stack>
  );
}
