/**
 * yoga's CSRF prevention (a request a browser could send cross-site without a preflight — a GET, or a
 * form or text/plain POST — must carry a header only scripts can set), with a refusal a client can act
 * on: it names the header and carries `extensions.code = CSRF_HEADER_REQUIRED`, still with HTTP 403.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export function useCsrfPrevention(): Plugin {
  const check = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }).onRequestParse!;
  return {
    onRequestParse(payload) {
      try {
        return check(payload);
      } catch {
        throw createGraphQLError(
          `This request needs the header "${CSRF_HEADER}" (any value): GET requests and form or text/plain POSTs without it are refused, because a browser could send them from another site`,
          { extensions: { code: 'CSRF_HEADER_REQUIRED', header: CSRF_HEADER, http: { status: 403 } } },
        );
      }
    },
  };
}
