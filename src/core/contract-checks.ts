/**
 * The source contract checked at run time, in development and tests (NODE_ENV !== 'production'), as
 * DataLoader checks its batch functions: a broken promise throws a ContractError that names the
 * backend and quotes the rule, instead of a page that silently skips or repeats entries.
 */
import type { EntryBatch, EntryModel, PersonModel, Pushdown, SortKey, TimeEntrySort, TimeSource } from './contract.js';
import { ContractError } from './errors.js';
import { comparePositions, compareKeys, positionOf, sortKeyOf, type Position } from './order.js';

/** On everywhere but production, where the checks' cost buys nothing. */
export const CONTRACT_CHECKS = process.env.NODE_ENV !== 'production';

const SEE = 'See EntryBatch and SourceAdapter in src/core/contract.ts.';
const show = (key: SortKey) => JSON.stringify(key);

const showPosition = (p: Position) => `${JSON.stringify(p.sourceId)} (sort key ${show(p.key)})`;

/**
 * A checker of one stream's batches: every entry after a frontier sorts at or after it, a frontier
 * never moves back, nothing follows the end (`null`), and a backend that does not declare `sort`
 * promises no frontier before its end. With pushdown `ties`, every entry sorts after every entry of
 * the batches before it; a batch that promised `more` is followed by at least one more entry.
 */
export function frontierChecker(source: TimeSource, sort: TimeEntrySort, pushdown: readonly Pushdown[]): (batch: EntryBatch) => void {
  let promised: SortKey | undefined;
  let ended = false;
  let owed = false;
  const ties = pushdown.includes('ties');
  let latest: Position | undefined;
  return (batch) => {
    if (ended) throw new ContractError(`${source}'s list() yielded a batch after its stream ended (frontier null). ${SEE}`);
    let batchLatest = latest;
    for (const entry of batch.entries) {
      if (promised !== undefined && compareKeys(sortKeyOf(entry, sort), promised, sort) < 0) {
        throw new ContractError(
          `${source}'s list() broke its frontier promise: after promising that nothing still to come sorts before ${show(promised)} ` +
            `(${sort}), it yielded entry ${JSON.stringify(entry.sourceId)} with sort key ${show(sortKeyOf(entry, sort))}. ${SEE}`,
        );
      }
      if (!ties) continue;
      const position = positionOf(entry, sort);
      if (latest !== undefined && comparePositions(position, latest, sort) <= 0) {
        throw new ContractError(
          `${source}'s list() broke its tie order (pushdown 'ties'): entry ${showPosition(position)} came after entry ` +
            `${showPosition(latest)} of an earlier batch, which it sorts before in ${sort}. ${SEE}`,
        );
      }
      if (batchLatest === undefined || comparePositions(position, batchLatest, sort) > 0) batchLatest = position;
    }
    latest = batchLatest;
    if (batch.entries.length > 0) owed = false;
    const frontier = batch.frontier;
    if (batch.more && frontier === null) throw new ContractError(`${source}'s list() promised more entries in the batch that ended its stream. ${SEE}`);
    if (frontier === null) {
      if (owed) throw new ContractError(`${source}'s list() promised more entries (more: true) but ended its stream without yielding any. ${SEE}`);
      ended = true;
      return;
    }
    if (batch.more) owed = true;
    if (frontier === undefined) return;
    if (!pushdown.includes('sort')) {
      throw new ContractError(
        `${source}'s list() promised the frontier ${show(frontier)} before its stream ended, but its adapter does not declare pushdown 'sort': ` +
          `a backend that cannot sort must read everything before it promises anything. ${SEE}`,
      );
    }
    if (promised !== undefined && compareKeys(frontier, promised, sort) < 0) {
      throw new ContractError(`${source}'s list() moved its frontier back from ${show(promised)} to ${show(frontier)} (${sort}): a frontier only moves forward. ${SEE}`);
    }
    promised = frontier;
  };
}

/**
 * `getEntries`/`getPeople` return one result per key, in key order: result i is the value of key i
 * (compared without case, as keys are), null for a miss, or an Error.
 */
export function checkLookup<V extends EntryModel | PersonModel>(
  source: TimeSource,
  method: 'getEntries' | 'getPeople',
  keys: readonly string[],
  results: ReadonlyArray<V | null | Error>,
): void {
  const rule = `${method}() must return one result per key, in key order (null for a miss). See SourceAdapter.${method} in src/core/contract.ts.`;
  if (!Array.isArray(results)) throw new ContractError(`${source}'s ${method}() returned ${typeof results}, not an array. ${rule}`);
  if (results.length !== keys.length) {
    throw new ContractError(`${source}'s ${method}() returned ${results.length} results for ${keys.length} keys ${JSON.stringify(keys.slice(0, 5))}. ${rule}`);
  }
  results.forEach((result, i) => {
    if (result === null || result instanceof Error) return;
    const got = 'key' in result ? result.key : result.sourceId;
    if (got.toLowerCase() !== keys[i].toLowerCase()) {
      throw new ContractError(`${source}'s ${method}() returned ${JSON.stringify(got)} in place ${i}, where key ${JSON.stringify(keys[i])} was asked for. ${rule}`);
    }
  });
}
