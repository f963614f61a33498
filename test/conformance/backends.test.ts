/**
 * Every registered backend runs the conformance kit against its own simulator: a backend added to
 * `src/sources/registry.ts` is tested here with no test written for it.
 */
import { describe } from 'vitest';
import { SOURCES } from '../../src/sources/registry.js';
import { describeConformance } from './kit.js';

describe.each(SOURCES.map((source) => [source.source, source] as const))('%s', (_name, source) => {
  describeConformance(source);
});
