// Platform teams put TimeGraph behind a federation router beside their own subgraphs: real routers
// (Hive Gateway, Apollo Gateway) as separate processes compose it with an approvals subgraph, and
// queries run in both directions over 50 entries with the upstream calls counted.
import { parse } from 'graphql';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { approvalOf, approvalsTypeDefs, startApprovals } from './support/approvals.js';
import { startApolloGateway, startHiveGateway, type Router, type Subgraph } from './support/routers.js';

let stack: Stack;
let approvals: Awaited<ReturnType<typeof startApprovals>>;
let ids: string[] = [];
const routers: Record<string, Router> = {};

const ENTRIES = `query RouterEntries { timeEntries(first: 50) { nodes { id source duration { minutes } approval { status } } } }`;
const PENDING = `query RouterPending { pendingApprovals { id source duration { minutes } } }`;

async function post(url: string, query: string) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.body.json()) as { data?: any; errors?: Array<{ message: string }> };
}
const upstreamCalls = () => Object.values(stack.sims).reduce((n, sim) => n + sim.requests.length, 0);

beforeAll(async () => {
  stack = await startStack();
  const { data } = await stack.gql('{ timeEntries(first: 50) { nodes { id } } }');
  ids = data.timeEntries.nodes.map((n: { id: string }) => n.id);
  approvals = await startApprovals(() => ids);
  const { data: service } = await stack.gql('{ _service { sdl } }');
  const subgraphs: Subgraph[] = [
    { name: 'timegraph', url: stack.url, typeDefs: parse(service._service.sdl) },
    { name: 'approvals', url: approvals.url, typeDefs: approvalsTypeDefs },
  ];
  const [hive, apollo] = await Promise.all([startHiveGateway(subgraphs), startApolloGateway(subgraphs)]);
  routers.hive = hive;
  routers.apollo = apollo;
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(routers).map((router) => router.close()));
  await approvals?.close();
  await stack?.close();
}, 30_000);

describe.each(['hive', 'apollo'])('behind %s', (key) => {
  it('adds the approvals subgraph\'s field to 50 TimeGraph entries, at the upstream cost of the list alone', async () => {
    stack.resetRequests();
    const direct = await stack.gql('{ timeEntries(first: 50) { nodes { id source duration { minutes } } } }');
    const directCalls = upstreamCalls();

    stack.resetRequests();
    const res = await post(routers[key].url, ENTRIES);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.timeEntries.nodes;
    expect(nodes).toHaveLength(50);
    expect(nodes.map(({ approval: _a, ...rest }: any) => rest)).toEqual(direct.data.timeEntries.nodes);
    for (const node of nodes) expect(node.approval).toEqual(approvalOf(node.id));
    expect(upstreamCalls()).toBe(directCalls);
  });

  it('resolves 50 entry references returned by the approvals subgraph with one batched lookup per backend', async () => {
    stack.resetRequests();
    const res = await post(routers[key].url, PENDING);
    expect(res.errors).toBeUndefined();
    expect(res.data.pendingApprovals.map((e: { id: string }) => e.id)).toEqual(ids);
    for (const entry of res.data.pendingApprovals) expect(typeof entry.duration.minutes).toBe('number');
    const perBackend = Object.values(stack.sims).map((sim) => sim.requests.length);
    expect(Math.max(...perBackend)).toBeLessThanOrEqual(1);
    expect(perBackend.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
