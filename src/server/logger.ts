import { GraphQLError } from 'graphql';
import { createLogger, type LogLevel, type YogaLogger } from 'graphql-yoga';
import { isSourceError } from '../core/errors.js';

/**
 * yoga's logger, except that a backend's failure is an expected event, not a crash: it is logged as
 * one warning line (source, code, message; no stack, no upstream URL) instead of an error with a stack.
 */
export function createGatewayLogger(level: LogLevel): YogaLogger {
  const base = createLogger(level);
  return {
    ...base,
    error(...args: unknown[]) {
      const [first] = args;
      const original = first instanceof GraphQLError ? first.originalError : first;
      if (isSourceError(original)) base.warn(`${original.source} ${original.code}: ${original.message}`);
      else base.error(...args);
    },
  };
}
