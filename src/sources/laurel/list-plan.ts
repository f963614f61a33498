/**
 * The core's list plan as Laurel can be asked: its one filter is an updated window (the plan's
 * updated window, seek position included), so the rest, the `laurel:` filter, is checked locally.
 */
import type { LaurelEntryFilter } from '../../generated/graphql.js';
import type { EntryModel, ListRequest } from '../../core/contract.js';
import { planList } from '../../core/list-plan.js';
import type { LaurelWindow } from './client.js';
import type { RawEntry } from './raw.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The upper end of an open window: a day ahead (clock skew), rounded up to the hour, so the same
 * read sends the same URL for an hour (coalesced, cached) instead of a new one every millisecond.
 */
export const openEndMs = (nowMs: number) => Math.ceil((nowMs + DAY_MS) / HOUR_MS) * HOUR_MS;

/** The window (afterMs, onOrBeforeMs] as Laurel takes it. */
export const windowOf = (afterMs: number, onOrBeforeMs: number): LaurelWindow => ({
  after: new Date(afterMs).toISOString(),
  onOrBefore: new Date(onOrBeforeMs).toISOString(),
});

export interface LaurelListPlan {
  /** The window to read; null when nothing can match (no request needed). */
  window: LaurelWindow | null;
  /** Exact check on a mapped entry: the core's plan, then the `laurel:` filter. */
  accept(entry: EntryModel): boolean;
}

/** The core's plan (`core/list-plan.ts`) as Laurel's window, plus the `laurel:` filter. */
export function planLaurelList(request: ListRequest, now: () => number): LaurelListPlan {
  const plan = planList(request);
  const { afterMs = 0, atLeastMs, atMostMs } = plan.updated;
  const after = atLeastMs === undefined ? afterMs : Math.max(afterMs, atLeastMs - 1);
  const onOrBefore = atMostMs ?? openEndMs(now());
  const keep = laurelFilter(request.sourceFilter as LaurelEntryFilter | null | undefined);
  return {
    window: plan.empty || after >= onOrBefore ? null : windowOf(after, onOrBefore),
    accept: (entry) => plan.accept(entry) && keep(entry),
  };
}

/** The `laurel:` filter, which Laurel's window cannot express (the core's plan checks the rest). */
export function laurelFilter(specific: LaurelEntryFilter | null | undefined): (entry: EntryModel) => boolean {
  if (!specific) return () => true;
  const userIds = specific.userIds ? new Set(specific.userIds.map((u) => u.toLowerCase())) : null;
  const initiatives = specific.initiativeExternalIds ? new Set(specific.initiativeExternalIds) : null;
  const clients = specific.clientExternalIds ? new Set(specific.clientExternalIds) : null;
  const methods = specific.creationMethods ? new Set<string>(specific.creationMethods) : null;
  return (e) => {
    const raw = e.raw as RawEntry;
    if (userIds && !userIds.has(raw.userId.toLowerCase())) return false;
    if (initiatives && !initiatives.has(initiativeExternalId(raw) ?? '')) return false;
    if (clients && !clients.has(clientExternalId(raw) ?? '')) return false;
    if (methods && !('creationMethod' in raw && methods.has(raw.creationMethod.toUpperCase()))) return false;
    return true;
  };
}

function initiativeExternalId(raw: RawEntry): string | undefined {
  if ('initiativeExternalId' in raw && raw.initiativeExternalId !== undefined) return raw.initiativeExternalId;
  return 'initiativeProps' in raw ? raw.initiativeProps?.initiative?.externalId : undefined;
}

function clientExternalId(raw: RawEntry): string | undefined {
  if ('clientExternalId' in raw && raw.clientExternalId !== undefined) return raw.clientExternalId;
  return 'initiativeProps' in raw ? raw.initiativeProps?.initiative?.client?.externalId : undefined;
}
