import { GraphQLError, responsePathAsArray } from 'graphql';
import { badInput, toGraphQLError } from '../core/errors.js';
import type { QueryResolvers, ResolversInterfaceTypes, ResolversParentTypes, TimeEntryFilter } from '../generated/graphql.js';
import { decodeId } from '../core/ids.js';
import type { ConnectionModel } from '../merge/connection.js';
import { decodeCursor, encodeCursor, queryDigest } from '../merge/cursor.js';
import { readPage } from '../merge/merge.js';
import { positionOf } from '../core/order.js';
import type { GatewayContext } from '../core/context.js';
import type { EntryFilter, EntryModel, SourceAdapter, TimeSource } from '../core/contract.js';
import { SOURCES } from '../sources/registry.js';

/** The most entries one page may hold. */
export const MAX_FIRST = 500;

/** The unified part of the filter, normalized (DateTime inputs are already UTC ISO strings). */
function normalizeFilter(input: TimeEntryFilter | null | undefined): EntryFilter {
  const filter: EntryFilter = { includeDeleted: input?.includeDeleted === true };
  if (input?.workDateFrom) filter.workDateFrom = input.workDateFrom;
  if (input?.workDateTo) filter.workDateTo = input.workDateTo;
  if (input?.updatedAfter) filter.updatedAfterMs = Date.parse(input.updatedAfter);
  if (input?.updatedBefore) filter.updatedBeforeMs = Date.parse(input.updatedBefore);
  if (filter.workDateFrom && filter.workDateTo && filter.workDateFrom > filter.workDateTo) {
    throw badInput('filter.workDateTo', filter.workDateTo, `it is before workDateFrom ${filter.workDateFrom}`);
  }
  return filter;
}

/** The selected sources with their backend-specific filter inputs. */
function selectSources(input: TimeEntryFilter | null | undefined, ctx: GatewayContext) {
  const specific = new Map<TimeSource, unknown>();
  for (const def of SOURCES) {
    const value = (input as Record<string, unknown> | null | undefined)?.[def.field];
    if (value !== undefined && value !== null) specific.set(def.source, value);
  }
  const names: readonly TimeSource[] = input?.sources ?? (specific.size > 0 ? [...specific.keys()] : ctx.sources.enabled.map((a) => a.source));
  const selected: Array<{ adapter: SourceAdapter; sourceFilter?: unknown }> = [];
  for (const name of new Set(names)) {
    const adapter = ctx.sources.get(name);
    if (!adapter) throw badInput('filter.sources', name, 'that source is not configured on this gateway');
    selected.push({ adapter, sourceFilter: specific.get(name) });
  }
  return selected;
}

/** An edge whose cursor is encoded only when a query asks for it (most ask for `nodes` and `pageInfo`). */
class Edge {
  constructor(
    readonly node: EntryModel,
    private readonly cursorOf: (node: EntryModel) => string,
  ) {}
  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

export const queryResolvers: QueryResolvers = {
  timeEntries: async (_root, args, ctx, info): Promise<ConnectionModel> => {
    // Backward paging would need every backend to list in reverse from a cursor; refused, not approximated.
    if (args.last !== undefined && args.last !== null) throw badInput('last', args.last, 'TimeGraph pages forward only; use first');
    if (args.before !== undefined && args.before !== null) throw badInput('before', args.before, 'TimeGraph pages forward only; use after');
    const first = args.first ?? 50;
    if (first < 0 || first > MAX_FIRST) throw badInput('first', first, `it must be between 0 and ${MAX_FIRST}`);
    const sort = args.sort ?? 'WORK_DATE_DESC';
    const filter = normalizeFilter(args.filter);
    const sources = selectSources(args.filter, ctx);
    const digest = queryDigest([filter, sources.map((s) => [s.adapter.source, s.sourceFilter ?? null])]);
    let after;
    if (args.after) {
      const decoded = decodeCursor(args.after, sort, digest);
      if (typeof decoded === 'string') throw badInput('after', args.after, decoded);
      after = decoded;
    }
    const page = await readPage({ sources, sort, filter, first, after });
    const path = responsePathAsArray(info.path);
    for (const failure of page.failures) ctx.partialErrors.push(toGraphQLError(failure, path));
    if (page.failures.length > 0 && page.failures.length === sources.length) ctx.failedFields.push(String(info.path.key));
    const cursorOf = (node: EntryModel) => encodeCursor(sort, digest, positionOf(node, sort));
    const edges = page.entries.map((node) => new Edge(node, cursorOf));
    return {
      edges,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        // Relay allows false when paging with first/after, and it never misleads.
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      unavailableSources: page.failures.map((f) => f.source),
    };
  },

  node: (_root, { id }, ctx) => loadNode(id, 'id', ctx),

  nodes: (_root, { ids }, ctx) =>
    // An Error in the list becomes null for that id with an error at its path; the others resolve.
    ids.map((id, i) => loadNode(id, `ids[${i}]`, ctx).catch((error: unknown) => error as Error)) as never,
};

/** What a Node resolves from: one backend's entry model or a person. */
type NodeModel = ResolversInterfaceTypes<ResolversParentTypes>['Node'];

/** A Node by its global id, through the request's loaders; `argument` names it in errors. */
export async function loadNode(id: string, argument: string, ctx: GatewayContext): Promise<NodeModel> {
  const decoded = decodeId(id);
  if (!decoded || !SOURCES.some((def) => def.source === decoded.source)) throw badInput(argument, id, 'not a TimeGraph id');
  const adapter = ctx.sources.require(decoded.source);
  if (decoded.kind === 'TimeEntry') {
    if (!adapter.isValidKey(decoded.key)) throw badInput(argument, id, `not a valid ${decoded.source} entry id`);
    const entry = await ctx.loaders.entry(decoded.source).load(decoded.key);
    if (!entry) throw notFound(argument, id);
    // The loader is source-generic; the entry's typename is what selects its GraphQL type.
    return entry as NodeModel;
  }
  const person = await ctx.loaders.person(decoded.source).load(decoded.key);
  if (!person) throw notFound(argument, id);
  return person;
}

function notFound(argument: string, id: string): GraphQLError {
  return new GraphQLError(`Argument "${argument}" has value ${JSON.stringify(id)}, which matches no object.`, {
    extensions: { code: 'NOT_FOUND', argument },
  });
}
