import type { EntryBatch, EntryModel, TimeEntrySort } from '../core/contract.js';
import { compareKeys, entryComparator, sortKeyOf } from '../core/order.js';

export interface SortedStreamOptions {
  /** Sees every batch first (the contract checks of `core/contract-checks.ts`, in development). */
  check?: (batch: EntryBatch) => void;
  /** The source declared pushdown `ties`: its batches come in total order, each released whole. */
  ties?: boolean;
}

/**
 * Turns a source's batches into entries in exact total order: buffers what the source yielded and
 * releases the entries strictly before the source's frontier (see `EntryBatch`), since only those
 * can no longer be preceded by an entry still to come; a source in total order (`ties`) has each
 * batch released whole. Released entries are taken synchronously (`shift`), so the merge awaits
 * only when a page has to be read (`fill`), not once per entry.
 */
export class SortedStream {
  private readonly iterator: AsyncIterator<EntryBatch>;
  private readonly compare: (a: EntryModel, b: EntryModel) => number;
  /** Sorted; `[head, ready)` is released, `[ready, length)` waits for a later frontier. */
  private buffer: EntryModel[] = [];
  private head = 0;
  private ready = 0;
  private ended = false;
  private more = false;

  constructor(
    batches: AsyncIterable<EntryBatch>,
    private readonly sort: TimeEntrySort,
    private readonly options: SortedStreamOptions = {},
  ) {
    this.iterator = batches[Symbol.asyncIterator]();
    this.compare = entryComparator(sort);
  }

  /** The next released entry, or undefined when none is released (then `fill`, unless `exhausted`). */
  shift(): EntryModel | undefined {
    return this.head < this.ready ? this.buffer[this.head++] : undefined;
  }

  /** Nothing is released and nothing more will come. */
  get exhausted(): boolean {
    return this.ended && this.head >= this.ready;
  }

  /** Reads batches until an entry is released or the stream ends. */
  async fill(): Promise<void> {
    while (this.head >= this.ready && !this.ended) {
      const step = await this.iterator.next();
      if (step.done) this.finish();
      else this.take(step.value);
    }
  }

  /**
   * Whether, without reading further, another entry that `accept` takes is known to exist: one
   * buffered, or one the source promised (`EntryBatch.more`).
   */
  holdsMore(accept: (entry: EntryModel) => boolean): boolean {
    for (let i = this.head; i < this.buffer.length; i++) if (accept(this.buffer[i])) return true;
    return !this.ended && this.more;
  }

  /** Stops the source's paging: its generator's finally blocks run and no further page is fetched. */
  async close(): Promise<void> {
    this.ended = true;
    await this.iterator.return?.(undefined);
  }

  private take(batch: EntryBatch): void {
    this.options.check?.(batch);
    if (batch.entries.length > 0) {
      const pending = this.head > 0 ? this.buffer.slice(this.head) : this.buffer;
      for (const entry of batch.entries) pending.push(entry);
      pending.sort(this.compare);
      this.buffer = pending;
      this.head = 0;
      this.ready = 0;
    }
    const frontier = batch.frontier;
    this.more = batch.more === true;
    if (frontier === null) {
      this.finish();
      return;
    }
    if (frontier === undefined) return;
    if (this.options.ties) {
      this.ready = this.buffer.length;
      return;
    }
    let ready = this.ready;
    while (ready < this.buffer.length && compareKeys(sortKeyOf(this.buffer[ready], this.sort), frontier, this.sort) < 0) ready++;
    this.ready = ready;
  }

  private finish(): void {
    this.ended = true;
    this.more = false;
    this.ready = this.buffer.length;
  }
}
