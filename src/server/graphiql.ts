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
];
