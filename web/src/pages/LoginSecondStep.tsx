// The second login step when the account has two-factor authentication: a TOTP or recovery code, or (when a role
// requires 2FA and none is set up yet) enrolment with a QR code first. Recovery codes from an enrolment are shown once.
import { Alert, Button, Code, Image, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, errorText } from '../api/client';
import type { LoginAnswer } from '../api/types';

/** What the password step answers instead of a session when a second step follows. */
export interface SecondStep {
  totpRequired: boolean;
  totpEnrolmentRequired: boolean;
  challenge: string;
  expiresAt: string;
}

interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrDataUrl: string;
}

/** The code form; calls `onSession` with the session answer (and any recovery codes to show once). */
export function LoginSecondStep({ step, onSession }: { step: SecondStep; onSession: (a: LoginAnswer & { recoveryCodes?: string[] }) => Promise<void> }) {
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const enrol = async () => {
    setError(undefined);
    try {
      setEnrolment(await api<Enrolment>('/api/v1/auth/login/2fa/enrol', { method: 'POST', body: { challenge: step.challenge } }));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = recovery ? { challenge: step.challenge, recoveryCode: code.trim() } : { challenge: step.challenge, code: code.trim() };
      await onSession(await api<LoginAnswer & { recoveryCodes?: string[] }>('/api/v1/auth/login/2fa', { method: 'POST', body }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (step.totpEnrolmentRequired && !enrolment) {
    return (
      <Stack>
        <Text size="sm">Your role requires two-factor authentication. Set up an authenticator app to continue.</Text>
        {error && <Alert color="red">{error}</Alert>}
        <Button onClick={() => void enrol()}>Set up two-factor authentication</Button>
      </Stack>
    );
  }
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack>
        {enrolment && (
          <>
            <Text size="sm">Scan this code with your authenticator app, or enter the secret by hand:</Text>
            <Image src={enrolment.qrDataUrl} alt="TOTP QR code" w={180} h={180} />
            <Code className="pc-secret">{enrolment.secret}</Code>
          </>
        )}
        {error && <Alert color="red" data-testid="second-step-error">{error}</Alert>}
        <TextInput label={recovery ? 'Recovery code' : 'Code from your authenticator app'} name="code" autoComplete="one-time-code"
          required value={code} onChange={(e) => setCode(e.currentTarget.value)} />
        <Button type="submit" loading={busy}>Verify</Button>
        {!enrolment && (
          <Button variant="subtle" size="xs" onClick={() => setRecovery((r) => !r)}>{recovery ? 'Use an app code' : 'Use a recovery code'}</Button>
        )}
      </Stack>
    </form>
  );
}

/** Recovery codes handed out by an enrolment, shown once before continuing. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Stack>
      <Text size="sm" fw={600}>Save these recovery codes. Each works once; they are shown only now.</Text>
      <Code block className="pc-secret" data-testid="recovery-codes">{codes.join('\n')}</Code>
      <Button onClick={onDone}>I saved them</Button>
    </Stack>
  );
}
