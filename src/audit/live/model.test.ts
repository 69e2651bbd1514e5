// Live-host model: inspect documents → services (bindings from HostConfig, namespaces, mounts) and /info → daemon facts.
import { describe, expect, it } from 'vitest';
import { containerService, daemonFacts } from './model.js';

const inspect = {
  Id: 'abc123', Name: '/proj-db-1', Image: 'sha256:1',
  State: { Status: 'running' },
  Config: { Image: 'postgres:16.4', User: '', Env: ['POSTGRES_PASSWORD=changeme', 'PATH=/bin'], Labels: { 'com.docker.compose.service': 'db', 'com.docker.compose.project.config_files': '/srv/app/compose.yaml,/srv/app/compose.override.yaml', 'com.docker.compose.depends_on': 'cache:service_started:false' } },
  HostConfig: {
    NetworkMode: 'proj_back', Privileged: false, PidMode: 'host', CapAdd: ['CAP_SYS_PTRACE'], CapDrop: null, SecurityOpt: ['no-new-privileges'],
    PortBindings: { '5432/tcp': [{ HostIp: '', HostPort: '' }, { HostIp: '::1', HostPort: '5433' }], '53/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }] },
    Memory: 0, NanoCpus: 1e9, PidsLimit: 100, ReadonlyRootfs: true, LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } }, RestartPolicy: { Name: 'unless-stopped' },
  },
  NetworkSettings: { Networks: { proj_back: { IPAddress: '172.20.0.2', NetworkID: 'ffeeddccbbaa99' } }, Ports: { '5432/tcp': [{ HostIp: '0.0.0.0', HostPort: '49153' }] } },
  Mounts: [{ Type: 'bind', Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock', RW: false, Propagation: 'rprivate' }],
};

describe('containerService', () => {
  const s = containerService(inspect);
  it('names the service after its compose labels and keeps the container identity', () => {
    expect(s).toMatchObject({ name: 'db', file: '/srv/app/compose.yaml', container: { id: 'abc123', name: 'proj-db-1', state: 'running', imageId: 'sha256:1' }, dependsOn: ['cache'] });
  });
  it('reads bindings from HostConfig, filling ephemeral ports from NetworkSettings', () => {
    expect(s.ports.map((p) => [p.hostIp, p.hostPort?.from, p.containerPort.from, p.protocol, p.raw])).toEqual([
      ['', 49153, 5432, 'tcp', '49153:5432/tcp'],
      ['::1', 5433, 5432, 'tcp', '[::1]:5433:5432/tcp'],
      ['0.0.0.0', 5353, 53, 'udp', '0.0.0.0:5353:53/udp'],
    ]);
  });
  it('reads namespaces, capabilities, limits, mounts, logging and environment', () => {
    expect(s.namespaces).toEqual({ pid: 'host' });
    expect(s.capAdd).toEqual(['SYS_PTRACE']);
    expect(s.limits).toEqual({ memory: false, cpus: true, pids: true });
    expect(s.mounts[0]).toMatchObject({ type: 'bind', source: '/var/run/docker.sock', readOnly: true });
    expect(s.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m' } });
    expect(s.environment[0]).toMatchObject({ key: 'POSTGRES_PASSWORD', value: 'changeme', literal: true });
    expect(s.readOnly).toBe(true);
    expect(s.user).toBeUndefined();
    expect(s.healthcheck).toBe('absent');
  });
});

describe('daemonFacts', () => {
  it('reads security options, insecure registries, swarm and the default bridge ICC', () => {
    const d = daemonFacts(
      { ServerVersion: '20.10.24', SecurityOptions: ['name=seccomp,profile=default'], Warnings: ['WARNING: bridge-nf-call-iptables is disabled'], Swarm: { LocalNodeState: 'active' }, RegistryConfig: { InsecureRegistryCIDRs: ['127.0.0.0/8', '10.0.0.0/8'], IndexConfigs: { 'reg.lan:5000': { Secure: false } } }, FirewallBackend: { Driver: 'nftables' } },
      [{ Name: 'bridge', Options: { 'com.docker.network.bridge.enable_icc': 'true' } }],
      {},
    );
    expect(d).toMatchObject({ serverVersion: '20.10.24', swarmActive: true, firewallBackend: 'nftables', defaultBridgeIcc: true });
    expect(d.insecureRegistries.sort()).toEqual(['10.0.0.0/8', '127.0.0.0/8', 'reg.lan:5000']);
  });
});
