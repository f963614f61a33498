/**
 * `x-request-id`: a sane incoming id (a proxy's or a client's) is kept, anything else replaced by a
 * fresh UUID, and the id is echoed on the response, so one request can be followed across the load
 * balancer, the gateway's logs and the client. Ids are bounded and plain so they cannot inject into logs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The incoming id when it is 1–128 characters of `A-Z a-z 0-9 . _ : -`, else a new UUID. */
export function requestIdOf(incoming: string | null | undefined): string {
  return incoming && SANE_ID.test(incoming) ? incoming : randomUUID();
}

const current = new AsyncLocalStorage<string>();

/** Runs the handling of one request with its id, so every log line written meanwhile carries it. */
export function runWithRequestId<T>(id: string, fn: () => T): T {
  return current.run(id, fn);
}

/** The id of the request being handled, when the server set one (`listen` in gateway.ts). */
export function currentRequestId(): string | undefined {
  return current.getStore();
}

export function useRequestId(): Plugin {
  const ids = new WeakMap<Request, string>();
  return {
    onRequest({ request }) {
      ids.set(request, currentRequestId() ?? requestIdOf(request.headers.get(REQUEST_ID_HEADER)));
    },
    onResponse({ request, response }) {
      response.headers.set(REQUEST_ID_HEADER, ids.get(request) ?? requestIdOf(request.headers.get(REQUEST_ID_HEADER)));
    },
  };
}
