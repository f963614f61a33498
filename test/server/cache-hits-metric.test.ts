// The read cache reports its hits through the operation's observer; the metric must exist from the
// start (0 per configured backend, so alerts on its rate work) and count exactly the hits reported.
import { describe, expect, it } from 'vitest';
import type { SourceSet } from '../../src/core/context.js';
import type { SourceAdapter } from '../../src/core/contract.js';
import { reportCacheHit, runInOperation } from '../../src/http/operation-scope.js';
import { createMetrics } from '../../src/server/metrics.js';

function sourceSet(names: string[]): SourceSet {
  const enabled = names.map((source) => ({ source, status: () => ({ state: 'CLOSED', consecutiveFailures: 0, openedAt: null }) }) as unknown as SourceAdapter);
  return { enabled, get: (s) => enabled.find((a) => a.source === s), require: (s) => enabled.find((a) => a.source === s)! };
}

const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);

describe('timegraph_cache_hits_total', () => {
  it('starts at 0 per backend and counts the hits reported inside an operation', async () => {
    const metrics = createMetrics(sourceSet(['XURRENT', 'PRIMAERP']));
    const before = await metrics.registry.metrics();
    expect(value(before, 'timegraph_cache_hits_total{source="XURRENT"}')).toBe(0);
    expect(value(before, 'timegraph_cache_hits_total{source="PRIMAERP"}')).toBe(0);

    const scope = { signal: new AbortController().signal, deadlineAt: Date.now() + 1000, observer: metrics.observer };
    runInOperation(scope, () => {
      reportCacheHit('XURRENT');
      reportCacheHit('XURRENT');
    });
    reportCacheHit('XURRENT'); // outside an operation: no observer, nothing counted, no error
    const after = await metrics.registry.metrics();
    expect(value(after, 'timegraph_cache_hits_total{source="XURRENT"}')).toBe(2);
    expect(value(after, 'timegraph_cache_hits_total{source="PRIMAERP"}')).toBe(0);
  });
});
