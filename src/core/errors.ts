/**
 * The error vocabulary every layer shares: a leaf module with stable codes (as undici's
 * `lib/core/errors.js`), so that nothing needs to import upward to throw or recognize one.
 */
import { GraphQLError } from 'graphql';
import type { TimeSource } from './contract.js';

/** Stable codes of a backend's failure, as clients see them in `extensions.code`. */
export type SourceErrorCode =
  | 'SOURCE_TIMEOUT'
  | 'SOURCE_UNAVAILABLE'
  | 'SOURCE_RATE_LIMITED'
  | 'SOURCE_UNAUTHENTICATED'
  | 'SOURCE_BAD_RESPONSE'
  | 'SOURCE_NOT_CONFIGURED'
  /** A write that may have reached the backend got no usable answer: it may or may not have happened. */
  | 'SOURCE_OUTCOME_UNKNOWN';

/**
 * A backend failed. The message is written for clients: it never holds an upstream URL, a token or a
 * raw body (those stay in `cause`, which is never serialized).
 */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  /**
   * How long the backend asked us to wait (its `Retry-After`, the pause a rate-limit answer without one
   * starts, or an open circuit's cooldown), in whole milliseconds.
   */
  retryAfterMs?: number;
  /** Set when the call was not made because the backend's circuit is open (see `http/circuit-breaker.ts`). */
  readonly circuit?: 'OPEN';
  constructor(
    readonly source: TimeSource,
    readonly code: SourceErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown; retryAfterMs?: number; circuit?: 'OPEN' },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = Math.ceil(options.retryAfterMs);
    if (options?.circuit) this.circuit = options.circuit;
  }
}

/** Incomplete or invalid configuration: names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * A backend broke the source contract (`src/core/contract.ts`): a defect of its adapter, found by
 * the development checks of `contract-checks.ts`. Never a backend failure, so never swallowed as one.
 */
export class ContractError extends Error {
  override readonly name = 'ContractError';
}

/** Bad input from the client: names the argument and quotes the value. */
export function badInput(argument: string, value: unknown, reason: string): GraphQLError {
  return new GraphQLError(`Argument "${argument}" has invalid value ${JSON.stringify(value)}: ${reason}.`, {
    extensions: { code: 'BAD_USER_INPUT', argument },
  });
}

/**
 * The one mapping from internal errors to what a client sees: `{ code, source }`, plus `retryAfterMs`
 * when the backend said when to come back (or an open circuit's cooldown) and `circuit: "OPEN"` when no
 * call was made because the backend's circuit is open.
 */
export function toGraphQLError(error: SourceError, path?: ReadonlyArray<string | number>): GraphQLError {
  return new GraphQLError(error.message, {
    path,
    extensions: {
      code: error.code,
      source: error.source,
      ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
      ...(error.circuit && { circuit: error.circuit }),
    },
  });
}

/**
 * What an adapter's unexpected failure means to a client: our own GraphQL errors (bad input) and
 * SourceErrors pass; anything else came from an answer the mapping could not read.
 */
export function asSourceFailure(source: TimeSource, error: unknown): Error {
  if (error instanceof SourceError || error instanceof GraphQLError || error instanceof ContractError) return error;
  return new SourceError(source, 'SOURCE_BAD_RESPONSE', `${source} sent an answer TimeGraph could not read`, undefined, { cause: error });
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}

/** A write whose outcome is unknown (see `SOURCE_OUTCOME_UNKNOWN`): an idempotency key stays claimed. */
export function isOutcomeUnknown(error: unknown): error is SourceError {
  return error instanceof SourceError && error.code === 'SOURCE_OUTCOME_UNKNOWN';
}
