/** A stack (simulators + gateway over loopback) with short resilience settings, and query helpers. */
import { request } from 'undici';
import { noFaults } from '../../src/simulators/common/server.js';
import { startStack, type GraphQLResponse, type Stack } from '../support/stack.js';

export const FAST = {
  XURRENT_RETRY_BASE_MS: '10',
  XURRENT_RETRY_CAP_MS: '40',
  PRIMAERP_RETRY_BASE_MS: '10',
  PRIMAERP_RETRY_CAP_MS: '40',
  LAUREL_RETRY_BASE_MS: '10',
  LAUREL_RETRY_CAP_MS: '40',
  XURRENT_RATE_LIMIT: 'off',
  PRIMAERP_RATE_LIMIT: 'off',
};

export async function startFaultStack(env: Record<string, string> = {}, options: { vendorLimits?: boolean } = {}): Promise<Stack> {
  const stack = await startStack({ env: { ...FAST, ...env }, ...options });
  // Tokens fetched and connections open, so tests count only the calls they cause.
  await stack.gql(PAGE);
  return stack;
}

export const PAGE = `query($sources: [TimeSource!]) {
  timeEntries(first: 5, filter: { sources: $sources }) { nodes { id source } unavailableSources }
}`;

export function page(stack: Stack, sources?: string[]): Promise<GraphQLResponse> {
  return stack.gql(PAGE, sources ? { sources } : undefined);
}

/** Clears faults and request logs. */
export function reset(stack: Stack): void {
  for (const sim of Object.values(stack.sims)) sim.faults = noFaults();
  stack.resetRequests();
}

export const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions);

export async function health(stack: Stack): Promise<{ status: string; sources: Array<{ source: string; circuit: string; consecutiveFailures: number }> }> {
  const res = await request(stack.url.replace(/\/graphql$/, '/health'));
  return (await res.body.json()) as never;
}
