/**
 * The route template of an upstream request path (`/v1/time_entries/{id}`), for traces: low
 * cardinality, and nothing a caller put in the URL — no query string (primaERP's `?token=`), no ids,
 * no values. A segment is kept only when it reads as a fixed word of the backend's API (lowercase
 * letters, `_`, `-`, an optional OData `$`) or an API version (`v1`); anything else becomes `{id}`.
 */
const WORD = /^\$?[a-z][a-z_-]{0,39}$/;
const VERSION = /^v\d{1,2}$/;

export function routeTemplate(path: string): string {
  const end = path.search(/[?#]/);
  const pathname = end === -1 ? path : path.slice(0, end);
  return pathname
    .split('/')
    .map((segment) => (segment === '' || WORD.test(segment) || VERSION.test(segment) ? segment : '{id}'))
    .join('/');
}
