/**
 * What a failed write means for the data: a write that may have reached the backend and got no usable
 * answer may or may not have happened, so it fails with `SOURCE_OUTCOME_UNKNOWN` (never with a read's
 * "could not be reached"), and an idempotency key stays claimed for it (`src/writes/idempotency.ts`).
 * Only a request that provably never left the gateway keeps the failure's own code.
 */
import { SourceError } from '../core/errors.js';
import type { TimeSource } from '../core/contract.js';
import type { AttemptFailure } from './client.js';

/** Errors raised before a connection carried a byte of the request (connect phase only). */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a transport error proves the request never left (a refused or unreachable connection). */
export function neverSent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECT_CODES.has(code)) return true;
  // Node's connection attempts to several addresses fail with an AggregateError of connect errors.
  if (error instanceof AggregateError) return error.errors.length > 0 && error.errors.every(neverSent);
  return false;
}

/** Why the outcome is unknown, for the message; null when the failure proves nothing was written. */
function reasonOf(failure: AttemptFailure): string | null {
  if (!failure.sent) return null;
  switch (failure.kind) {
    case 'network':
      return 'the connection failed after the request was sent';
    case 'timeout':
      return 'no answer came in time';
    case 'deadline':
      return "the operation's deadline passed during the call";
    case 'aborted':
      return 'the call was aborted after the request was sent';
    case 'malformed':
      // A refusal (4xx) in a body we cannot read still refused.
      return failure.status !== undefined && failure.status >= 400 ? null : 'its answer could not be read';
    case 'retryable-answer':
      // 5xx: the backend may have written before failing; 429 and PE01-9002 refuse before any work.
      return failure.error.code === 'SOURCE_UNAVAILABLE' ? `it answered HTTP ${failure.status}` : null;
    case 'answer':
      return null;
  }
}

function mayHaveWritten(source: TimeSource, reason: string, status: number | undefined, cause: unknown): SourceError {
  return new SourceError(
    source,
    'SOURCE_OUTCOME_UNKNOWN',
    `${source} may have carried out this write (${reason}); its outcome is unknown. Retry a create or batch release with the same idempotencyKey: TimeGraph then returns what was written instead of writing twice. Check other writes before repeating them.`,
    status,
    { cause },
  );
}

/** The failure of a write as the client must see it: `SOURCE_OUTCOME_UNKNOWN`, or null to keep its own. */
export function outcomeUnknown(source: TimeSource, failure: AttemptFailure): SourceError | null {
  const reason = reasonOf(failure);
  return reason === null ? null : mayHaveWritten(source, reason, failure.status, failure.error);
}

/**
 * A create the backend answered without a refusal, but with an entry TimeGraph could not read
 * (`SOURCE_BAD_RESPONSE` from the mapping or a 2xx of the wrong shape), may have created the entry:
 * `SOURCE_OUTCOME_UNKNOWN`. Other errors pass unchanged.
 */
export function unreadableCreate(source: TimeSource, error: unknown): unknown {
  if (!(error instanceof SourceError) || error.code !== 'SOURCE_BAD_RESPONSE') return error;
  if (error.status !== undefined && error.status >= 400) return error;
  return mayHaveWritten(source, 'its answer could not be read', error.status, error);
}
