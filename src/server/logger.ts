import { GraphQLError } from 'graphql';
import { createLogger, type LogLevel, type YogaLogger } from 'graphql-yoga';
import { pino, type DestinationStream, type Logger } from 'pino';
import { isSourceError } from '../core/errors.js';
import { currentRequestId } from './request-id.js';

/** `pretty`: yoga's readable lines (development); `json`: one JSON object per line (production). */
export type LogFormat = 'pretty' | 'json';

export interface GatewayLoggerOptions {
  format?: LogFormat;
  /** Where JSON lines go (tests capture them); standard output by default. */
  destination?: DestinationStream;
}

/**
 * Keys whose values never reach a log line, at the top level or one or two levels down (`headers`,
 * `req.headers`): client and backend credentials, cookies, tokens.
 */
const SECRET_KEYS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'token', 'accessToken', 'access_token', 'apikey', 'apiKey', 'password', 'secret', 'clientSecret', 'client_secret'];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`, `*.*["${key}"]`]);

/**
 * yoga's logger, except that a backend's failure is an expected event, not a crash: it is logged as
 * one warning line (source, code, message; no stack, no upstream URL) instead of an error with a stack.
 * In `json` format every line is a pino JSON object carrying the `requestId` echoed as `x-request-id`.
 */
export function createGatewayLogger(level: LogLevel, { format = 'pretty', destination }: GatewayLoggerOptions = {}): YogaLogger {
  const base = format === 'json' ? jsonLogger(level, destination) : createLogger(level);
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

function jsonLogger(level: LogLevel, destination: DestinationStream | undefined): YogaLogger {
  const options = {
    level,
    base: undefined,
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  const log: Logger = destination ? pino(options, destination) : pino(options);
  const method = (name: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const fields: Record<string, unknown> = {};
    const words: string[] = [];
    for (const arg of args) {
      if (arg instanceof Error) fields.err = arg;
      else if (arg !== null && typeof arg === 'object') Object.assign(fields, arg);
      else words.push(String(arg));
    }
    log[name](fields, words.join(' '));
  };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}
