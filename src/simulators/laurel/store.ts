/**
 * The Laurel simulator's in-memory state: entries ordered by id, their three wire shapes, and the
 * state changes of Laurel's write endpoints.
 */
import type {
  LaurelValidationErrorCode,
  RawExportEntry,
  RawFullEntry,
  RawListEntry,
} from '../../sources/laurel/raw.js';
import { laurelTime, type LaurelWorld, type StoredEntry } from './data.js';

export interface LaurelStore {
  readonly world: LaurelWorld;
  /** Entries in id order (ObjectIds sort by creation second first). */
  ordered(): StoredEntry[];
  get(entryId: string): StoredEntry | undefined;
  /** The entry when it belongs to the user (Laurel addresses entries by customer, user and entry). */
  find(userId: string, entryId: string): StoredEntry | undefined;
  listDto(e: StoredEntry): RawListEntry;
  fullDto(e: StoredEntry): RawFullEntry;
  exportDto(e: StoredEntry): RawExportEntry;
  /** Why the entry cannot be released, or null. */
  releaseProblem(e: StoredEntry, nowMs: number): LaurelValidationErrorCode | null;
  touch(e: StoredEntry, nowMs: number): void;
}

export function unitIncrementCount(e: StoredEntry): number {
  return e.unitIncrementCountFromSources + e.unitIncrementCountAdjustments;
}

export function createLaurelStore(world: LaurelWorld): LaurelStore {
  const byId = new Map(world.entries.map((e) => [e._id, e]));
  const order = [...byId.keys()].sort();

  function listDto(e: StoredEntry): RawListEntry {
    const i = e.initiativeProps.initiative;
    const dto: RawListEntry = {
      entryId: e._id,
      externalId: e.externalId,
      customerId: e.customerId,
      userId: e.userId,
      creationMethod: e.creationMethod,
      releasedBy: e.releasedBy,
      createdBy: e.createdBy,
      workDate: e.workDate,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
      initiativeExternalId: i.externalId,
      clientExternalId: i.client?.externalId,
      summary: e.summary,
      unitIncrementCount: unitIncrementCount(e),
      incrementDurationInSeconds: e.incrementDurationInSeconds,
      firstReleaseAttemptedAt: e.firstReleaseAttemptedAt,
      lastReleasePendingAt: e.lastReleasePendingAt,
      lastReleaseFailedAt: e.lastReleaseFailedAt,
      releaseSuccessAt: e.releaseSuccessAt,
      isDeleted: e.isDeleted,
      notes: e.notes,
      releaseCount: e.releaseCount,
      lastSyncedAt: e.lastSyncedAt,
      initiativeName: i.name,
      clientName: i.client?.name,
      billingType: i.billingType,
      codes: (e.workCodes ?? []).map((w) => ({ codeExternalId: w.code.externalId, codeTypeExternalId: w.code.type.externalId })),
    };
    return dto;
  }

  function fullDto(e: StoredEntry): RawFullEntry {
    const { releasedBy: _r, createdBy: _c, lastReleasePendingAt: _p, lastReleaseFailedAt: _f, releaseSuccessAt: _s, ...full } = e;
    return structuredClone(full);
  }

  function exportDto(e: StoredEntry): RawExportEntry {
    return {
      _id: e._id,
      customerId: e.customerId,
      userId: e.userId,
      workDate: e.workDate ?? '',
      summary: e.summary,
      unitIncrementCount: unitIncrementCount(e),
      incrementDurationInSeconds: e.incrementDurationInSeconds,
      initiativeProps: structuredClone(e.initiativeProps),
      externalId: e.externalId,
      notes: e.notes,
      releaseCount: e.releaseCount,
      lastSyncedAt: e.lastSyncedAt,
      firstReleaseAttemptedAt: e.firstReleaseAttemptedAt,
      isShared: e.isShared,
      sharedFrom: e.sharedFrom,
      codes: (e.workCodes ?? []).map((w) => structuredClone(w.code)),
    };
  }

  function releaseProblem(e: StoredEntry, nowMs: number): LaurelValidationErrorCode | null {
    const count = unitIncrementCount(e);
    if (count === 0) return 'cannot-release-zero-increment';
    if (count < 0) return 'cannot-release-negative-increment';
    if (!e.summary.trim()) return 'summary-is-required';
    const initiative = e.initiativeProps.initiative;
    if (initiative.type === 'user') return 'cannot-release-with-user-initiative';
    if (initiative.status === 'inactive') return 'cannot-release-with-inactive-initiative';
    if (e.incrementDurationInSeconds > 86_400) return 'cannot-exceed-twenty-four-hours';
    if (e.complianceRules?.some((r) => r.enforcementLevel === 'block')) return 'cannot-have-blocked-compliance-rule';
    if (e.workDate && e.workDate > new Date(nowMs).toISOString().slice(0, 10)) {
      return initiative.billingType === 'billable' ? 'cannot-release-billable-future-work' : 'cannot-release-non-billable-future-work';
    }
    return null;
  }

  return {
    world,
    ordered: () => order.map((id) => byId.get(id)!),
    get: (id) => byId.get(id.toLowerCase()),
    find(userId, entryId) {
      const e = byId.get(entryId.toLowerCase());
      return e && e.userId === userId.toLowerCase() ? e : undefined;
    },
    listDto,
    fullDto,
    exportDto,
    releaseProblem,
    touch(e, nowMs) {
      // updatedAt never moves backwards, even when the simulator's clock is behind its seed.
      const ms = Math.max(nowMs, Date.parse(e.updatedAt) + 1000);
      e.updatedAt = laurelTime(ms);
    },
  };
}
