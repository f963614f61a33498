// The layers of src/: each module imports only its own layer or those below it, so the shared
// vocabulary (src/core/) can be read without the rest, and production code never loads demo code.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Bottom to top; a module may import from its own rank or lower. First match wins. */
const LAYERS: Array<[rank: number, name: string, pattern: RegExp]> = [
  [0, 'generated enums', /^src\/generated\/enums\.ts$/],
  [0, 'units', /^src\/units\//],
  [1, 'core', /^src\/core\//],
  [2, 'http', /^src\/http\//],
  [2, 'merge', /^src\/merge\//],
  [3, 'writes', /^src\/writes\//],
  [4, 'sources', /^src\/sources\//],
  // Resolver types: they name the backends' models, and the backends' resolvers use them.
  [4, 'generated resolver types', /^src\/generated\//],
  [5, 'resolvers', /^src\/resolvers\//],
  [6, 'server', /^src\/server\//],
  // Demo code: imported by nothing in production (demo mode loads it with a dynamic import).
  [7, 'simulators', /^src\/simulators\//],
];

function layerOf(file: string): { rank: number; name: string } {
  const found = LAYERS.find(([, , pattern]) => pattern.test(file));
  if (!found) throw new Error(`${file} belongs to no layer: add it to LAYERS`);
  return { rank: found[0], name: found[1] };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** Static imports and re-exports (`import … from`, `export … from`, side-effect imports). */
function staticImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(ROOT, normalize(join(ROOT, dirname(file), s))).replace(/\.js$/, '.ts'));
}

/** `src/sources/<backend>/…` → `<backend>`; null outside a backend folder. */
const backendOf = (file: string) => /^src\/(?:sources|simulators)\/([^/]+)\//.exec(file)?.[1] ?? null;

const FILES = sourceFiles('src');
const ARROWS = FILES.flatMap((from) => staticImports(from).map((to) => ({ from, to })));

describe('layers', () => {
  it('reads the whole tree (the check cannot pass by reading nothing)', () => {
    expect(FILES.length).toBeGreaterThan(80);
    expect(ARROWS.length).toBeGreaterThan(300);
    expect(ARROWS).toContainEqual({ from: 'src/http/client.ts', to: 'src/core/errors.ts' });
  });

  it('no module imports a layer above its own', () => {
    const upward = ARROWS.filter(({ from, to }) => layerOf(to).rank > layerOf(from).rank).map(
      ({ from, to }) => `${from} (${layerOf(from).name}) imports ${to} (${layerOf(to).name})`,
    );
    expect(upward).toEqual([]);
  });

  it('a backend imports no other backend (only its own folder and the layers below)', () => {
    const across = ARROWS.filter(({ from, to }) => {
      const a = backendOf(from);
      const b = backendOf(to);
      return a !== null && b !== null && a !== 'common' && b !== 'common' && a !== b;
    }).map(({ from, to }) => `${from} imports ${to}`);
    expect(across).toEqual([]);
  });

  it('production code never imports a simulator statically', () => {
    const demo = ARROWS.filter(({ from, to }) => !from.startsWith('src/simulators/') && to.startsWith('src/simulators/'));
    expect(demo).toEqual([]);
  });

  it('the ground floor imports nothing but itself, units and the generated enums', () => {
    const core = ARROWS.filter(({ from }) => from.startsWith('src/core/')).map(({ to }) => to);
    expect(core.length).toBeGreaterThan(0);
    for (const to of core) expect(to).toMatch(/^src\/(core\/|units\/|generated\/enums\.ts$)/);
  });
});
