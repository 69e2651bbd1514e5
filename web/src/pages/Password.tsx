// Password change page: forced after a first login (or an admin reset), and reachable from the account page.
import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api, errorText, setCsrfToken } from '../api/client';
import { meQuery } from '../api/queries';
import type { Me } from '../api/types';

/** The change-password form; the server ends every other session and rotates this one. */
export function PasswordForm({ username, onDone }: { username: string; onDone: () => void | Promise<void> }) {
  const qc = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) {
      setError('The two new passwords differ.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ csrfToken: string }>('/api/v1/auth/password', { method: 'POST', body: { current, next } });
      setCsrfToken(r.csrfToken);
      setCurrent('');
      setNext('');
      setAgain('');
      qc.setQueryData<Me | null>(['me'], (old) => (old ? { ...old, mustChangePassword: false, csrfToken: r.csrfToken, user: { ...old.user, mustChangePassword: false } } : old));
      await qc.invalidateQueries({ queryKey: meQuery.queryKey });
      await onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack>
        {/* For password managers: which account the new password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        {error && <Alert color="red" data-testid="password-error">{error}</Alert>}
        <PasswordInput label="Current password" name="current" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />
        <PasswordInput label="New password" name="next" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.currentTarget.value)} />
        <PasswordInput label="New password again" name="again" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.currentTarget.value)} />
        <Button type="submit" loading={busy} data-testid="password-submit">Change password</Button>
      </Stack>
    </form>
  );
}

/** The forced password change after login. */
export function PasswordPage() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = qc.getQueryData<Me | null>(['me']);
  const logout = async () => {
    await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    setCsrfToken(undefined);
    qc.setQueryData(['me'], null);
    await navigate({ to: '/login' });
  };
  return (
    <div className="pc-center">
      <Paper withBorder shadow="sm" p="xl" radius="md" className="pc-auth-card">
        <Stack>
          <Title order={2}>Choose a new password</Title>
          {me?.mustChangePassword && (
            <Text size="sm" data-testid="forced-change">
              Your password must be changed before you can continue. Every other session of {me.user.username} ends when you do.
            </Text>
          )}
          <PasswordForm username={me?.user.username ?? ''} onDone={() => navigate({ to: '/' })} />
          <Button variant="subtle" size="xs" onClick={() => void logout()}>Log out instead</Button>
        </Stack>
      </Paper>
    </div>
  );
}
