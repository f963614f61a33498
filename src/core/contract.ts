/**
 * The one contract every backend implements. The gateway core (merge, lookups, resolvers of the
 * TimeEntry interface) only ever sees these types; everything vendor-specific stays in
 * `src/sources/<backend>/`.
 */
import type { DurationUnit } from '../units/duration.js';

/**
 * The enums come from the SDL (schema/), so adding a backend adds its value in one place. They are
 * generated into a file of their own that imports nothing, so this floor stays below everything.
 */
export type { TimeEntrySort, TimeSource } from '../generated/enums.js';
import type { TimeEntrySort, TimeSource } from '../generated/enums.js';

/** A circuit breaker's state (`Query.sourceStatus`, `GET /health`); kept by `http/circuit-breaker.ts`. */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitStatus {
  state: CircuitState;
  consecutiveFailures: number;
  /** Epoch ms of the last opening; null while it never opened since it last closed. */
  openedAt: number | null;
}

/**
 * A backend's resolvers of its own types and root fields, as codegen types them in the backend
 * (`Resolvers` of `src/generated/graphql.ts`); held opaquely here so the floor imports no resolver types.
 */
export type SourceResolvers = Readonly<Record<string, unknown>>;

/** A person as an entry references them. */
export interface PersonModel {
  source: TimeSource;
  /** The backend's own person id. */
  sourceId: string;
  name: string | null;
  /** `undefined` when the entry did not carry it: the Person resolver then asks the person loader. */
  email?: string | null;
}

/** The duration exactly as the backend stored it. */
export interface SourceDurationModel {
  value: number;
  unit: DurationUnit;
}

/** A normalized entry, as produced by a backend's pure mapping. `raw` keeps the vendor record. */
export interface EntryModel<Raw = unknown> {
  /** The GraphQL object type, e.g. `LaurelEntry`. */
  typename: string;
  source: TimeSource;
  /** The backend's own id of the entry. */
  sourceId: string;
  /** Lookup key inside the source, stable across updates; goes into the global id. */
  key: string;
  /** `YYYY-MM-DD` or null. */
  workDate: string | null;
  /** ISO 8601 UTC or null. */
  startedAt: string | null;
  /** Exact integer milliseconds, from `units/duration.ts`. */
  durationMs: number;
  sourceDuration: SourceDurationModel;
  description: string | null;
  person: PersonModel | null;
  billable: boolean | null;
  deleted: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC. */
  updatedAt: string;
  /** `updatedAt` as epoch milliseconds (the UPDATED_AT sort key). */
  updatedAtMs: number;
  raw: Raw;
}

/** The unified filter, validated and normalized by the core. */
export interface EntryFilter {
  /** Inclusive `YYYY-MM-DD`. */
  workDateFrom?: string;
  /** Inclusive `YYYY-MM-DD`. */
  workDateTo?: string;
  /** Exclusive, epoch ms. */
  updatedAfterMs?: number;
  /** Inclusive, epoch ms. */
  updatedBeforeMs?: number;
  includeDeleted: boolean;
}

/**
 * A sort key: for WORK_DATE sorts the work date (`''` when an entry has none, which sorts before every
 * date), for UPDATED_AT sorts `updatedAtMs`.
 */
export type SortKey = string | number;

export interface ListRequest {
  sort: TimeEntrySort;
  filter: EntryFilter;
  /**
   * The backend-specific filter input (e.g. the `xurrent:` field of `TimeEntryFilter`), already
   * validated by GraphQL; undefined when the client gave none.
   */
  sourceFilter?: unknown;
  /**
   * Seek position: the client wants only entries whose key is at or after `from` in sort order
   * (>= for ascending, <= for descending). Push it down where the backend can; the merge drops
   * what the cursor already covered, so returning more is safe, returning less is not.
   */
  from?: SortKey;
  /** How many entries the merge expects to need; size pages with it, capped at the backend maximum. */
  limit: number;
  /**
   * An extra cancellation signal for callers outside a GraphQL operation (scripts, adapter tests).
   * The gateway passes none: every upstream call already runs in its operation's scope
   * (`src/http/operation-scope.ts`), aborted at the deadline or when the client goes away.
   */
  signal?: AbortSignal;
}

/**
 * One step of a source stream. `frontier` is a promise about what is still to come: every entry the
 * stream has not yet yielded has a sort key at or after `frontier` in sort order (so entries with a
 * key strictly before it can be emitted). `undefined` promises nothing yet (a backend that cannot sort
 * must read everything first); `null` means the stream is exhausted. Entries inside a batch may come
 * in any order; the merge sorts them and breaks ties.
 */
export interface EntryBatch {
  entries: EntryModel[];
  frontier?: SortKey | null;
  /**
   * With a frontier that is not null: the backend's paging answer (a next page exists) guarantees that
   * at least one entry still to come matches the request, because its query said all of the request
   * exactly. Lets the merge answer `hasNextPage` without reading that page. Checked in development.
   */
  more?: boolean;
}

/** An expected failure of a write, as `UserError` shows it. */
export interface UserErrorModel {
  /** Path of the input field, e.g. `['input', 'xurrent', 'timeSpent']`; null when about the whole call. */
  field: string[] | null;
  /** Quotes the offending value. */
  message: string;
  /** Stable code, e.g. `INEXACT_DURATION`, `VALIDATION`, `VERSION_CONFLICT`, `NOT_FOUND`. */
  code: string;
}

/**
 * What a write returns: the entry as the backend now has it (read back after the write, never a
 * cached copy), or userErrors. Backend failures are thrown as SourceError instead.
 */
export interface WriteResult {
  entry: EntryModel | null;
  userErrors: UserErrorModel[];
}

/**
 * The unified writes a backend offers. Each validates its input as the vendor documents it before
 * any upstream call (a rejected input makes none), converts durations exactly, maps the vendor's
 * validation answers to userErrors with field paths, and never retries a write once sent.
 */
export interface SourceWrites {
  /** `input` is this backend's member of `TimeEntryCreateInput`; field paths start `['input', field]`. */
  create?(input: unknown, signal?: AbortSignal): Promise<WriteResult>;
  /** `input` is this backend's member of `TimeEntryUpdateInput`. */
  update?(key: string, input: unknown, signal?: AbortSignal): Promise<WriteResult>;
  /** Soft delete where the backend has one; `hard` asks for a permanent delete where it exists. */
  delete(key: string, options: { hard: boolean }, signal?: AbortSignal): Promise<WriteResult>;
  /** Creates that can be found again after a lost answer; absent where the vendor offers no lookup. */
  readonly stamped?: StampedCreates;
}

/** What the lookup of a stamped create found: the entry, none (nothing was written), or no way to tell. */
export type StampLookup = { entry: EntryModel } | 'absent' | 'unknowable';

/**
 * Keyed creates (`timeEntryCreate` with an `idempotencyKey`): `create` writes like `SourceWrites.create`
 * and carries `stamp` (unique to the attempt) in a field the vendor keeps and filters on; after
 * `SOURCE_OUTCOME_UNKNOWN`, `find` looks for it with one lookup. `find` answers `'unknowable'` for an
 * input that leaves no field for the stamp.
 */
export interface StampedCreates {
  create(input: unknown, stamp: string, signal?: AbortSignal): Promise<WriteResult>;
  find(input: unknown, stamp: string, signal?: AbortSignal): Promise<StampLookup>;
}

/**
 * What a backend's list query can push down of the core's list plan (`core/list-plan.ts`); the core
 * checks the unified filter and the seek position of every entry whatever is declared here.
 */
export type Pushdown =
  /** It reads in the requested order, and so may promise a frontier before its stream ends. */
  | 'sort'
  /** The work-date range (`ListPlan.workDates`). */
  | 'workDates'
  /** The updated window (`ListPlan.updated`). */
  | 'updated'
  /** Leaving out deleted entries. */
  | 'deleted'
  /** The seek position of the cursor (inside the work-date range or the updated window). */
  | 'seek'
  /**
   * Within one sort key it reads in the gateway's tie order (backend id ascending, `compareIds`), so
   * its stream is in total order: nothing still to come sorts before an entry already yielded. The
   * merge then releases a whole batch at once, the entries at the frontier key included, instead of
   * reading the next page to learn how that key's ties end. Checked in development.
   */
  | 'ties';

/** A configured backend, created once at start-up and shared by all requests. */
export interface SourceAdapter {
  readonly source: TimeSource;
  /**
   * What its list query pushes down (for fewer upstream rows). Checked in development: a backend
   * that does not declare `sort` promises no frontier before its stream ends.
   */
  readonly pushdown: readonly Pushdown[];
  /** Streams the entries matching the request (see `EntryBatch` for the ordering promise). */
  list(request: ListRequest): AsyncIterable<EntryBatch>;
  /**
   * Looks entries up by key (see `EntryModel.key`), batched: one result per key, in key order;
   * null for a miss. Called by a per-request DataLoader; chunk to the backend's limits inside.
   */
  getEntries(keys: readonly string[]): Promise<Array<EntryModel | null | Error>>;
  /** Looks people up by their backend id, batched like `getEntries`. */
  getPeople(ids: readonly string[]): Promise<Array<PersonModel | null | Error>>;
  /** Whether a lookup key is well-formed (malformed ids are rejected before any upstream call). */
  isValidKey(key: string): boolean;
  /** The unified writes; undefined for a read-only backend. */
  readonly writes?: SourceWrites;
  /** Its circuit breaker's state (`Query.sourceStatus`, `GET /health`); undefined when it has none. */
  status?(): CircuitStatus;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Everything the gateway needs to know about one backend; registered in `src/sources/registry.ts`. */
export interface SourceDefinition<Config = unknown> {
  readonly source: TimeSource;
  /** Its product name as users know it (log lines, documentation), e.g. `primaERP`. */
  readonly title: string;
  /** The GraphQL object type of its entries. */
  readonly typename: string;
  /**
   * Its lowerCamel name in unified inputs: the field of `TimeEntryFilter` holding its specific filter,
   * and the member of `TimeEntryCreateInput` / `TimeEntryUpdateInput` holding its write input.
   */
  readonly field: string;
  /**
   * Reads its configuration from the environment. Returns null when its base URL is unset (the
   * backend is disabled); throws `ConfigError` naming the first missing variable otherwise.
   */
  configFromEnv(env: Readonly<Record<string, string | undefined>>): Config | null;
  create(config: Config): SourceAdapter;
  /** Resolvers of its own types and root fields. */
  readonly resolvers: SourceResolvers;
}
