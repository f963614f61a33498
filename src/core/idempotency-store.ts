/** Where idempotency keys live (memory or Redis, in `src/writes/`); the context holds one. */
export type ClaimResult =
  | { status: 'claimed' }
  | { status: 'pending'; fingerprint: string }
  | { status: 'done'; fingerprint: string; result: string };

/** Where keys live. Implementations must make `claim` atomic across everything that shares them. */
export interface IdempotencyStore {
  /** Claims `key` for `fingerprint` unless someone holds it; otherwise says who does and how far. */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult>;
  /** Stores the result of a claimed key. */
  complete(key: string, fingerprint: string, result: string, ttlMs: number): Promise<void>;
  /** Frees a claimed key whose operation failed without a result, so the client may try again. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}
