/**
 * The S0 reference of the benchmark: graphql-yoga with a one-field schema and its defaults, nothing
 * else, so `{ __typename }` through TimeGraph can be compared with yoga's own floor. PORT (0: free).
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }), logging: false, graphiql: false });
const server = createServer(yoga);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`plain yoga listening on http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`);
});
