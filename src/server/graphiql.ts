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
  }
}`,
    variables: '{ "ids": [] }',
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
    query: `# Correct a primaERP record. Pass the version you read: a stale one is a VERSION_CONFLICT, never an overwrite.
mutation CorrectPrimaerpRecord($id: ID!, $version: Int!) {
  timeEntryUpdate(id: $id, input: { primaerp: { version: $version, duration: { minutes: 45 }, description: "Form validations" } }) {
    timeEntry { id duration { minutes } ... on PrimaerpTimeRecord { version price } }
    userErrors { field message code }
  }
}`,
    variables: '{ "id": "", "version": 1 }',
  },
];
