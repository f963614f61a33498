import type { EntryModel, TimeSource } from '../core/contract.js';

export interface EdgeModel {
  cursor: string;
  node: EntryModel;
}

/** What `timeEntries` resolves to. */
export interface ConnectionModel {
  edges: EdgeModel[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  unavailableSources: TimeSource[];
}
