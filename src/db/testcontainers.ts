// PostgreSQL in Docker via testcontainers, for test runs on machines with a
// Docker engine. The probe below is plain HTTP so that machines without one
// (including CI here) pay a few stat() calls, not the testcontainers import.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { once, type StartedServer } from './server.ts';

const IMAGE = 'postgres:18-alpine';

/** Where a Docker engine may answer: DOCKER_HOST, else the usual socket paths. */
function dockerEndpoint(): { socketPath: string } | { host: string; port: number } | undefined {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost?.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  if (dockerHost?.startsWith('tcp://')) {
    const u = new URL(dockerHost.replace('tcp://', 'http://'));
    return { host: u.hostname, port: Number(u.port || 2375) };
  }
  const candidates = [
    '/var/run/docker.sock',
    process.env.XDG_RUNTIME_DIR && join(process.env.XDG_RUNTIME_DIR, 'docker.sock'),
    join(homedir(), '.docker', 'run', 'docker.sock'),
    join(homedir(), '.docker', 'desktop', 'docker.sock'),
  ];
  const socketPath = candidates.find((p): p is string => !!p && existsSync(p));
  return socketPath ? { socketPath } : undefined;
}

/**
 * True when a Docker engine answers `GET /_ping` within `timeoutMs`. No
 * endpoint → false at once; a dead socket or a silent host → false on
 * error or timeout. (A TLS-only DOCKER_HOST is not probed: false.)
 */
export function dockerAnswers(timeoutMs = 1500): Promise<boolean> {
  const endpoint = dockerEndpoint();
  if (!endpoint) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Starts a PostgreSQL container; testcontainers' reaper removes it if we die. */
export async function startContainer(log?: (line: string) => void): Promise<StartedServer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  log?.(`starting ${IMAGE} with testcontainers`);
  const container = await new PostgreSqlContainer(IMAGE)
    .withDatabase('postgres')
    .withUsername('postgres')
    .withPassword('postgres')
    // Same speed settings as the embedded test cluster.
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    .start();
  return { url: container.getConnectionUri(), stop: once(async () => void (await container.stop())) };
}
