// Bench mode (SIM_BENCH=1) must answer exactly what the vendor simulation answers, only without
// recomputing it, and must not replay writes, failures or other credentials' answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startXurrentSimulator, type XurrentSimulatorHandle } from '../../src/simulators/xurrent/index.js';

let sim: XurrentSimulatorHandle;
const AUTH = { authorization: 'Bearer xurrent-sim-token', 'x-4me-account': 'wna-it' };
const get = async (path: string, headers: Record<string, string> = AUTH) => {
  const res = await request(`${sim.origin}/v1${path}`, { headers });
  return { status: res.statusCode, link: res.headers.link, text: await res.body.text() };
};

beforeAll(async () => {
  sim = await startXurrentSimulator({ rateLimit: { burst: 100_000 } });
});
afterAll(() => sim.close());

describe('simulator bench mode (replay)', () => {
  it('answers a repeated GET with the same bytes and headers, without recording it again', async () => {
    const fresh = await get('/time_entries?per_page=5&sort=-date');
    sim.replay = true;
    sim.requests.length = 0;
    const first = await get('/time_entries?per_page=5&sort=-date');
    const again = await get('/time_entries?per_page=5&sort=-date');
    expect(first).toEqual(fresh);
    expect(again).toEqual(first);
    expect(sim.requests).toHaveLength(1);
    sim.replay = false;
  });

  it('does not replay to other credentials, failures, or after being switched off', async () => {
    sim.replay = true;
    expect((await get('/time_entries?per_page=3')).status).toBe(200);
    expect((await get('/time_entries?per_page=3', { authorization: 'Bearer wrong', 'x-4me-account': 'wna-it' })).status).toBe(401);
    sim.faults.failNext = 1;
    expect((await get('/time_entries?per_page=4')).status).toBe(500);
    expect((await get('/time_entries?per_page=4')).status).toBe(200);
    sim.replay = false;
    sim.requests.length = 0;
    await get('/time_entries?per_page=3');
    expect(sim.requests).toHaveLength(1);
  });
});
