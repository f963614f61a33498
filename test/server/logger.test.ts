// A backend's failure is logged as one warning line: no stack, no file paths, no upstream URL.
import { GraphQLError } from 'graphql';
import { afterEach, expect, it, vi } from 'vitest';
import { SourceError } from '../../src/core/errors.js';
import { createGatewayLogger } from '../../src/server/logger.js';

afterEach(() => vi.restoreAllMocks());

it('logs a SourceError as a one-line warning and other errors as errors', () => {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => lines.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' '));
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation(capture);
  const logger = createGatewayLogger('warn');

  const failure = new SourceError('XURRENT', 'SOURCE_UNAVAILABLE', 'XURRENT answered HTTP 503', 503, { cause: new Error('http://127.0.0.1:1/v1?token=t0ps3cret') });
  logger.error(new GraphQLError('masked', { originalError: failure }));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('XURRENT SOURCE_UNAVAILABLE: XURRENT answered HTTP 503');
  expect(lines[0]).not.toMatch(/t0ps3cret|127\.0\.0\.1|\.ts:\d+/);

  logger.error(new Error('a real bug'));
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('a real bug');
});
