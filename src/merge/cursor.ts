/**
 * Opaque cursors. A cursor is the position of the last entry of a page in the total order (see
 * order.ts), which fixes every source's position at once: each source resumes with its entries
 * after that point. It also carries the sort and a digest of the filter, so a cursor cannot be
 * replayed against another query.
 */
import { createHash } from 'node:crypto';
import type { SortKey, TimeEntrySort, TimeSource } from '../core/contract.js';
import type { Position } from '../core/order.js';

interface CursorPayload {
  v: 1;
  s: TimeEntrySort;
  f: string;
  k: SortKey;
  src: TimeSource;
  id: string;
}

/** A short digest of whatever defines the result set (normalized filter and sources). */
export function queryDigest(query: unknown): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 12);
}

export function encodeCursor(sort: TimeEntrySort, digest: string, position: Position): string {
  const payload: CursorPayload = { v: 1, s: sort, f: digest, k: position.key, src: position.source, id: position.sourceId };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Decodes a cursor for this sort and filter; returns a reason string when it does not fit. */
export function decodeCursor(cursor: string, sort: TimeEntrySort, digest: string): Position | string {
  let payload: Partial<CursorPayload>;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    return 'not a cursor issued by timeEntries';
  }
  if (payload?.v !== 1 || typeof payload.id !== 'string' || typeof payload.src !== 'string' ||
      (typeof payload.k !== 'string' && typeof payload.k !== 'number')) {
    return 'not a cursor issued by timeEntries';
  }
  if (payload.s !== sort || payload.f !== digest) return 'the cursor was issued for a different sort or filter';
  // A key of the other kind cannot come from this sort: the cursor was made by hand.
  if (typeof payload.k !== (sort.startsWith('WORK_DATE') ? 'string' : 'number')) return 'not a cursor issued by timeEntries';
  return { key: payload.k, source: payload.src, sourceId: payload.id };
}
