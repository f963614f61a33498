// `npm run build` compiles the gateway to dist/ and `npm run start:prod` serves it with plain node
// (no tsx): the schema files and generated assets it reads at run time must be found from there.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { request } from 'undici';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('compiled build', () => {
  it('builds to dist/ and serves queries and possible types from there', async () => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
    const child = spawn(process.execPath, ['dist/server/main.js'], { cwd: ROOT, env: { ...process.env, PORT: '0', NODE_ENV: 'development' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /listening on (http:\S+)/.exec(out);
          if (m) (clearInterval(timer), resolve(m[1]));
        }, 50);
        child.once('exit', (code) => (clearInterval(timer), reject(new Error(`exited with ${code}: ${out}`))));
      });
      const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ timeEntries(first: 3) { nodes { id source duration { hours } } } }' }) });
      const body = (await res.body.json()) as { data: { timeEntries: { nodes: Array<{ source: string }> } }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(body.data.timeEntries.nodes).toHaveLength(3);
      const types = await request(`${url}/possible-types.json`);
      expect(types.statusCode).toBe(200);
      expect(JSON.stringify(await types.body.json())).toContain('XurrentTimeEntry');
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 120_000);
});
