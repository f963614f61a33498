/**
 * The simulator's in-memory state and the vendor's state changes on time records: create, update
 * with optimistic locking, trash / restore / hard delete, and price (re)calculation.
 */
import { createRandom, uuid } from '../common/random.js';
import { formatMsJsonDate, parseMsJsonDate } from '../../units/dates.js';
import type {
  RawClient,
  RawConstraintViolation,
  RawEntity,
  RawExternalSystem,
  RawProject,
  RawTag,
  RawTask,
  RawTimeRecord,
  RawTrashItem,
  RawUser,
  RawWorkType,
} from '../../sources/primaerp/raw.js';
import { buildSeed, computePrice, type SeedOptions } from './data.js';

export type ScopeKind = 'projects' | 'tasks' | 'users' | 'tags' | 'worktypes';
export interface Scope {
  kind: ScopeKind;
  id: string;
}

const UUID_RE = /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

export type WriteResult =
  | { ok: true; record: RawTimeRecord }
  | { ok: false; kind: 'violations'; violations: RawConstraintViolation[] }
  | { ok: false; kind: 'conflict'; message: string }
  | { ok: false; kind: 'notFound' };

export class PrimaerpStore {
  readonly records = new Map<string, RawTimeRecord>();
  readonly users = new Map<string, RawUser>();
  readonly clients = new Map<string, RawClient>();
  readonly projects = new Map<string, RawProject>();
  readonly tasks = new Map<string, RawTask>();
  readonly workTypes = new Map<string, RawWorkType>();
  readonly tags = new Map<string, RawTag>();
  readonly externalSystems = new Map<string, RawExternalSystem>();
  /** record id → tag ids. */
  readonly recordTags = new Map<string, string[]>();
  /** Work type id → default unit price. */
  readonly rates = new Map<string, number>();
  private readonly random;

  constructor(options: SeedOptions, readonly now: () => number = Date.now) {
    const seed = buildSeed(options);
    this.random = createRandom(options.seed ^ 0x5eed);
    const fill = <T extends RawEntity>(map: Map<string, T>, items: T[]) => items.forEach((i) => map.set(i.id, i));
    fill(this.records, seed.records);
    fill(this.users, seed.users);
    fill(this.clients, seed.clients);
    fill(this.projects, seed.projects);
    fill(this.tasks, seed.tasks);
    fill(this.workTypes, seed.workTypes);
    fill(this.tags, seed.tags);
    fill(this.externalSystems, seed.externalSystems);
    seed.recordTags.forEach((v, k) => this.recordTags.set(k, v));
    seed.rates.forEach((v, k) => this.rates.set(k, v));
  }

  /** The collection a scope names, to check the scope entity exists. */
  scopeExists(scope: Scope): boolean {
    const maps = { projects: this.projects, tasks: this.tasks, users: this.users, tags: this.tags, worktypes: this.workTypes } as const;
    return maps[scope.kind].has(scope.id);
  }

  inScope(record: RawTimeRecord, scope: Scope | null): boolean {
    if (!scope) return true;
    switch (scope.kind) {
      case 'projects':
        return record.project?.id === scope.id;
      case 'tasks':
        return record.task?.id === scope.id;
      case 'users':
        return record.user?.id === scope.id;
      case 'worktypes':
        return record.workType?.id === scope.id;
      case 'tags':
        return this.recordTags.get(record.id)?.includes(scope.id) ?? false;
    }
  }

  /** Unbilled: billable, not billed, effective, not in the trash. */
  isUnbilled(record: RawTimeRecord): boolean {
    return record.billable === true && record.billed !== true && record.effective !== false && !record.trashItem;
  }

  /**
   * Builds a record from a request body over `base` (create: an empty base). Reference fields are
   * given as `{id}` and expanded from the store; unknown ones are constraint violations.
   */
  compose(body: Record<string, unknown>, base: RawTimeRecord | null, scope: Scope | null): { record: RawTimeRecord; violations: RawConstraintViolation[] } {
    const violations: RawConstraintViolation[] = [];
    const violation = (field: string, constraint: string, message: string) =>
      violations.push({ entityPath: `TimeRecord.${field}`, entityType: 'TimeRecord', field, constraint, message });
    const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k);
    const record: RawTimeRecord = base ? structuredClone(base) : { id: '' };

    if (!base) {
      const id = body.id;
      if (id === undefined || id === null) record.id = uuid(this.random);
      else if (typeof id !== 'string' || !UUID_RE.test(id)) violation('id', 'Pattern', 'must match "[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"');
      else if (this.records.has(id)) violation('id', 'Unique', 'a record with this id already exists');
      else record.id = id;
    }

    for (const k of ['approved', 'billable', 'priceAutoCalculation', 'priceModified', 'externalSynced'] as const) {
      if (has(k)) {
        const v = body[k];
        if (v !== null && typeof v !== 'boolean') violation(k, 'Type', 'must be a boolean');
        else record[k] = v;
      }
    }
    for (const k of ['description', 'externalBrowsableUrl', 'externalResourceId'] as const) {
      if (has(k)) {
        const v = body[k];
        if (v !== null && typeof v !== 'string') violation(k, 'Type', 'must be a string');
        else record[k] = v;
      }
    }
    for (const k of ['price', 'unitPrice', 'duration'] as const) {
      if (has(k)) {
        const v = body[k];
        if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) violation(k, 'Type', 'must be a number');
        else record[k] = v;
      }
    }
    for (const k of ['start', 'stop'] as const) {
      if (has(k)) {
        const v = body[k];
        if (v === null) record[k] = null;
        else if (typeof v !== 'string' || parseMsJsonDate(v) === null) violation(k, 'Type', 'must be a date like /Date(1489301594659)/');
        else record[k] = v;
      }
    }
    if (has('effective')) {
      const v = body.effective;
      if (v !== null && typeof v !== 'boolean') violation('effective', 'Type', 'must be a boolean');
      record.effective = v as boolean | null;
    } else if (!base) record.effective = true;

    const ref = <T extends RawEntity>(field: string, map: Map<string, T>): T | null | undefined => {
      if (!has(field)) return undefined;
      const v = body[field];
      if (v === null) return null;
      const id = (v as { id?: unknown } | undefined)?.id;
      const found = typeof id === 'string' ? map.get(id) : undefined;
      if (!found) {
        violation(field, 'Exists', `no ${field} with id ${JSON.stringify(id ?? null)}`);
        return undefined;
      }
      return structuredClone(found);
    };
    const user = ref('user', this.users);
    if (user !== undefined) record.user = user;
    const project = ref('project', this.projects);
    if (project !== undefined) record.project = project;
    const task = ref('task', this.tasks);
    if (task !== undefined) record.task = task;
    const client = ref('client', this.clients);
    if (client !== undefined) record.client = client;
    const workType = ref('workType', this.workTypes);
    if (workType !== undefined) record.workType = workType;
    const ext = ref('externalSystem', this.externalSystems);
    if (ext !== undefined) record.externalSystem = ext;

    // A scoped URL names the reference itself.
    if (scope?.kind === 'projects' && !has('project')) record.project = structuredClone(this.projects.get(scope.id)!);
    if (scope?.kind === 'tasks' && !has('task')) record.task = structuredClone(this.tasks.get(scope.id)!);
    if (scope?.kind === 'users' && !has('user')) record.user = structuredClone(this.users.get(scope.id)!);
    if (scope?.kind === 'worktypes' && !has('workType')) record.workType = structuredClone(this.workTypes.get(scope.id)!);
    if (record.task?.project && !record.project) record.project = structuredClone(this.projects.get(record.task.project.id) ?? record.task.project);
    if (record.project?.client && !record.client) record.client = structuredClone(record.project.client);

    if (!record.user) violation('user', 'NotNull', 'may not be null');
    if (record.effective === null || record.effective === undefined) violation('effective', 'NotNull', 'may not be null');

    const start = record.start ? parseMsJsonDate(record.start) : null;
    const stop = record.stop ? parseMsJsonDate(record.stop) : null;
    // start/stop/duration stay consistent: what the body gave wins, the third value follows.
    if (start !== null && stop !== null && !has('duration') && (has('start') || has('stop') || typeof record.duration !== 'number')) {
      record.duration = stop - start;
    } else if (start !== null && typeof record.duration === 'number' && !has('stop') && (has('duration') || has('start') || stop === null)) {
      record.stop = formatMsJsonDate(start + record.duration);
    }
    if (start !== null && stop !== null && stop < start) violation('stop', 'AfterStart', 'must not be before start');
    if (typeof record.duration === 'number' && record.duration < 0) violation('duration', 'Min', 'must be greater than or equal to 0');
    if (typeof record.duration === 'number' && !Number.isInteger(record.duration)) violation('duration', 'Type', 'must be a whole number of milliseconds');

    this.price(record);
    record.recordType = 'ATTENDANCE';
    record.displayName = record.user?.displayName ?? null;
    if (record.externalSynced && has('externalSynced')) record.externalSyncedAt = formatMsJsonDate(this.now());
    return { record, violations };
  }

  /** Applies the price list unless the price was set by hand; only billable records keep a price. */
  price(record: RawTimeRecord): void {
    if (record.billable !== true) {
      delete record.price;
      return;
    }
    if (record.priceModified === true) return;
    const unitPrice = record.unitPrice ?? (record.workType ? this.rates.get(record.workType.id) : undefined) ?? 0;
    record.unitPrice = unitPrice;
    record.price = computePrice(unitPrice, record.duration ?? 0);
  }

  create(body: Record<string, unknown>, scope: Scope | null): WriteResult {
    const { record, violations } = this.compose(body, null, scope);
    if (violations.length > 0) return { ok: false, kind: 'violations', violations };
    const now = formatMsJsonDate(this.now());
    Object.assign(record, { createdAt: now, updatedAt: now, version: 0, billed: false });
    this.records.set(record.id, record);
    if (scope?.kind === 'tags') this.recordTags.set(record.id, [scope.id]);
    return { ok: true, record };
  }

  update(id: string, body: Record<string, unknown>, scope: Scope | null): WriteResult {
    const existing = this.records.get(id);
    if (!existing || !this.inScope(existing, scope)) return { ok: false, kind: 'notFound' };
    if (body.version === undefined || body.version === null) {
      return { ok: false, kind: 'violations', violations: [{ entityPath: 'TimeRecord.version', entityType: 'TimeRecord', field: 'version', constraint: 'NotNull', message: 'may not be null' }] };
    }
    if (body.version !== existing.version) {
      return { ok: false, kind: 'conflict', message: `version ${JSON.stringify(body.version)} is stale; the record is at version ${existing.version}` };
    }
    const { id: _ignored, ...rest } = body;
    const { record, violations } = this.compose(rest, existing, null);
    if (violations.length > 0) return { ok: false, kind: 'violations', violations };
    this.bump(record);
    this.records.set(id, record);
    return { ok: true, record };
  }

  /** Moves a record to the trash (a trash item is created); idempotent. */
  trash(id: string, scope: Scope | null): WriteResult {
    const record = this.records.get(id);
    if (!record || !this.inScope(record, scope)) return { ok: false, kind: 'notFound' };
    if (!record.trashItem) {
      const now = formatMsJsonDate(this.now());
      const item: RawTrashItem = { id: uuid(this.random), createdAt: now, updatedAt: now, version: 0, objectType: 'TimeRecord', objectId: id, displayName: record.displayName ?? null };
      record.trashItem = item;
      this.bump(record);
    }
    return { ok: true, record };
  }

  hardDelete(id: string, scope: Scope | null): boolean {
    const record = this.records.get(id);
    if (!record || !this.inScope(record, scope)) return false;
    this.records.delete(id);
    this.recordTags.delete(id);
    return true;
  }

  /** The trashed record whose trash item has this id. */
  findByTrashItem(trashItemId: string): RawTimeRecord | undefined {
    for (const r of this.records.values()) if (r.trashItem?.id === trashItemId) return r;
    return undefined;
  }

  restore(trashItemId: string): WriteResult {
    const record = this.findByTrashItem(trashItemId);
    if (!record) return { ok: false, kind: 'notFound' };
    delete record.trashItem;
    this.bump(record);
    return { ok: true, record };
  }

  updatePrice(id: string, scope: Scope | null): WriteResult {
    const record = this.records.get(id);
    if (!record || !this.inScope(record, scope)) return { ok: false, kind: 'notFound' };
    const before = record.price;
    const { unitPrice: _u, ...withoutUnit } = record;
    // Re-reads the price list: the work type's current rate replaces the stored unit price.
    const fresh: RawTimeRecord = { ...withoutUnit };
    this.price(fresh);
    if (record.priceModified !== true && (fresh.price !== before || fresh.unitPrice !== record.unitPrice)) {
      record.price = fresh.price;
      record.unitPrice = fresh.unitPrice;
      this.bump(record);
    }
    return { ok: true, record };
  }

  private bump(record: RawTimeRecord): void {
    record.version = (record.version ?? 0) + 1;
    record.updatedAt = formatMsJsonDate(Math.max(this.now(), (parseMsJsonDate(record.updatedAt ?? '') ?? 0) + 1));
  }
}
