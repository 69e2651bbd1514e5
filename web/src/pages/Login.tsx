// Login page: username and password; a forced password change follows when the server asks for one.
import { Alert, Button, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api, apiUrl, errorText, setCsrfToken } from '../api/client';
import { meQuery } from '../api/queries';
import type { LoginAnswer } from '../api/types';
import { LoginSecondStep, RecoveryCodes, type SecondStep } from './LoginSecondStep';

/** The login form. */
export function LoginPage() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<SecondStep>();
  const [codes, setCodes] = useState<{ codes: string[]; next: LoginAnswer }>();
  // What the server offers besides passwords (single sign-on); a server without it answers 404 and shows none.
  const sso = useQuery({
    queryKey: ['sso'],
    queryFn: () => api<{ passwordLogin: string; oidc: { enabled: boolean; displayName?: string; loginUrl?: string } }>('/api/v1/auth/sso'),
    retry: false,
  });
  const oidc = sso.data?.oidc;

  const enter = async (r: LoginAnswer) => {
    setCsrfToken(r.csrfToken);
    qc.clear();
    await qc.fetchQuery({ ...meQuery, staleTime: 0 });
    await navigate({ to: r.mustChangePassword ? '/password' : '/' });
  };

  const afterSecondStep = async (r: LoginAnswer & { recoveryCodes?: string[] }) => {
    if (r.recoveryCodes?.length) setCodes({ codes: r.recoveryCodes, next: r });
    else await enter(r);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<LoginAnswer | SecondStep>('/api/v1/auth/login', { method: 'POST', body: { username, password } });
      setPassword('');
      if ('challenge' in r) setStep(r);
      else await enter(r);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pc-center">
      <Paper withBorder shadow="sm" p="xl" radius="md" className="pc-auth-card">
        {codes && <RecoveryCodes codes={codes.codes} onDone={() => void enter(codes.next)} />}
        {step && !codes && (
          <Stack>
            <Title order={2}>Two-factor authentication</Title>
            <LoginSecondStep step={step} onSession={afterSecondStep} />
          </Stack>
        )}
        {!step && (
          <form onSubmit={(e) => void submit(e)}>
            <Stack>
              <Title order={2}>Portcullis</Title>
              {error && <Alert color="red" data-testid="login-error">{error}</Alert>}
              <TextInput label="Username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
              <PasswordInput label="Password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
              <Button type="submit" loading={busy} data-testid="login-submit">Log in</Button>
              {oidc?.enabled && (
                <Button component="a" variant="default" href={oidc.loginUrl?.startsWith('/') ? oidc.loginUrl : apiUrl('/api/v1/auth/oidc/login')} data-testid="login-sso">
                  Log in with {oidc.displayName ?? 'single sign-on'}
                </Button>
              )}
            </Stack>
          </form>
        )}
      </Paper>
    </div>
  );
}
