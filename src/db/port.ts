// Which TCP port a local PostgreSQL we start should listen on.
import { createServer } from 'node:net';

/**
 * `ROWSCOPE_PG_PORT` when set (a fixed port, e.g. to connect a GUI client);
 * otherwise a port the OS reports free: bind port 0 on 127.0.0.1, read what
 * was assigned, release it. Another process could grab it before PostgreSQL
 * does; that race is rare and shows up as a clear "could not bind" failure.
 */
export async function pickPort(): Promise<number> {
  const fixed = process.env.ROWSCOPE_PG_PORT;
  if (fixed) {
    const port = Number(fixed);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`ROWSCOPE_PG_PORT is not a port number: ${fixed}`);
    return port;
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free TCP port'))));
    });
  });
}
