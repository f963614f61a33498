import { encodeId } from '../core/ids.js';

/**
 * Ids that exist in demo mode (the simulators' data is deterministic): the vendors' own example records
 * (Laurel's list example, Xurrent's 195) and primaERP's newest seeded record (version 1).
 */
export const DEMO_IDS = {
  laurel: encodeId('TimeEntry', 'LAUREL', '68d74520b7cf3c25632b9240/62f6bbc018aa6e7fd7c8280f'),
  xurrent: encodeId('TimeEntry', 'XURRENT', '195'),
  primaerp: encodeId('TimeEntry', 'PRIMAERP', '0b6816fe-81b0-49ed-bd2b-e73406b5d5c8'),
};

/** Example operations preloaded as GraphiQL tabs. */
export const exampleTabs = [
  {
    query: `# Everything logged in one week, across all tools, newest first.
query LastWeek($from: Date = "2026-10-19", $to: Date = "2026-10-25") {
  timeEntries(filter: { workDateFrom: $from, workDateTo: $to }, first: 20) {
    nodes {
      id
      source
      workDate
      description
      duration { hours iso8601 }
      sourceDuration { value unit }
      person { name email }
    }
    pageInfo { hasNextPage endCursor }
    unavailableSources
  }
}`,
  },
  {
    query: `# Each backend's own fields through inline fragments.
query SourceFields {
  timeEntries(first: 10, sort: UPDATED_AT_DESC) {
    nodes {
      __typename
      id
      updatedAt
      ... on LaurelEntry { unitIncrementCount }
      ... on XurrentTimeEntry { timeSpent correction }
      ... on PrimaerpTimeRecord { price unitPrice }
    }
  }
}`,
  },
  {
    query: `# Fetch entries again by their global ids (batched per backend).
query ById($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on TimeEntry { source sourceId workDate duration { minutes } }
    ... on PrimaerpTimeRecord { version }
  }
}`,
    variables: JSON.stringify({ ids: [DEMO_IDS.laurel, DEMO_IDS.xurrent, DEMO_IDS.primaerp] }, null, 2),
  },
  {
    query: `# Record time in Xurrent: 1.5 h is exactly 90 whole minutes. Repeating the call with the same
# idempotencyKey returns the first result instead of creating a second entry.
mutation CreateXurrentEntry {
  timeEntryCreate(
    idempotencyKey: "graphiql-example-1"
    input: { xurrent: { personId: "7", date: "2016-03-28", timeSpent: { hours: 1.5 }, customerId: "8", serviceId: "36", description: "Transaction response time testing" } }
  ) {
    timeEntry { id source sourceId duration { minutes iso8601 } }
    userErrors { field message code }
  }
}`,
  },
  {
    query: `# Correct a primaERP record. Pass the version you read: a stale one is a VERSION_CONFLICT, never an overwrite
# (after one run, read the new version with the ById tab).
mutation CorrectPrimaerpRecord($id: ID!, $version: Int!) {
  timeEntryUpdate(id: $id, input: { primaerp: { version: $version, duration: { minutes: 45 }, description: "Form validations" } }) {
    timeEntry { id duration { minutes } ... on PrimaerpTimeRecord { version price } }
    userErrors { field message code }
  }
}`,
    variables: JSON.stringify({ id: DEMO_IDS.primaerp, version: 1 }, null, 2),
  },
];
