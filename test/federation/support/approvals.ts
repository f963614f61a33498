/**
 * A second subgraph written for the federation tests, as a platform team would: it adds `approval` to
 * every TimeGraph entry with @interfaceObject, and a root field that returns entry references.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type ExecutionArgs } from 'graphql';
import { createYoga } from 'graphql-yoga';

export const approvalsTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  "An entry of TimeGraph, seen from the approvals service."
  type TimeEntry @key(fields: "id") @interfaceObject {
    id: ID!
    approval: Approval!
  }

  type Approval {
    status: ApprovalStatus!
  }

  enum ApprovalStatus { APPROVED PENDING }

  type Query {
    "Entries waiting for approval, as references that TimeGraph resolves."
    pendingApprovals: [TimeEntry!]!
  }
`);

/** Deterministic per id, so a test can check that each entry got its own approval. */
export const approvalOf = (id: string) => ({ status: [...id].reduce((n, c) => n + c.charCodeAt(0), 0) % 2 ? 'PENDING' : 'APPROVED' });

/** Serves the approvals subgraph on a free loopback port; `pending` are the ids `pendingApprovals` returns. */
export async function startApprovals(pending: () => string[]) {
  const schema = buildSubgraphSchema({
    typeDefs: approvalsTypeDefs,
    resolvers: {
      Query: { pendingApprovals: () => pending().map((id) => ({ id })) },
      TimeEntry: {
        __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
        approval: (entry: { id: string }) => approvalOf(entry.id),
      },
    } as never,
  });
  let entityBatches = 0;
  const yoga = createYoga({
    schema,
    logging: false,
    plugins: [{ onExecute: ({ args }: { args: ExecutionArgs }) => void (String(args.document.loc?.source.body).includes('_entities') && entityBatches++) }],
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    entityBatches: () => entityBatches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
