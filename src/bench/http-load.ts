// The load generator of `rowscope bench --graphql` (src/bench/graphql.ts): N
// clients on keep-alive connections, each posting the same GraphQL document as
// soon as its previous answer is in, for a fixed time. It runs in a worker
// thread so that its event loop is not the server's: the servers under test
// keep the main thread to themselves (the cores are still shared, as on any
// machine where the client runs next to the server).
import { Worker } from 'node:worker_threads';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  clients: number;
  seconds: number;
}

export interface LoadResult {
  /** answers with status 200 and no `errors` */
  ok: number;
  failed: number;
  seconds: number;
  /** the first answer's body (for comparing servers) and the first failure, if any */
  sample: string | null;
  firstFailure: string | null;
}

// Plain JavaScript (a worker evaluates it as is): one loop per client.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, headers, body, clients, seconds } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const target = new URL(url);
const payload = Buffer.from(body);
const options = { agent, method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname,
  headers: { ...headers, 'content-type': 'application/json', 'content-length': payload.length } };
let ok = 0, failed = 0, sample = null, firstFailure = null;
const deadline = performance.now() + seconds * 1000;
function one() {
  return new Promise((resolve) => {
    const req = http.request(options, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200 && !text.includes('"errors"')) { ok++; sample ??= text; }
        else { failed++; firstFailure ??= res.statusCode + ' ' + text.slice(0, 300); }
        resolve();
      });
    });
    req.on('error', (e) => { failed++; firstFailure ??= String(e); resolve(); });
    req.end(payload);
  });
}
async function client() { while (performance.now() < deadline) await one(); }
const started = performance.now();
Promise.all(Array.from({ length: clients }, client)).then(() => {
  agent.destroy();
  parentPort.postMessage({ ok, failed, seconds: (performance.now() - started) / 1000, sample, firstFailure });
});
`;

/** Runs the load in a worker thread and resolves with what it counted. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: spec });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`rowscope bench: the GraphQL load generator exited with ${code}`));
    });
  });
}
