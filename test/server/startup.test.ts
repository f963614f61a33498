// `npm start` as a user runs it: demo mode with simulators, and refusal of incomplete configuration.
import { spawn } from 'node:child_process';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../src/sources/registry.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BACKEND_VARS = new RegExp(`^(${SOURCES.map((s) => s.source).join('|')})_`);

function start(extraEnv: Record<string, string>) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !BACKEND_VARS.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: '0', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => output };
}

async function waitFor(predicate: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('start-up', () => {
  it('starts the simulators in demo mode, says so, and serves every registered source', async () => {
    const proc = start({});
    try {
      await waitFor(() => /listening on (\S+)/.test(proc.output()));
      expect(proc.output()).toContain('demo mode');
      for (const { title } of SOURCES) expect(proc.output()).toContain(title);
      const url = /listening on (\S+)/.exec(proc.output())![1];
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ timeEntries(first: ${100 * SOURCES.length}) { nodes { source } unavailableSources } }` }),
      });
      const body = (await res.body.json()) as { data: { timeEntries: { nodes: Array<{ source: string }>; unavailableSources: string[] } } };
      expect(new Set(body.data.timeEntries.nodes.map((n) => n.source))).toEqual(new Set(SOURCES.map((s) => s.source)));
      expect(body.data.timeEntries.unavailableSources).toEqual([]);

      const page = await request(url, { headers: { accept: 'text/html' } });
      const html = await page.body.text();
      expect(html).toContain('TimeGraph');
      expect(html).toContain('LastWeek');
      expect(html).not.toMatch(/unpkg\.com|jsdelivr\.net|cdnjs/);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });

  it.each([
    [{ XURRENT_BASE_URL: 'http://127.0.0.1:9/v1', XURRENT_TOKEN: 'secret-token-xyz' }, 'XURRENT_ACCOUNT'],
    [{ LAUREL_BASE_URL: 'http://127.0.0.1:9' }, 'LAUREL_CUSTOMER_ID'],
    [{ PRIMAERP_BASE_URL: 'http://127.0.0.1:9', PRIMAERP_API_KEY: 'k' }, 'PRIMAERP_SECRET_KEY'],
  ])('refuses incomplete configuration %j naming %s', async (env, missing) => {
    const proc = start(env);
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain(missing);
    expect(proc.output()).not.toContain('secret-token-xyz');
  });
});
