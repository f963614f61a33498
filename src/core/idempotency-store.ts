/** Where idempotency keys live (memory or Redis, in `src/writes/`); the context holds one. */
export type ClaimResult =
  | { status: 'claimed' }
  | { status: 'pending'; fingerprint: string }
  | { status: 'done'; fingerprint: string; result: string }
  /**
   * The key's last attempt has an unknown outcome (`markUnknown`). When `fingerprint` is the caller's,
   * the claim handed the key to the caller to reconcile: others see `pending` until it completes,
   * releases or marks the key unknown again.
   */
  | { status: 'unknown'; fingerprint: string; detail: string };

/** Where keys live. Implementations must make `claim` atomic across everything that shares them. */
export interface IdempotencyStore {
  /** Claims `key` for `fingerprint` unless someone holds it; otherwise says who does and how far. */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult>;
  /** Stores the result of a claimed key. */
  complete(key: string, fingerprint: string, result: string, ttlMs: number): Promise<void>;
  /**
   * Keeps a claimed key whose write may have happened: `detail` is what a retry needs to find out
   * (JSON, written by `runIdempotent`). The key is free for the next claim with the same fingerprint.
   */
  markUnknown(key: string, fingerprint: string, detail: string, ttlMs: number): Promise<void>;
  /** Frees a claimed key whose operation provably wrote nothing, so the client may try again. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}
