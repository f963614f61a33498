/**
 * Apollo Gateway as its own process for the federation tests: composes the subgraphs given in
 * SUBGRAPHS (JSON `[{ name, url }]`) by introspection and prints `READY <url>` once it serves.
 */
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const subgraphs = JSON.parse(process.env.SUBGRAPHS ?? '[]') as Array<{ name: string; url: string }>;
const gateway = new ApolloGateway({ supergraphSdl: new IntrospectAndCompose({ subgraphs }) });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
console.log(`READY ${url}`);
