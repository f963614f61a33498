/**
 * The backend conformance kit: one suite every registered backend runs against its own simulator, as
 * abstract test suites (abstract-level) are run by every implementation. It knows a backend only
 * through its registration (`src/sources/registry.ts`) and its simulator's declared
 * `ConformanceHooks` (`src/simulators/common/definition.ts`); nothing in it names a backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryModel, SourceAdapter, TimeEntrySort } from '../../src/core/contract.js';
import { checkLookup } from '../../src/core/contract-checks.js';
import { decodeId, encodeId } from '../../src/core/ids.js';
import { compareKeys, entryComparator, sortKeyOf } from '../../src/core/order.js';
import { noFaults, type Faults } from '../../src/simulators/common/server.js';
import { startSimulators, type RunningSimulator, type SimulatorSet } from '../../src/simulators/registry.js';
import type { RegisteredSource } from '../../src/sources/registry.js';
import { adapterOf, captureLogs, errorCodes, kitEnv, SORTS, startKitGateway, startSimulatorOf, walk, type KitGateway, type RawAnswer } from './support.js';

/** Keys no backend's `isValidKey` may accept, whatever its key format. */
const GENERIC_MALFORMED = ['', ' ', 'not a key', '../../etc/passwd', "1' or '1'='1", '%00', 'x'.repeat(1000)];

const PAGE = `query($sort: TimeEntrySort, $first: Int, $after: String) {
  timeEntries(sort: $sort, first: $first, after: $after) {
    nodes { id source workDate updatedAt }
    pageInfo { hasNextPage endCursor }
    unavailableSources
  }
}`;
const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on TimeEntry { source } } }';
const LIST = '{ timeEntries(first: 20) { nodes { id source person { id name email } } unavailableSources } }';

const keysOf = (entries: EntryModel[]) => entries.map((e) => e.key.toLowerCase());
/** `count` entries spread over the whole list. */
const spread = <T>(items: readonly T[], count: number): T[] => Array.from({ length: Math.min(count, items.length) }, (_, i) => items[Math.floor((i * items.length) / Math.min(count, items.length))]);

/** Defines the conformance suite of one registered backend. */
export function describeConformance(source: RegisteredSource): void {
  const P = source.source;
  const entryId = (key: string) => encodeId('TimeEntry', P, key);

  describe(`${source.title} (${P}) conformance`, () => {
    let sim: RunningSimulator;
    let adapter: SourceAdapter;
    let gateway: KitGateway;
    /** Every entry the backend streams for WORK_DATE_DESC, in that order. */
    let all: EntryModel[];
    let logs: ReturnType<typeof captureLogs>;

    beforeAll(async () => {
      logs = captureLogs();
      sim = await startSimulatorOf(source);
      adapter = adapterOf(source, { ...sim.env, ...kitEnv() });
      gateway = await startKitGateway({ ...sim.env, ...kitEnv() });
      all = (await walk(adapter, { sort: 'WORK_DATE_DESC' })).entries.sort(entryComparator('WORK_DATE_DESC'));
    });
    afterAll(async () => {
      await gateway?.close();
      await adapter?.close();
      await sim?.close();
      logs?.restore();
    });

    describe('list', () => {
      it.each(SORTS)('streams every entry once, keeping its frontier promise (%s)', async (sort) => {
        const { entries, batches } = await walk(adapter, { sort });
        expect(batches.at(-1)?.frontier, 'the stream ends with frontier null').toBeNull();
        expect(entries.length).toBeGreaterThan(20);
        expect(new Set(keysOf(entries)).size, 'no entry twice').toBe(entries.length);
        expect(new Set(keysOf(entries)), 'the same entries in every sort').toEqual(new Set(keysOf(all)));
        expect(entries.every((e) => e.source === P && !e.deleted)).toBe(true);
      });

      it('returns exactly the entries of a work-date range, an updated window and with deleted ones', async () => {
        const dates = all.map((e) => e.workDate).filter((d): d is string => d !== null).sort();
        const [from, to] = [dates[Math.floor(dates.length / 4)], dates[Math.floor((dates.length * 3) / 4)]];
        const ranged = await walk(adapter, { sort: 'WORK_DATE_ASC', filter: { workDateFrom: from, workDateTo: to, includeDeleted: false } });
        expect(new Set(keysOf(ranged.entries))).toEqual(new Set(keysOf(all.filter((e) => e.workDate !== null && e.workDate >= from && e.workDate <= to))));

        const updated = all.map((e) => e.updatedAtMs).sort((a, b) => a - b);
        const [after, before] = [updated[Math.floor(updated.length / 3)], updated[Math.floor((updated.length * 2) / 3)]];
        const window = await walk(adapter, { sort: 'UPDATED_AT_DESC', filter: { updatedAfterMs: after, updatedBeforeMs: before, includeDeleted: false } });
        expect(new Set(keysOf(window.entries))).toEqual(new Set(keysOf(all.filter((e) => e.updatedAtMs > after && e.updatedAtMs <= before))));

        const withDeleted = await walk(adapter, { sort: 'UPDATED_AT_ASC', filter: { includeDeleted: true } });
        expect(keysOf(withDeleted.entries)).toEqual(expect.arrayContaining(keysOf(all)));
      });

      it.each(SORTS)('seeks from a cursor position without losing an entry (%s)', async (sort: TimeEntrySort) => {
        const sorted = [...all].sort(entryComparator(sort));
        const from = sortKeyOf(sorted[Math.floor(sorted.length * 0.4)], sort);
        const { entries } = await walk(adapter, { sort, from });
        const due = sorted.filter((e) => compareKeys(sortKeyOf(e, sort), from, sort) >= 0);
        expect(keysOf(entries)).toEqual(expect.arrayContaining(keysOf(due)));
      });
    });

    describe('paging through the gateway', () => {
      it.each(SORTS)('walks every entry exactly once, in order (%s)', async (sort) => {
        const seen: Array<{ id: string; workDate: string | null; updatedAt: string }> = [];
        let after: string | null = null;
        for (let pages = 0; ; pages++) {
          expect(pages, 'pages end').toBeLessThan(100);
          const answer: RawAnswer = await gateway.gql(PAGE, { sort, first: 45, after });
          expect(answer.json.errors).toBeUndefined();
          const page = answer.json.data.timeEntries;
          seen.push(...page.nodes);
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(new Set(seen.map((n) => n.id)).size).toBe(seen.length);
        expect(new Set(seen.map((n) => decodeId(n.id)?.key.toLowerCase()))).toEqual(new Set(keysOf(all)));
        const keys = seen.map((n) => (sort.startsWith('WORK_DATE') ? (n.workDate ?? '') : Date.parse(n.updatedAt)));
        keys.forEach((key, i) => i > 0 && expect(compareKeys(keys[i - 1], key, sort), `${i}: ${keys[i - 1]} then ${key}`).toBeLessThanOrEqual(0));
      });
    });

    describe('lookups', () => {
      it('give one result per key, in key order, null for a miss', async () => {
        const { absentKey } = sim.conformance;
        expect(adapter.isValidKey(absentKey), 'the declared absent key is well-formed').toBe(true);
        const picked = keysOf(spread(all, 25)).reverse();
        const keys = [...picked.slice(0, 10), absentKey, ...picked.slice(10), picked[0]];
        const results = await adapter.getEntries(keys);
        checkLookup(P, 'getEntries', keys, results);
        keys.forEach((key, i) => {
          if (key === absentKey) expect(results[i]).toBeNull();
          else expect((results[i] as EntryModel | null)?.key.toLowerCase(), key).toBe(key.toLowerCase());
        });
      });

      it('answer `nodes` by global id through the gateway', async () => {
        const ids = spread(all, 10).map((e) => entryId(e.key));
        const answer = await gateway.gql(NODES, { ids });
        expect(answer.json.errors).toBeUndefined();
        expect(answer.json.data.nodes.map((n: { id: string }) => n.id)).toEqual(ids);
      });

      it('refuse malformed keys before any upstream call', async () => {
        const malformed = [...GENERIC_MALFORMED, ...sim.conformance.malformedKeys];
        for (const key of malformed) expect(adapter.isValidKey(key), JSON.stringify(key)).toBe(false);
        sim.requests.length = 0;
        expect(await adapter.getEntries(malformed)).toEqual(malformed.map(() => null));
        const answer = await gateway.gql(NODES, { ids: malformed.filter((k) => k !== '').map(entryId) });
        expect(errorCodes(answer).map((e) => e.code)).toEqual(malformed.filter((k) => k !== '').map(() => 'BAD_USER_INPUT'));
        expect(sim.requests, 'upstream calls').toHaveLength(0);
      });
    });

    describe('people', () => {
      it('are looked up one result per id, null for a miss', async () => {
        const ids = [...new Set(all.map((e) => e.person?.sourceId).filter((id): id is string => !!id))].slice(0, 30);
        expect(ids.length).toBeGreaterThan(0);
        const { absentPersonId } = sim.conformance;
        const asked = absentPersonId === null ? ids : [...ids, absentPersonId];
        const results = await adapter.getPeople(asked);
        checkLookup(P, 'getPeople', asked, results);
        asked.forEach((id, i) => {
          if (id === absentPersonId) expect(results[i]).toBeNull();
          else expect(results[i], id).toMatchObject({ source: P, sourceId: id });
        });
      });

      it('resolve on entries through the gateway', async () => {
        const answer = await gateway.gql(LIST);
        expect(answer.json.errors).toBeUndefined();
        expect(answer.json.data.timeEntries.nodes.some((n: { person: unknown }) => n.person !== null)).toBe(true);
      });
    });

    describe('auth', () => {
      it('after its token expires: renews it, or answers SOURCE_UNAUTHENTICATED for a fixed token', async () => {
        const own = await startSimulatorOf(source);
        const served = await startKitGateway({ ...own.env, ...kitEnv() });
        try {
          const [first, second] = spread(all, 2).map((e) => entryId(e.key));
          expect((await served.gql(NODES, { ids: [first] })).json.errors).toBeUndefined();
          const before = own.issuedTokens();
          own.conformance.expireTokens();
          const answer = await served.gql(NODES, { ids: [second] });
          if (own.conformance.afterExpiry === 'renews') {
            expect(answer.json.errors).toBeUndefined();
            expect(answer.json.data.nodes.map((n: { id: string }) => n.id)).toEqual([second]);
            expect(own.issuedTokens().filter((t) => !before.includes(t)), 'a renewed token').not.toHaveLength(0);
          } else {
            expect(errorCodes(answer)).toEqual([{ code: 'SOURCE_UNAUTHENTICATED', source: P }]);
          }
          expectNoSecret(own, served.answers, logs.text());
        } finally {
          await served.close();
          await own.close();
        }
      });

      it('answers SOURCE_UNAUTHENTICATED when the backend refuses its credentials', async () => {
        const served = await startKitGateway({ ...sim.env, ...kitEnv(), ...sim.wrongCredentials('kit') });
        try {
          const answer = await served.gql(LIST);
          expect(errorCodes(answer)).toEqual([{ code: 'SOURCE_UNAUTHENTICATED', source: P }]);
          expect(answer.json.data.timeEntries.unavailableSources).toEqual([P]);
          // The refused credentials are secrets too.
          expectNoSecret({ ...sim, credentials: [...sim.credentials, ...Object.values(sim.wrongCredentials('kit'))] }, served.answers, logs.text());
        } finally {
          await served.close();
        }
      });
    });

    describe('failures', () => {
      const cases: Array<[string, () => Partial<Faults>, string, Record<string, string>?]> = [
        ['its rate-limit answer', () => ({ errorRate: 1, ...sim.conformance.rateLimitFaults }), 'SOURCE_RATE_LIMITED'],
        ['a server error', () => ({ errorRate: 1, errorStatus: 500 }), 'SOURCE_UNAVAILABLE'],
        ['a malformed answer', () => ({ malformedRate: 1 }), 'SOURCE_BAD_RESPONSE'],
        ['no answer in time', () => ({ hang: true }), 'SOURCE_TIMEOUT', { [`${P}_RESPONSE_TIMEOUT_MS`]: '150' }],
        ['a dropped connection', () => ({ reset: true }), 'SOURCE_UNAVAILABLE'],
      ];
      it.each(cases)('%s is answered with its typed code, naming the backend, and leaks nothing', async (_name, faults, code, env = {}) => {
        const served = await startKitGateway({ ...sim.env, ...kitEnv({ retries: 0 }), ...env });
        try {
          // Tokens fetched and connections open first: the fault hits the reads themselves.
          expect((await served.gql(LIST)).json.errors).toBeUndefined();
          sim.faults = { ...noFaults(), ...faults() };
          const answer = await served.gql(LIST);
          expect(errorCodes(answer)).toEqual([{ code, source: P }]);
          expect(answer.json.data.timeEntries).toMatchObject({ nodes: [], unavailableSources: [P] });
          const lookup = await served.gql(NODES, { ids: [entryId(all[0].key)] });
          expect(errorCodes(lookup)).toEqual([{ code, source: P }]);
          if (code === 'SOURCE_RATE_LIMITED') {
            // A client is told when to come back: the backend's Retry-After, in milliseconds.
            for (const failed of [answer, lookup]) expect(failed.json.errors[0].extensions.retryAfterMs, 'retryAfterMs').toBeGreaterThan(0);
          }
          expect(logs.text(), 'the failure is logged (so the leak check reads real log lines)').toContain(code);
          expectNoSecret(sim, served.answers, logs.text());
        } finally {
          sim.faults = noFaults();
          await served.close();
        }
      });
    });

    describe('an outage', () => {
      let sims: SimulatorSet;
      let whole: KitGateway;
      beforeAll(async () => {
        sims = await startSimulators({ unlimited: true });
        whole = await startKitGateway({ ...sims.env, ...kitEnv({ retries: 0 }) });
      });
      afterAll(async () => {
        await whole?.close();
        await sims?.close();
      });

      it('fails only its own part: a typed error for it, full data from every other backend', async () => {
        const others = sims.all.map((s) => s.source).filter((s) => s !== P);
        const merged = '($sources: [TimeSource!]) { timeEntries(first: 60, filter: { sources: $sources }) { nodes { id source } unavailableSources } }';
        const baseline = await whole.gql(`query${merged}`, { sources: others });
        expect(baseline.json.errors).toBeUndefined();
        const before = await whole.gql(`query${merged}`);
        const ownIds = before.json.data.timeEntries.nodes.filter((n: { source: string }) => n.source === P).map((n: { id: string }) => n.id);
        const otherIds = others.map((o) => before.json.data.timeEntries.nodes.find((n: { source: string }) => n.source === o)?.id).filter(Boolean);

        sims.get(P).faults = { ...noFaults(), reset: true };
        try {
          const answer = await whole.gql(`query${merged}`);
          expect(errorCodes(answer)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: P }]);
          expect(answer.json.data.timeEntries.unavailableSources).toEqual([P]);
          expect(answer.json.data.timeEntries.nodes).toEqual(baseline.json.data.timeEntries.nodes);

          const ids = [...otherIds, ...(ownIds.length > 0 ? ownIds.slice(0, 1) : [entryId(all[0].key)])];
          const lookup = await whole.gql(NODES, { ids });
          expect(lookup.json.data.nodes.slice(0, otherIds.length).map((n: { id: string } | null) => n?.id)).toEqual(otherIds);
          expect(lookup.json.data.nodes.at(-1)).toBeNull();
          expect(errorCodes(lookup)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: P }]);
        } finally {
          sims.get(P).faults = noFaults();
        }
      });
    });
  });
}

/** No credential or issued token of `sim` in any answer a client got or in the logs; no upstream address in an answer. */
function expectNoSecret(sim: Pick<RunningSimulator, 'credentials' | 'issuedTokens' | 'origin'>, answers: readonly RawAnswer[], logged: string): void {
  const text = answers.map((a) => a.text).join('\n');
  const secrets = [...sim.credentials, ...sim.issuedTokens()];
  expect(secrets.length, 'the backend declares its credentials').toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(text, 'a secret in an answer').not.toContain(secret);
    expect(logged, 'a secret in the logs').not.toContain(secret);
  }
  expect(text, 'the upstream address in an answer').not.toContain(sim.origin.replace('http://', ''));
}
