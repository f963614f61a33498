import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXurrentSimulator, type XurrentSimulatorHandle } from '../../../src/simulators/xurrent/index.js';
import { createGateway, type Gateway } from '../../../src/server/gateway.js';

let sim: XurrentSimulatorHandle;
let gateway: Gateway;

beforeAll(async () => {
  sim = await startXurrentSimulator({ rateLimit: { burst: 100_000 } });
  gateway = createGateway({ env: sim.env });
});
afterAll(async () => {
  await gateway.close();
  await sim.close();
});

async function query(source: string): Promise<{ data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const res = await gateway.yoga.fetch('http://gateway/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: source }) });
  return res.json();
}

describe('XurrentTimeEntry over GraphQL', () => {
  it('exposes the seed records with typed references, and batches person e-mails', async () => {
    sim.requests.length = 0;
    const r = await query(`{ timeEntries(sort: WORK_DATE_ASC, first: 5, filter: { xurrent: { ids: ["195", "231"] } }) { nodes {
      sourceId duration { seconds minutes } sourceDuration { value unit } person { sourceId name email } createdAt
      ... on XurrentTimeEntry { date timeSpent correction organization { sourceId name } customer { sourceId name }
        service { sourceId name localizedName } timeAllocation { sourceId group name localizedGroup account { sourceId name } }
        request { sourceId subject account { sourceId } service { sourceId localizedName } customer { sourceId name } } chargeType }
    } } }`);
    expect(r.errors).toBeUndefined();
    const [e195, e231] = r.data.timeEntries.nodes;
    expect(e195).toMatchObject({
      sourceId: '195', duration: { seconds: 7200, minutes: 120 }, sourceDuration: { value: 120, unit: 'MINUTES' },
      person: { sourceId: '7', name: 'Chess Cole', email: 'chess.cole@widget.com' }, createdAt: '2016-03-28T17:13:11.000Z',
      date: '2016-03-28', timeSpent: 120, correction: false, organization: { sourceId: '7' }, customer: { sourceId: '8' },
      service: { sourceId: '36', localizedName: 'SAP Basis' },
      timeAllocation: { sourceId: '4', group: 'Project', localizedGroup: 'Project', account: { sourceId: 'wna-it', name: 'Widget N. America - IT' } },
      request: null, chargeType: null,
    });
    expect(e231).toMatchObject({
      sourceId: '231', duration: { seconds: 600, minutes: 10 }, person: { email: 'tom.waters@widget.com' },
      request: { sourceId: '70248', subject: 'Expense reporting is slow', account: { sourceId: 'wna-it' }, service: { sourceId: '22' }, customer: { sourceId: '48' } },
    });
    expect(sim.requests.filter((q) => q.path === '/v1/people')).toHaveLength(1);
  });

  it('maps charge types to the enum and reads one entry with xurrentTimeEntry', async () => {
    const withCharge = [...sim.store.entries.values()].find((e) => e.charge_type === 'fixed_price')!;
    const r = await query(`{ one: xurrentTimeEntry(id: "${withCharge.id}") { chargeType charge chargeRate chargeCurrency { code } costCurrency effortClass { name } billable }
      missing: xurrentTimeEntry(id: "98765432") { sourceId } bad: xurrentTimeEntry(id: "1e3") { sourceId } }`);
    expect(r.data.one).toMatchObject({ chargeType: 'FIXED_PRICE', chargeCurrency: { code: 'USD' }, costCurrency: 'USD' });
    expect(r.data.one.billable).toBe(withCharge.effort_class!.name!.startsWith('Non') ? false : true);
    expect(r.data.missing).toBeNull();
    expect(r.data.bad).toBeNull();
    // The message itself ('Argument "id" has invalid value "1e3"') depends on the gateway's masking.
    expect(r.errors).toHaveLength(1);
    expect(sim.requests.at(-1)?.path).toMatch(/^\/v1\/time_entries\/\d+$/);
  });
});
