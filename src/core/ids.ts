import type { TimeSource } from './contract.js';

/** What a global id points at. */
export type NodeKind = 'TimeEntry' | 'Person';

export interface DecodedId {
  kind: NodeKind;
  source: TimeSource;
  /** The backend-specific lookup key (for Laurel `userId/entryId`, elsewhere the backend's id). */
  key: string;
}

const KINDS: ReadonlySet<string> = new Set<NodeKind>(['TimeEntry', 'Person']);

/** Global ids are base64url of `Kind:SOURCE:key`: opaque to clients, routable for the gateway. */
export function encodeId(kind: NodeKind, source: TimeSource, key: string): string {
  return Buffer.from(`${kind}:${source}:${key}`, 'utf8').toString('base64url');
}

/** Decodes a global id; null when it is not one of ours. */
export function decodeId(id: string): DecodedId | null {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const first = text.indexOf(':');
  const second = text.indexOf(':', first + 1);
  if (first < 0 || second < 0) return null;
  const kind = text.slice(0, first);
  const source = text.slice(first + 1, second);
  const key = text.slice(second + 1);
  // Whether the source exists is the registry's business (query.ts); here only the shape is checked.
  if (!KINDS.has(kind) || !/^[A-Z]+$/.test(source) || key === '') return null;
  return { kind: kind as NodeKind, source: source as TimeSource, key };
}
