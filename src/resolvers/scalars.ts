import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isCalendarDate, isoUtc, parseInstant } from '../units/dates.js';

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new GraphQLError(`Date cannot represent ${JSON.stringify(value)}: expected a calendar date YYYY-MM-DD`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

function parseDateTime(value: unknown): string {
  const ms = typeof value === 'string' ? parseInstant(value) : null;
  if (ms === null) {
    throw new GraphQLError(
      `DateTime cannot represent ${JSON.stringify(value)}: expected ISO 8601 with a zone, e.g. 2024-05-01T09:30:00Z`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  return isoUtc(ms);
}

/** RFC 3339's `full-date` and `date-time`; the same URL as `@specifiedBy` in schema/base.graphql. */
export const RFC3339_URL = 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6';

// graphql-tools copies every property of these instances over the SDL's type, so the description and
// `specifiedByURL` are repeated here (test/clients/schema-for-clients.test.ts keeps them equal).
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, `YYYY-MM-DD` (ISO 8601), with no time zone.',
  specifiedByURL: RFC3339_URL,
  serialize: (value) => value,
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** Outputs are already UTC ISO strings (the mappings produce them); inputs are normalized to UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with a time zone offset. Serialized in UTC (`2016-03-28T17:13:11.000Z`).',
  specifiedByURL: RFC3339_URL,
  serialize: (value) => value,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
