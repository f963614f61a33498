/**
 * Each configured backend's circuit state: `Query.sourceStatus` and the `GET /health` JSON answer.
 * /health answers 200 while the gateway runs, also with a backend's circuit open: the gateway still
 * serves the other backends, so a load balancer should keep it.
 */
import type { ServerResponse } from 'node:http';
import type { SourceSet } from '../core/context.js';
import { sourceStatuses } from '../resolvers/status.js';

/** `{ "status": "ok" | "degraded", "sources": [{ "source", "circuit", "consecutiveFailures", "openedAt" }] }` */
export function sourceHealth(sources: SourceSet, res: ServerResponse): void {
  const list = sourceStatuses(sources);
  const body = JSON.stringify({ status: list.every((s) => s.circuit === 'CLOSED') ? 'ok' : 'degraded', sources: list });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}
