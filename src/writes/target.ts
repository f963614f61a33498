import { decodeId } from '../core/ids.js';
import type { GatewayContext } from '../core/context.js';
import type { SourceAdapter, TimeSource, UserErrorModel, WriteResult } from '../core/contract.js';
import { userError } from './user-errors.js';

export interface WriteTarget {
  source: TimeSource;
  adapter: SourceAdapter;
  /** The entry's key inside its backend. */
  key: string;
}

/**
 * The backend entry a mutation's global id names, or a userError (malformed id, another backend's
 * id, an id of something that is not an entry, a backend not configured here). It does not import
 * the registry: backends' resolvers import this module.
 */
export function writeTarget(ctx: GatewayContext, id: string, field: string[] = ['id'], only?: TimeSource): WriteTarget | { error: UserErrorModel } {
  const decoded = decodeId(id);
  if (decoded?.kind === 'TimeEntry' && only && decoded.source !== only) {
    return { error: userError(field, `${JSON.stringify(id)} is a ${decoded.source} entry; this mutation is for ${only} entries.`, 'SOURCE_MISMATCH') };
  }
  const adapter = decoded ? ctx.sources.get(decoded.source) : undefined;
  if (!decoded || decoded.kind !== 'TimeEntry' || !adapter) {
    return { error: userError(field, `${JSON.stringify(id)} is not the id of a time entry of a backend configured here.`, 'INVALID_ID') };
  }
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
