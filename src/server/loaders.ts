import DataLoader from 'dataloader';
import { asSourceFailure } from '../core/errors.js';
import { checkLookup, CONTRACT_CHECKS } from '../core/contract-checks.js';
import type { EntryModel, PersonModel, TimeSource } from '../core/contract.js';
import type { RequestLoaders, SourceSet } from '../core/context.js';

type Lookup = 'getEntries' | 'getPeople';

/**
 * One DataLoader per backend, made on first use, over a lookup of its adapter; in development its
 * answers are checked against the contract (one result per key, in key order).
 */
function perSource<V extends EntryModel | PersonModel>(sources: SourceSet, method: Lookup) {
  const loaders = new Map<TimeSource, DataLoader<string, V | null>>();
  return (source: TimeSource): DataLoader<string, V | null> => {
    let loader = loaders.get(source);
    if (!loader) {
      const adapter = sources.require(source);
      // A failure the adapter did not type (a record it could not read) is that backend's failure.
      const lookup = adapter[method] as (keys: readonly string[]) => Promise<Array<V | null | Error>>;
      const batch = async (keys: readonly string[]) => {
        const results = await lookup.call(adapter, keys);
        if (CONTRACT_CHECKS) checkLookup(source, method, keys, results);
        return results;
      };
      loader = new DataLoader((keys) => batch(keys).catch((e: unknown) => Promise.reject(asSourceFailure(source, e))));
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
    entry: perSource<EntryModel>(sources, 'getEntries'),
    person: perSource<PersonModel>(sources, 'getPeople'),
  };
}
