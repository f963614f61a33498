/**
 * The request body limit (TIMEGRAPH_MAX_BODY_BYTES), with yoga's refusal (413
 * REQUEST_ENTITY_TOO_LARGE) but without its cost on every request:
 * yoga's own check pipes every body through a TransformStream, which measured about 15% of the CPU of
 * a small request. A body with a valid Content-Length within the limit needs no counting (Node's
 * HTTP parser delivers exactly that many bytes); only a body without one (chunked) is counted as it
 * streams, as yoga does.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';

const tooLarge = () => createGraphQLError('Request body too large', { extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } } });

export function useBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      // Node's HTTP parser answers 400 itself to a Content-Length that is not one non-negative
      // integer, so a header here is exact; without one (chunked, or yoga.fetch) the body is counted.
      const length = Number(request.headers.get('content-length') ?? NaN);
      if (Number.isSafeInteger(length) && length >= 0) {
        if (length > limit) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => parse(counted(req, limit, fetchAPI)));
    },
  };
}

/** The request with a body that fails once more than `limit` bytes have arrived. */
function counted(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  // A native stream must go through the native TransformStream (graphql-yoga#4583).
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const body = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: 'half' } as RequestInit);
}
