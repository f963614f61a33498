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
// Fields of the interface, and of concrete types the router must learn from TimeGraph (@interfaceObject).
const ENTRY_FIELDS = 'id source sourceId duration { minutes } person { id } ... on XurrentTimeEntry { state correction } ... on LaurelEntry { billingType }';
const PENDING = `query RouterPending { pendingApprovals { ${ENTRY_FIELDS} approval { status } } }`;

async function post(url: string, query: string) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.body.json()) as { data?: any; errors?: Array<{ message: string }> };
}
const upstreamCalls = () => Object.values(stack.sims).reduce((n, sim) => n + sim.requests.length, 0);
/** The simulators' requests since the last reset, per backend (method and path, sorted). */
const upstreamRequests = () => Object.fromEntries(Object.entries(stack.sims).map(([name, sim]) => [name, sim.requests.map((r) => `${r.method} ${r.path}`).sort()]));

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
    const batches = approvals.entityBatches();
    const res = await post(routers[key].url, ENTRIES);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.timeEntries.nodes;
    expect(nodes).toHaveLength(50);
    expect(nodes.map(({ approval: _a, ...rest }: any) => rest)).toEqual(direct.data.timeEntries.nodes);
    for (const node of nodes) expect(node.approval).toEqual(approvalOf(node.id));
    expect(upstreamCalls()).toBe(directCalls);
    // No N+1 towards the other subgraph either: the 50 references reach approvals in one _entities call.
    expect(approvals.entityBatches() - batches).toBe(1);
  });

  it('resolves 50 entry references returned by the approvals subgraph for what nodes of those ids costs', async () => {
    stack.resetRequests();
    const direct = await stack.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on TimeEntry { ${ENTRY_FIELDS} } } }`, { ids });
    const nodesRequests = upstreamRequests();

    stack.resetRequests();
    const res = await post(routers[key].url, PENDING);
    expect(res.errors).toBeUndefined();
    const entries = res.data.pendingApprovals;
    expect(entries.map(({ approval: _a, ...rest }: any) => rest)).toEqual(direct.data.nodes);
    for (const entry of entries) expect(entry.approval).toEqual(approvalOf(entry.id));
    expect(upstreamRequests()).toEqual(nodesRequests);
    // One batched lookup per backend, however many references (Xurrent and primaERP have get-by-ids).
    expect(nodesRequests.xurrent.filter((r: string) => r.includes('/time_entries'))).toHaveLength(1);
    expect(nodesRequests.primaerp.filter((r: string) => r.includes('/timerecords'))).toHaveLength(1);
  });
});
