import type DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import type { EntryModel, PersonModel, SourceAdapter, TimeSource } from './contract.js';
import type { IdempotencyStore } from './idempotency-store.js';

/** The configured backends, shared by all requests. */
export interface SourceSet {
  /** Enabled backends in TimeSource order. */
  readonly enabled: readonly SourceAdapter[];
  get(source: TimeSource): SourceAdapter | undefined;
  /** The adapter, or a `SOURCE_NOT_CONFIGURED` SourceError. */
  require(source: TimeSource): SourceAdapter;
}

/** Loaders created fresh for every request, so nothing is cached across requests. */
export interface RequestLoaders {
  /** Entries by `EntryModel.key`. */
  entry(source: TimeSource): DataLoader<string, EntryModel | null>;
  /** People by backend person id. */
  person(source: TimeSource): DataLoader<string, PersonModel | null>;
}

export interface GatewayContext {
  sources: SourceSet;
  loaders: RequestLoaders;
  /**
   * Failures of one backend that must not erase the data of the others: collected here and appended
   * to the response's `errors` (see `server/partial-errors.ts`).
   */
  partialErrors: GraphQLError[];
  /**
   * Response keys of root fields that hold no data because every backend they read failed (a page
   * with all its backends unavailable); with the null root fields they tell a whole failure (see
   * `server/retry-after.ts`).
   */
  failedFields: string[];
  /** Idempotency keys of creates and batch releases (memory, or Redis when REDIS_URL is set). */
  idempotency: IdempotencyStore;
  /**
   * When the oldest upstream answer this request's operations took from the read cache was fetched
   * (filled in by the HTTP path, sent as `Age` by `server/cache-headers.ts`).
   */
  cacheUse: { oldestStoredAt?: number };
}
