import type { Resolvers } from '../generated/graphql.js';
import { encodeId } from '../core/ids.js';
import type { EntryModel, PersonModel } from '../core/contract.js';
import { fromMilliseconds, toIso8601 } from '../units/duration.js';

export const isEntry = (value: EntryModel | PersonModel): value is EntryModel => 'typename' in value;

/**
 * The TimeEntry fields that are computed rather than read from the model; schema.ts adds them to
 * every backend's entry type, so backends only write resolvers for their own fields.
 */
export const entryFieldResolvers = {
  id: (entry: EntryModel) => encodeId('TimeEntry', entry.source, entry.key),
  duration: (entry: EntryModel) => entry.durationMs,
};

/** Resolvers of the unified types. */
export const timeEntryResolvers: Resolvers = {
  Node: {
    __resolveType: (value) => (isEntry(value) ? value.typename : 'Person') as never,
  },
  TimeEntry: {
    __resolveType: (entry) => entry.typename as never,
  },
  Duration: {
    milliseconds: (ms) => ms,
    seconds: (ms) => fromMilliseconds(ms, 'SECONDS'),
    minutes: (ms) => fromMilliseconds(ms, 'MINUTES'),
    hours: (ms) => fromMilliseconds(ms, 'HOURS'),
    iso8601: (ms) => toIso8601(ms),
  },
  Person: {
    id: (person) => encodeId('Person', person.source, person.sourceId),
    // Synchronous when the entry carried the value (the common case): no promise per entry.
    name: (person, _args, ctx) =>
      person.name ?? (person.email === undefined ? ctx.loaders.person(person.source).load(person.sourceId).then((p) => p?.name ?? null) : null),
    email: (person, _args, ctx) =>
      person.email !== undefined ? person.email : ctx.loaders.person(person.source).load(person.sourceId).then((p) => p?.email ?? null),
  },
  TimeEntryConnection: {
    nodes: (connection) => connection.edges.map((edge) => edge.node),
  },
};
