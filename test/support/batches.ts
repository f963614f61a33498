import type { EntryBatch, ListRequest, SourceAdapter } from '../../src/core/contract.js';

/** Every batch a backend's `list` yields for `request`, in order. */
export async function collectBatches(adapter: Pick<SourceAdapter, 'list'>, request: ListRequest): Promise<EntryBatch[]> {
  const out: EntryBatch[] = [];
  for await (const batch of adapter.list(request)) out.push(batch);
  return out;
}
