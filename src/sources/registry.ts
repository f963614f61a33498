/** Every backend TimeGraph knows, in TimeSource order. Adding a backend adds one line here. */
import { laurel } from './laurel/index.js';
import { primaerp } from './primaerp/index.js';
import type { SourceDefinition } from './types.js';
import { xurrent } from './xurrent/index.js';

export const SOURCES: readonly SourceDefinition<never>[] = [laurel, xurrent, primaerp] as readonly SourceDefinition<never>[];
