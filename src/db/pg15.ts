// A throwaway cluster from system server binaries (ROWSCOPE_PG_BIN, e.g.
// /usr/lib/postgresql/15/bin), so CI can run the integration tests on the
// oldest PostgreSQL we support as well as on the embedded 18.
import { execFile, execFileSync } from 'node:child_process';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pickPort } from './port.ts';
import { once, tail, type StartedServer } from './server.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

// PostgreSQL refuses to run as root: as root, run its programs as `postgres`.
function asPostgres(file: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

async function ensurePostgresUser(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

export async function startPg15(binDir: string, log?: (line: string) => void): Promise<StartedServer> {
  const dir = await mkdtemp(join(tmpdir(), 'rowscope-pg15-'));
  const data = join(dir, 'data');
  const pgCtl = join(binDir, 'pg_ctl');
  const exec = async (file: string, args: string[]) => {
    const [cmd, argv] = asPostgres(file, args);
    const { stdout, stderr } = await run(cmd, argv);
    for (const line of `${stdout}${stderr}`.split('\n')) if (line.trim()) log?.(line);
  };
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    if (isRoot) {
      const { uid, gid } = await ensurePostgresUser();
      await chown(dir, uid, gid);
    }
    const port = await pickPort();
    // Trust on a loopback-only, throwaway cluster: nothing to protect, no password to carry around.
    await exec(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    // Same speed settings as the embedded test cluster; socket in our own dir.
    await appendFile(join(data, 'postgresql.conf'), [
      `port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${dir}'`,
      'fsync = off', 'synchronous_commit = off', 'full_page_writes = off', '',
    ].join('\n'));
    await exec(pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    // If this process dies without calling stop(), leave neither a server nor its files behind.
    const onExit = () => {
      try { execFileSync(...asPostgres(pgCtl, ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' }); } catch {}
      rmSync(dir, { recursive: true, force: true });
    };
    process.once('exit', onExit);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: once(async () => {
        process.off('exit', onExit);
        await exec(pgCtl, ['-D', data, '-m', 'immediate', 'stop']).catch(() => {});
        await remove();
      }),
    };
  } catch (error) {
    // initdb reports on stderr; a server that fails to start reports in its log.
    const why = tail(undefined, 50);
    why.write((error as { stderr?: string }).stderr || (error as Error).message);
    why.write(await readFile(join(dir, 'server.log'), 'utf8').catch(() => ''));
    await exec(pgCtl, ['-D', data, '-m', 'immediate', 'stop']).catch(() => {});
    await remove();
    throw new Error(`PostgreSQL from ${binDir} did not start: ${why.summary()}`);
  }
}
