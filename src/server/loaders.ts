import DataLoader from 'dataloader';
import { asSourceFailure } from '../errors.js';
import type { EntryModel, PersonModel, TimeSource } from '../sources/types.js';
import type { RequestLoaders, SourceSet } from './context.js';

/**
 * Fresh loaders for one request: lookups of the same backend made in one tick become one batched
 * call of its adapter, and repeated keys are fetched once. Nothing survives the request.
 */
export function createLoaders(sources: SourceSet): RequestLoaders {
  const entries = new Map<TimeSource, DataLoader<string, EntryModel | null>>();
  const people = new Map<TimeSource, DataLoader<string, PersonModel | null>>();
  return {
    entry(source) {
      let loader = entries.get(source);
      if (!loader) {
        const adapter = sources.require(source);
        loader = new DataLoader((keys) => adapter.getEntries(keys).catch((e: unknown) => Promise.reject(asSourceFailure(source, e))));
        entries.set(source, loader);
      }
      return loader;
    },
    person(source) {
      let loader = people.get(source);
      if (!loader) {
        const adapter = sources.require(source);
        loader = new DataLoader((ids) => adapter.getPeople(ids).catch((e: unknown) => Promise.reject(asSourceFailure(source, e))));
        people.set(source, loader);
      }
      return loader;
    },
  };
}
