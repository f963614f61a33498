import type { EntryBatch, EntryModel, TimeEntrySort } from '../core/contract.js';
import { compareKeys, entryComparator, sortKeyOf } from '../core/order.js';

/**
 * Turns a source's batches into entries in exact total order: buffers what the source yielded and
 * releases the entries strictly before the source's frontier (see `EntryBatch`), since only those
 * can no longer be preceded by an entry still to come. `check` sees every batch first (the contract
 * checks of `core/contract-checks.ts`, in development).
 */
export async function* sortedEntries(
  batches: AsyncIterable<EntryBatch>,
  sort: TimeEntrySort,
  check?: (batch: EntryBatch) => void,
): AsyncGenerator<EntryModel> {
  const compare = entryComparator(sort);
  let buffer: EntryModel[] = [];
  for await (const batch of batches) {
    check?.(batch);
    for (const entry of batch.entries) buffer.push(entry);
    if (batch.frontier === null) break;
    if (batch.frontier === undefined || buffer.length === 0) continue;
    buffer.sort(compare);
    const frontier = batch.frontier;
    let ready = 0;
    while (ready < buffer.length && compareKeys(sortKeyOf(buffer[ready], sort), frontier, sort) < 0) ready++;
    if (ready === 0) continue;
    const out = buffer.slice(0, ready);
    buffer = buffer.slice(ready);
    yield* out;
  }
  buffer.sort(compare);
  yield* buffer;
}
