import type { EntryModel, TimeSource } from '../core/contract.js';

export interface EdgeModel {
  cursor: string;
  node: EntryModel;
}

/** What `timeEntries` resolves to. */
export interface ConnectionModel {
  edges: EdgeModel[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  unavailableSources: TimeSource[];
}
