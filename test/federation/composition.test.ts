// Platform teams compose TimeGraph into a supergraph: composition must succeed with a subgraph that
// extends every entry through @interfaceObject, or CI fails here.
import { composeServices } from '@theguild/federation-composition';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { serveGateway, startStack, type Stack } from '../support/stack.js';
import { approvalsTypeDefs } from './support/approvals.js';
import { SOURCES } from '../../src/sources/registry.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('TimeGraph as a federation subgraph', () => {
  it('answers _service { sdl } with federation v2.3 and keys on the TimeEntry interface, every entry type and Person', async () => {
    const { data } = await stack.gql('{ _service { sdl } }');
    const sdl: string = data._service.sdl;
    expect(sdl).toContain('https://specs.apollo.dev/federation/v2.3');
    const entryTypes = SOURCES.map((s) => `type ${s.typename}`);
    expect(entryTypes).toEqual(expect.arrayContaining(['type LaurelEntry', 'type XurrentTimeEntry', 'type PrimaerpTimeRecord']));
    for (const type of ['interface TimeEntry', ...entryTypes, 'type Person']) {
      expect(sdl).toMatch(new RegExp(`${type}[^{]*@key\\(fields: "id"\\)`));
    }
  });

  it('composes with a subgraph that adds a field to every entry via @interfaceObject', async () => {
    const { data } = await stack.gql('{ _service { sdl } }');
    const result = composeServices([
      { name: 'timegraph', typeDefs: parse(data._service.sdl), url: stack.url },
      { name: 'approvals', typeDefs: approvalsTypeDefs, url: 'http://127.0.0.1:1/graphql' },
    ]);
    expect(result.errors?.map((e) => e.message) ?? []).toEqual([]);
    const supergraph = parse(result.supergraphSdl!);
    expect(print(supergraph)).toMatch(/interface TimeEntry[^{]*@join__type\(graph: APPROVALS, key: "id", isInterfaceObject: true\)/);
  });

  it('resolves 100 _entities references through the nodes loaders: the upstream calls of nodes for the same ids', async () => {
    const { data } = await stack.gql('{ timeEntries(first: 100) { nodes { id } } }');
    const ids: string[] = data.timeEntries.nodes.map((n: { id: string }) => n.id);
    const count = () => Object.values(stack.sims).reduce((n, sim) => n + sim.requests.length, 0);

    stack.resetRequests();
    const viaNodes = await stack.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on TimeEntry { source duration { minutes } } } }', { ids });
    const nodesCalls = count();

    stack.resetRequests();
    const representations = ids.map((id) => ({ __typename: 'TimeEntry', id }));
    const viaEntities = await stack.gql(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on TimeEntry { id source duration { minutes } } } }',
      { r: representations },
    );
    expect(viaEntities.errors).toBeUndefined();
    expect(viaEntities.data._entities).toEqual(viaNodes.data.nodes);
    expect(count()).toBe(nodesCalls);
    expect(nodesCalls).toBeLessThanOrEqual(SOURCES.length);
  });

  it('answers a reference of the wrong type with null and a bad id with a named error', async () => {
    const { data } = await stack.gql('{ timeEntries(first: 1) { nodes { id person { id } } } }');
    const entry = data.timeEntries.nodes[0];
    const res = await stack.gql('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', {
      r: [{ __typename: 'Person', id: entry.id }, { __typename: 'TimeEntry', id: 'not-an-id' }, { __typename: 'TimeEntry', id: entry.id }],
    });
    expect(res.data._entities[0]).toBeNull();
    expect(res.data._entities[1]).toBeNull();
    expect(res.data._entities[2].__typename).toMatch(/Entry|Record/);
    expect(res.errors?.[0].message).toContain('not-an-id');
  });
});

describe('TimeGraph as a subgraph in production mode', () => {
  // Routers compose at start-up from `_service`, which must survive introspection being turned off.
  it('answers _service and _entities to a router with a client key, and still refuses introspection', async () => {
    const KEY = 'federation-router-key';
    const prod = await serveGateway({ ...stack.env, NODE_ENV: 'production', TIMEGRAPH_API_KEYS: KEY });
    try {
      const post = async (query: string, variables?: object, key = KEY) => {
        const res = await request(prod.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query, variables }) });
        return { status: res.statusCode, body: (await res.body.json()) as any };
      };
      const sdl = (await stack.gql('{ _service { sdl } }')).data._service.sdl;
      expect((await post('{ _service { sdl } }')).body.data._service.sdl).toBe(sdl);
      const { data } = await stack.gql('{ timeEntries(first: 1) { nodes { id } } }');
      const id = data.timeEntries.nodes[0].id;
      const entities = await post('query($r: [_Any!]!) { _entities(representations: $r) { ... on TimeEntry { id } } }', { r: [{ __typename: 'TimeEntry', id }] });
      expect(entities.body.data._entities).toEqual([{ id }]);
      expect((await post('{ __schema { types { name } } }')).body.errors[0].message).toMatch(/introspection has been disabled/);
      // A router without the client key gets nothing, not even the SDL.
      const anonymous = await post('{ _service { sdl } }', undefined, 'wrong-key');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.data?._service).toBeUndefined();
    } finally {
      await prod.close();
    }
  });
});
