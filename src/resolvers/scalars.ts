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

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => value,
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** Outputs are already UTC ISO strings (the mappings produce them); inputs are normalized to UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 instant with a zone offset; serialized in UTC.',
  serialize: (value) => value,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
