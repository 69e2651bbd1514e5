// Unit tests of target resolution (DOCKER_HOST parsing) and of DockerError mapping.
import { describe, expect, it } from 'vitest';
import { DockerError, httpError, transportError } from './errors.js';
import { optionsFromDockerHost, resolveTarget } from './target.js';

describe('optionsFromDockerHost', () => {
  it('uses /var/run/docker.sock when DOCKER_HOST is unset or empty', () => {
    expect(optionsFromDockerHost(undefined)).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(optionsFromDockerHost('  ')).toEqual({ socketPath: '/var/run/docker.sock' });
  });

  it('reads unix:// paths and tcp/https URLs', () => {
    expect(optionsFromDockerHost('unix:///run/user/1000/docker.sock')).toEqual({ socketPath: '/run/user/1000/docker.sock' });
    expect(optionsFromDockerHost('tcp://127.0.0.1:2375')).toEqual({ url: 'tcp://127.0.0.1:2375' });
    expect(optionsFromDockerHost('https://docker.example:2376')).toEqual({ url: 'https://docker.example:2376' });
  });

  it('refuses ssh:// and npipe:// with a DockerError that names the scheme', () => {
    expect(() => optionsFromDockerHost('ssh://me@host')).toThrow(/ssh:\/\/ is not supported/);
    expect(() => optionsFromDockerHost('npipe:////./pipe/docker_engine')).toThrow(DockerError);
  });
});

describe('resolveTarget', () => {
  it('maps tcp:// to plain HTTP on 2375 and to HTTPS on 2376 when TLS material is given', () => {
    expect(resolveTarget({ url: 'tcp://127.0.0.1' }).origin).toBe('http://127.0.0.1:2375');
    const t = resolveTarget({ url: 'tcp://127.0.0.1', tls: { ca: 'pem' } });
    expect(t.origin).toBe('https://127.0.0.1:2376');
    expect(t.tls).toEqual({ ca: 'pem' });
  });

  it('refuses a URL with credentials without echoing them', () => {
    let caught: unknown;
    try {
      resolveTarget({ url: 'tcp://admin:hunter2@127.0.0.1:2375' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DockerError);
    expect((caught as Error).message).not.toContain('hunter2');
    expect((caught as Error).message).not.toContain('admin');
  });

  it('refuses both socketPath and url at once', () => {
    expect(() => resolveTarget({ socketPath: '/a.sock', url: 'tcp://127.0.0.1:1' })).toThrow(/either socketPath or url/);
  });
});

describe('DockerError mapping', () => {
  it('takes the message of a daemon error from its JSON body and keeps the status', () => {
    const err = httpError('container.inspect', 404, Buffer.from('{"message":"No such container: abc"}'));
    expect(err).toMatchObject({ statusCode: 404, operation: 'container.inspect', message: 'No such container: abc' });
  });

  it('falls back to the text of a non-JSON error body, and to a generic message for an empty one', () => {
    expect(httpError('system.info', 502, 'Bad Gateway').message).toBe('Bad Gateway');
    expect(httpError('system.info', 500, '').message).toBe('Docker daemon answered HTTP 500 to system.info');
  });

  it('names the socket and the fix for ENOENT, ECONNREFUSED and EACCES', () => {
    const mk = (code: string) => transportError('system.ping', 'unix:///x.sock', Object.assign(new Error('connect failed'), { code }));
    expect(mk('ENOENT').message).toMatch(/^cannot reach Docker at unix:\/\/\/x\.sock \(ENOENT\): .*is dockerd running\?.*DOCKER_HOST/);
    expect(mk('ECONNREFUSED')).toMatchObject({ statusCode: 0, code: 'ECONNREFUSED' });
    expect(mk('EACCES').message).toMatch(/docker group/);
  });

  it('reads the code of an error wrapped in a cause chain', () => {
    const inner = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const outer = Object.assign(new Error('other side closed', { cause: inner }), { code: 'UND_ERR_SOCKET' });
    expect(transportError('x', 'tcp://h', outer).code).toBe('ECONNREFUSED');
  });
});
