/**
 * What the conformance kit drives a backend with: its registered simulator, an adapter made from the
 * backend's own registration, gateways over loopback, and a raw GraphQL client (the leak checks read
 * the whole answer, headers included).
 */
import { GraphQLEnumType } from 'graphql';
import { request } from 'undici';
import { vi } from 'vitest';
import type { EntryBatch, EntryModel, ListRequest, SourceAdapter, TimeEntrySort } from '../../src/core/contract.js';
import { frontierChecker } from '../../src/core/contract-checks.js';
import { createGateway, listen } from '../../src/server/gateway.js';
import { getSchema } from '../../src/server/schema.js';
import { loadSimulators, type RunningSimulator, type SimulatorStartOptions } from '../../src/simulators/registry.js';
import { SOURCES, type RegisteredSource } from '../../src/sources/registry.js';

/** Every value of `enum TimeEntrySort`, from the schema. */
export const SORTS: readonly TimeEntrySort[] = (getSchema().getType('TimeEntrySort') as GraphQLEnumType).getValues().map((v) => v.name as TimeEntrySort);

/**
 * Gateway settings for every registered backend that keep the kit fast and exact: no client-side
 * rate limit (the simulators run unlimited), short retries, no retry where `retries` is 0.
 */
export function kitEnv(options: { retries?: number } = {}): Record<string, string> {
  return Object.fromEntries(
    SOURCES.flatMap(({ source: p }) => [
      [`${p}_RATE_LIMIT`, 'off'],
      [`${p}_RETRY_BASE_MS`, '5'],
      [`${p}_RETRY_CAP_MS`, '20'],
      [`${p}_BREAKER_FAILURES`, '1000'],
      // Everything the gateway can log is logged, so the leak checks read all of it.
      ['LOG_LEVEL', 'debug'],
      ...(options.retries === undefined ? [] : [[`${p}_MAX_RETRIES`, String(options.retries)]]),
    ]),
  );
}

/** Starts the registered simulator of `source` alone. */
export async function startSimulatorOf(source: RegisteredSource, options: SimulatorStartOptions = {}): Promise<RunningSimulator> {
  const definition = (await loadSimulators()).find((d) => d.source === source.source);
  if (!definition) throw new Error(`no simulator is registered for ${source.source}`);
  return definition.start({ unlimited: true, ...options });
}

/** An adapter made the way the gateway makes it: from the backend's registration and an environment. */
export function adapterOf(source: RegisteredSource, env: Record<string, string>): SourceAdapter {
  const create = source.adapterFromEnv(env);
  if (!create) throw new Error(`${source.source} is disabled by its simulator's environment`);
  return create();
}

/** Walks `list()` to its end, checking every batch against the frontier contract. */
export async function walk(adapter: SourceAdapter, request: Partial<ListRequest> & Pick<ListRequest, 'sort'>): Promise<{ entries: EntryModel[]; batches: EntryBatch[] }> {
  const check = frontierChecker(adapter.source, request.sort, adapter.pushdown);
  const batches: EntryBatch[] = [];
  for await (const batch of adapter.list({ filter: { includeDeleted: false }, limit: 50, ...request })) {
    check(batch);
    batches.push(batch);
  }
  return { entries: batches.flatMap((b) => b.entries), batches };
}

export interface RawAnswer {
  status: number;
  /** Status line, headers and body: everything a client could read. */
  text: string;
  json: any;
}

/** A gateway configured by `env` on a free loopback port, with a GraphQL client that keeps the raw answers. */
export async function startKitGateway(env: Record<string, string>) {
  const served = await listen(createGateway({ env }), 0);
  const answers: RawAnswer[] = [];
  async function gql(query: string, variables?: Record<string, unknown>): Promise<RawAnswer> {
    const res = await request(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.body.text();
    const answer = { status: res.statusCode, text: `${res.statusCode} ${JSON.stringify(res.headers)}\n${body}`, json: JSON.parse(body) };
    answers.push(answer);
    return answer;
  }
  return { url: served.url, gql, answers, close: served.close };
}
export type KitGateway = Awaited<ReturnType<typeof startKitGateway>>;

/**
 * Collects what the gateway logs (console and the process's own streams) until `restore()`, instead
 * of printing it: the kit's leak checks read it, and the expected failures do not clutter the run.
 */
export function captureLogs(): { text(): string; restore(): void } {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message}\n${a.stack}` : safeJson(a))).join(' '));
  const spies = (['log', 'debug', 'info', 'warn', 'error'] as const).map((level) => vi.spyOn(console, level).mockImplementation(keep));
  const writes = ([process.stdout, process.stderr] as const).map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write),
  );
  return {
    text: () => lines.join('\n'),
    restore: () => [...spies, ...writes].forEach((spy) => spy.mockRestore()),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `extensions` of every error of an answer. */
export const errorCodes = (answer: RawAnswer): Array<{ code?: string; source?: string }> =>
  ((answer.json.errors ?? []) as Array<{ extensions?: { code?: string; source?: string } }>).map((e) => ({ code: e.extensions?.code, source: e.extensions?.source }));
