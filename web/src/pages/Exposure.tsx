// A host's exposure report (the auditor run on the live host by the server): score, counts, and every finding with its reachability.
import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { api } from '../api/client';
import { useHostIndex } from '../api/queries';
import { ErrorAlert, Loading, PageTitle } from '../components/common';
import { exposureScore, scoreColor, SEVERITY_ORDER, type ExposureReport, type Severity } from '../lib/exposure';

const SEVERITY_COLOR: Record<Severity, string> = { critical: 'red', high: 'orange', medium: 'yellow', low: 'blue', info: 'gray' };

/** The query of one host's report (shared with the dashboard's score badge). */
export function exposureQuery(hostId: string) {
  return {
    queryKey: ['exposure', hostId],
    queryFn: ({ signal }: { signal: AbortSignal }) => api<ExposureReport>(`/api/v1/hosts/${encodeURIComponent(hostId)}/exposure`, { signal }),
    staleTime: 5 * 60_000,
    retry: false,
  };
}

/** The score as a badge linking to the report. */
export function ExposureBadge({ hostId }: { hostId: string }) {
  const q = useQuery(exposureQuery(hostId));
  if (q.isLoading) return <Badge variant="outline" color="gray">exposure…</Badge>;
  if (!q.data) return <Badge variant="outline" color="gray" title="the exposure report could not be made">exposure ?</Badge>;
  const score = exposureScore(q.data.summary);
  return (
    <Link to="/hosts/$host/exposure" params={{ host: hostId }} data-testid="exposure-score">
      <Badge variant="light" color={scoreColor(score)}>exposure {score}/100</Badge>
    </Link>
  );
}

/** The exposure page of one host. */
export function ExposurePage() {
  const { host } = useParams({ from: '/app/hosts/$host/exposure' });
  const h = useHostIndex().get(host);
  const q = useQuery(exposureQuery(host));
  const report = q.data;
  const open = (report?.findings ?? []).filter((f) => !f.suppressed)
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  const score = report ? exposureScore(report.summary) : undefined;
  return (
    <Stack>
      <PageTitle>Exposure of {h?.name ?? host}</PageTitle>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loading />}
      {report && score !== undefined && (
        <Card withBorder padding="sm">
          <Group gap="md">
            <Title order={3} data-testid="exposure-page-score"><Badge size="xl" color={scoreColor(score)}>{score}/100</Badge></Title>
            {SEVERITY_ORDER.map((s) => <Badge key={s} variant="outline" color={SEVERITY_COLOR[s]} data-testid={`exposure-count-${s}`}>{s}: {report.summary[s]}</Badge>)}
            <Text size="sm" c="dimmed">{report.rulesRun} rules · {report.summary.suppressed} suppressed · firewall: {report.target.host?.firewallBackend ?? 'not assessed'}</Text>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>Score: 100 minus 25 per critical, 10 per high, 3 per medium and 1 per low open finding. Reachability without a firewall snapshot is judged by the bind address only; run `portcullis audit host --firewall` on the host for the full verdict.</Text>
          {report.errors.map((e, i) => <Text key={i} c="red" size="sm" className="pc-wrap">{e.message}</Text>)}
        </Card>
      )}
      {report && open.length === 0 && <Text className="pc-empty">No open findings.</Text>}
      {open.length > 0 && (
        <Table striped data-testid="exposure-findings">
          <Table.Thead><Table.Tr><Table.Th>Severity</Table.Th><Table.Th>Rule</Table.Th><Table.Th>Where</Table.Th><Table.Th>Finding</Table.Th><Table.Th>Reachability</Table.Th><Table.Th>Fix</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {open.map((f) => (
              <Table.Tr key={f.id} data-rule={f.ruleId}>
                <Table.Td><Badge color={SEVERITY_COLOR[f.severity]}>{f.severity}</Badge></Table.Td>
                <Table.Td>{f.ruleId}</Table.Td>
                <Table.Td className="pc-wrap">{f.location?.container?.name ?? f.location?.service ?? '–'}</Table.Td>
                <Table.Td className="pc-wrap"><b>{f.title}</b><br />{f.message}</Table.Td>
                <Table.Td className="pc-wrap">{f.reachability ? `${f.reachability.verdict} (${f.reachability.decidedBy})` : '–'}</Table.Td>
                <Table.Td className="pc-wrap">{f.remediation}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
