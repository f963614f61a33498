import { decodeId } from '../ids.js';
import type { GatewayContext } from '../server/context.js';
import { SOURCES } from '../sources/registry.js';
import type { SourceAdapter, TimeSource, UserErrorModel, WriteResult } from '../sources/types.js';
import { userError } from './user-errors.js';

export interface WriteTarget {
  source: TimeSource;
  adapter: SourceAdapter;
  /** The entry's key inside its backend. */
  key: string;
}

/**
 * The backend entry a mutation's global id names, or a userError (malformed id, another backend's
 * id, an id of something that is not an entry). A backend that is not configured is a failure of the
 * request, thrown as SourceError by `require`.
 */
export function writeTarget(ctx: GatewayContext, id: string, field: string[] = ['id'], only?: TimeSource): WriteTarget | { error: UserErrorModel } {
  const decoded = decodeId(id);
  if (!decoded || decoded.kind !== 'TimeEntry' || !SOURCES.some((s) => s.source === decoded.source)) {
    return { error: userError(field, `${JSON.stringify(id)} is not a TimeGraph time entry id.`, 'INVALID_ID') };
  }
  if (only && decoded.source !== only) {
    return { error: userError(field, `${JSON.stringify(id)} is a ${decoded.source} entry; this mutation is for ${only} entries.`, 'SOURCE_MISMATCH') };
  }
  const adapter = ctx.sources.require(decoded.source);
  if (!adapter.isValidKey(decoded.key)) {
    return { error: userError(field, `${JSON.stringify(id)} is not a valid ${decoded.source} entry id.`, 'INVALID_ID') };
  }
  return { source: decoded.source, adapter, key: decoded.key };
}

/**
 * Keeps the request's loaders truthful after a write: the written key is forgotten, and the entry
 * read back after the write is what later lookups in this request see.
 */
export function afterWrite(ctx: GatewayContext, source: TimeSource, key: string | null, result: WriteResult): WriteResult {
  const loader = ctx.loaders.entry(source);
  if (key) loader.clear(key);
  if (result.entry) loader.clear(result.entry.key).prime(result.entry.key, result.entry);
  return result;
}
