/**
 * Each configured backend's circuit state: `Query.sourceStatus` and the `GET /health` JSON answer.
 * /health answers 200 while the gateway runs, also with a backend's circuit open: the gateway still
 * serves the other backends, so a load balancer should keep it. `GET /ready` answers 503 when no
 * configured backend is usable (every circuit open), so a load balancer can route around the instance.
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

/** `200 { "status": "ready", sources }`, or `503 { "status": "unavailable", sources }` when no backend is usable. */
export function sourceReadiness(sources: SourceSet, res: ServerResponse): void {
  const list = sourceStatuses(sources);
  const ready = list.some((s) => s.circuit !== 'OPEN');
  res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ status: ready ? 'ready' : 'unavailable', sources: list }));
}
