/** Starts real federation routers as child processes on loopback and waits until they answer. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@theguild/federation-composition';
import type { DocumentNode } from 'graphql';
import { request } from 'undici';

export interface Router {
  name: string;
  url: string;
  close: () => Promise<void>;
}

export interface Subgraph {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

const HIVE = fileURLToPath(new URL('../../../node_modules/@graphql-hive/gateway/dist/bin.js', import.meta.url));
const APOLLO = fileURLToPath(new URL('./apollo-gateway.ts', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `{ __typename }` until the router answers 200 (routers compose before they serve). */
async function waitUntilServing(url: string, child: ChildProcess, log: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`router exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      await res.body.text();
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`router at ${url} did not serve within ${timeoutMs} ms:\n${log()}`);
}

function track(child: ChildProcess) {
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return () => output.slice(-4000);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/** Hive Gateway serving a supergraph composed here with @theguild/federation-composition. */
export async function startHiveGateway(subgraphs: Subgraph[]): Promise<Router> {
  const composed = composeServices(subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs })));
  if (composed.errors?.length) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  // Hive Gateway reads a gateway config from its working directory: give it an empty one of its own.
  const dir = mkdtempSync(join(tmpdir(), 'timegraph-hive-'));
  writeFileSync(join(dir, 'supergraph.graphql'), composed.supergraphSdl!);
  const port = await freePort();
  const child = spawn(process.execPath, [HIVE, 'supergraph', join(dir, 'supergraph.graphql'), '--host', '127.0.0.1', '--port', String(port)], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = track(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitUntilServing(url, child, log);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { name: 'Hive Gateway', url, close: async () => { await stop(child); rmSync(dir, { recursive: true, force: true }); } };
}

/** Apollo Gateway (IntrospectAndCompose) with Apollo Server, in its own process. */
export async function startApolloGateway(subgraphs: Subgraph[]): Promise<Router> {
  const child = spawn(process.execPath, ['--import', 'tsx', APOLLO], {
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true', SUBGRAPHS: JSON.stringify(subgraphs.map(({ name, url }) => ({ name, url }))) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = track(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Apollo Gateway did not start:\n${log()}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /READY (\S+)/.exec(log());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`Apollo Gateway exited (${code}):\n${log()}`)));
  }).catch(async (error) => {
    await stop(child);
    throw error;
  });
  await waitUntilServing(url, child, log);
  return { name: 'Apollo Gateway', url, close: () => stop(child) };
}

