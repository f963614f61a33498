import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, listen } from '../../../src/server/gateway.js';
import { startPrimaerpSimulator, type PrimaerpSimulatorHandle } from '../../../src/simulators/primaerp/index.js';

// The primaERP schema and resolvers, end to end through a gateway that has only primaERP configured.
let sim: PrimaerpSimulatorHandle;
let served: { url: string; close(): Promise<void> };
let gateway: ReturnType<typeof createGateway>;
beforeAll(async () => {
  sim = await startPrimaerpSimulator();
  gateway = createGateway({ env: sim.env });
  served = await listen(gateway, 0);
});
afterAll(async () => {
  await served.close();
  await sim.close();
});

async function gql(query: string, variables?: Record<string, unknown>) {
  const res = await request(served.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.body.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

describe('PrimaerpTimeRecord over GraphQL', () => {
  it('exposes the vendor fields with ISO dates and never the user secrets', async () => {
    const res = await gql(`{
      primaerpTimeRecord(id: "0a9c3af3-4bf7-4435-b4e7-cb66da031996") {
        id sourceId workDate startedAt duration { milliseconds hours } sourceDuration { value unit }
        person { name email } deleted price unitPrice recordType start stop approved billed version
        externalSyncedAt externalSystem { name integrationPlugin createdAt }
        user { firstName timeZone birthdayRemind workingTimeStart displayName }
        project { name timeBudget { hours } priceBudget owner { email } client { city countryCode vatId } begins }
        task { name done author { lastName } project { code } timeBudget { hours } }
        client { name zipCode } workType { name category code } trashItem { sourceId }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.primaerpTimeRecord).toMatchObject({
      sourceId: '0a9c3af3-4bf7-4435-b4e7-cb66da031996',
      workDate: '2017-03-12',
      startedAt: '2017-03-12T06:53:14.659Z',
      duration: { milliseconds: 21_600_000, hours: 6 },
      sourceDuration: { value: 21_600_000, unit: 'MILLISECONDS' },
      person: { name: 'John Smith', email: 'john.smith@example.com' },
      deleted: false,
      price: 648.5,
      unitPrice: 3.0023e-5,
      recordType: 'ATTENDANCE',
      start: '2017-03-12T06:53:14.659Z',
      stop: '2017-03-12T12:53:14.659Z',
      version: 3,
      externalSystem: { name: 'Vendor system', integrationPlugin: 'vendor', createdAt: '2017-03-13T05:56:14.660Z' },
      user: { firstName: 'John', timeZone: 'America/Sao_Paulo', displayName: 'Smith John' },
      project: { name: 'Content management system', timeBudget: { hours: 168 }, priceBudget: 100000, owner: { email: 'john.doe@example.com' }, client: { city: 'Palmas', countryCode: 'BRA' } },
      task: { name: 'Article editation', done: false, author: { lastName: 'Doe' }, project: { code: 'CMS' }, timeBudget: { hours: 24 } },
      workType: { name: 'Software development', category: 'WORK' },
      trashItem: null,
    });
    const introspection = await gql(`{ __type(name: "PrimaerpUser") { fields { name } } }`);
    const names = introspection.data.__type.fields.map((f: { name: string }) => f.name);
    expect(names).not.toContain('password');
    expect(names).not.toContain('secretKey');
  });

  it('lists with the primaerp filter, and names the field when two scopes are given', async () => {
    const project = [...sim.store.projects.values()][1];
    const res = await gql(`query($p: String) { timeEntries(filter: { primaerp: { projectId: $p, billable: true } }, first: 5) { nodes { ... on PrimaerpTimeRecord { project { sourceId } billable } } } }`, { p: project.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.timeEntries.nodes.length).toBe(5);
    for (const n of res.data.timeEntries.nodes) expect(n).toEqual({ project: { sourceId: project.id }, billable: true });
    const two = await gql(`{ timeEntries(filter: { primaerp: { projectId: "${project.id}", userId: "${project.owner!.id}" } }, first: 5) { nodes { id } } }`);
    expect(two.data?.timeEntries ?? null).toBeNull();
    expect(two.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.primaerp' });
    expect(two.errors?.[0].message).toContain(project.id);
  });

  it('answers the unbilled summary and a price calculation', async () => {
    const res = await gql(`{
      primaerpUnbilledSummary { count duration { hours } price projects { project { name } count } }
      primaerpCalculatePrice(input: { userId: "36e159ad-fc4f-46bf-8085-1e1cf1f5a40f", workTypeId: "238120aa-549c-43f7-ab40-478407060dad",
        start: "2017-03-12T06:53:14.659Z", stop: "2017-03-12T12:53:14.659Z" }) { price unitPrice duration { hours } billable start }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.primaerpUnbilledSummary.count).toBeGreaterThan(0);
    expect(res.data.primaerpCalculatePrice).toEqual({ price: 648.5, unitPrice: 3.0023e-5, duration: { hours: 6 }, billable: true, start: '2017-03-12T06:53:14.659Z' });
    const bad = await gql(`{ primaerpCalculatePrice(input: { userId: "00000000-0000-4000-8000-000000000000" }) { price } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
