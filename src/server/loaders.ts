import DataLoader from 'dataloader';
import { asSourceFailure } from '../core/errors.js';
import type { SourceAdapter, TimeSource } from '../core/contract.js';
import type { RequestLoaders, SourceSet } from '../core/context.js';

/** One DataLoader per backend, made on first use, over a batch function of its adapter. */
function perSource<V>(sources: SourceSet, batch: (adapter: SourceAdapter, keys: readonly string[]) => Promise<Array<V | null | Error>>) {
  const loaders = new Map<TimeSource, DataLoader<string, V | null>>();
  return (source: TimeSource): DataLoader<string, V | null> => {
    let loader = loaders.get(source);
    if (!loader) {
      const adapter = sources.require(source);
      // A failure the adapter did not type (a record it could not read) is that backend's failure.
      loader = new DataLoader((keys) => batch(adapter, keys).catch((e: unknown) => Promise.reject(asSourceFailure(source, e))));
      loaders.set(source, loader);
    }
    return loader;
  };
}

/**
 * Fresh loaders for one request: lookups of the same backend made in one tick become one batched
 * call of its adapter, and repeated keys are fetched once. Nothing survives the request.
 */
export function createLoaders(sources: SourceSet): RequestLoaders {
  return {
    entry: perSource(sources, (adapter, keys) => adapter.getEntries(keys)),
    person: perSource(sources, (adapter, ids) => adapter.getPeople(ids)),
  };
}
