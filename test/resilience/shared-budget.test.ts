// Why: the limiter was per instance, so three instances behind a load balancer sent three times
// Xurrent's limit and collected 429s. With REDIS_URL they draw on one budget (and one pause) in Redis.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { noFaults } from '../../src/simulators/common/server.js';
import { startSimulators, type RunningSimulator, type SimulatorSet } from '../../src/simulators/registry.js';
import { startRedis } from '../support/redis.js';
import { serveGateway, type GraphQLResponse } from '../support/stack.js';

const READ = `query($from: Date!) {
  timeEntries(first: 5, filter: { sources: [XURRENT], workDateFrom: $from }) { nodes { id } unavailableSources }
}`;
/** The most requests that arrived within any `windowMs` (importing rate-limit.test.ts would run its tests here). */
function busiestWindow(at: readonly number[], windowMs: number): number {
  const sorted = [...at].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}
const day = (i: number) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10);

let redis: Awaited<ReturnType<typeof startRedis>>;
let simulators: SimulatorSet;
let xurrent: RunningSimulator;
let gateways: Array<Awaited<ReturnType<typeof serveGateway>>>;

beforeAll(async () => {
  [redis, simulators] = await Promise.all([startRedis(), startSimulators({ unlimited: false })]);
  xurrent = simulators.get('XURRENT');
  const env = {
    ...simulators.env,
    REDIS_URL: redis.url,
    XURRENT_RATE_LIMIT: '20/2s,3600/1h',
    XURRENT_RETRY_BASE_MS: '10',
    XURRENT_RETRY_CAP_MS: '40',
  };
  gateways = await Promise.all([serveGateway(env), serveGateway(env), serveGateway(env)]);
  // Connections open, so the reads below measure the budget only (these three calls count in it).
  for (const [i, g] of gateways.entries()) expect((await g.gql(READ, { from: day(500 + i) })).errors).toBeUndefined();
}, 15_000);
afterAll(async () => {
  await Promise.all((gateways ?? []).map((g) => g.close()));
  await simulators?.close();
  await redis?.stop();
});

/** The errors of a read that did not get its data: each must be Xurrent's limit, with when to retry. */
function expectDataOrRateLimited(res: GraphQLResponse): void {
  for (const error of res.errors ?? []) {
    expect(error.extensions).toEqual(expect.objectContaining({ code: 'SOURCE_RATE_LIMITED', source: 'XURRENT', retryAfterMs: expect.any(Number) }));
  }
  if (!res.errors) expect(res.data.timeEntries.unavailableSources).toEqual([]);
}

it('three instances sharing Redis send Xurrent no more than 20 requests in any 2 s and get no 429', async () => {
  xurrent.requests.length = 0;
  // 60 distinct reads (one upstream call each, none coalesced), spread over the instances within 3 s
  const reads = Array.from({ length: 60 }, (_, i) =>
    new Promise((r) => setTimeout(r, i * 50)).then(() => gateways[i % 3].gql(READ, { from: day(i) })),
  );
  const results = await Promise.all(reads);
  const requests = xurrent.requests;
  expect(requests.filter((r) => r.status === 429)).toHaveLength(0);
  expect(busiestWindow(requests.map((r) => r.at), 2000)).toBeLessThanOrEqual(20);
  // the budget was used, by every instance: more than one instance's worth went upstream
  expect(requests.length).toBeGreaterThan(20);
  for (const res of results) expectDataOrRateLimited(res);
  expect(results.filter((r) => !r.errors).length).toBeGreaterThan(20);
}, 20_000);

it("a 429 with Retry-After: 2 seen by one instance keeps every instance off Xurrent for 2 s", async () => {
  xurrent.requests.length = 0;
  xurrent.faults = { ...noFaults(), failNext: 1, errorStatus: 429, retryAfter: '2' };
  const first = gateways[0].gql(READ, { from: day(100) });
  // wait for the 429 to be answered, and the pause it causes to reach Redis
  let refused = xurrent.requests.find((r) => r.status === 429);
  for (let n = 0; !refused && n < 200; n++) {
    await new Promise((r) => setTimeout(r, 20));
    refused = xurrent.requests.find((r) => r.status === 429);
  }
  expect(refused).toBeDefined();
  await new Promise((r) => setTimeout(r, 100));
  const others = await Promise.all([1, 2, 0].map((g, i) => gateways[g].gql(READ, { from: day(101 + i) })));
  expectDataOrRateLimited(await first);
  // the other instances waited out the pause and then read
  for (const res of others) expect(res.errors).toBeUndefined();
  const after = xurrent.requests.filter((r) => r !== refused);
  expect(after.length).toBeGreaterThanOrEqual(3);
  for (const r of after) expect(r.at - refused!.at).toBeGreaterThanOrEqual(1950);
}, 10_000);
