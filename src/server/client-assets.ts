/**
 * What clients fetch besides GraphQL: the GraphiQL page at the endpoint (a browser's GET) and Apollo
 * Client's `possibleTypes` at `<endpoint>/possible-types.json`, both compressed and cacheable
 * (`static-asset.ts`). possibleTypes is served in production too, where introspection is off: it
 * carries type names only, the same as `src/generated/possible-types.json` in the repository.
 */
import { readFileSync } from 'node:fs';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';
import { createStaticAsset, type StaticAsset } from './static-asset.js';

/** Where possibleTypes is served, below the GraphQL endpoint. */
export const POSSIBLE_TYPES_PATH = '/possible-types.json';

const POSSIBLE_TYPES = readFileSync(new URL('../generated/possible-types.json', import.meta.url), 'utf8');

export interface ClientAssetsOptions {
  endpoint: string;
  /** GraphiQL's options (title, preloaded tabs); false serves no GraphiQL page. */
  graphiql: false | Parameters<typeof renderGraphiQL>[0];
}

export function useClientAssets({ endpoint, graphiql }: ClientAssetsOptions): Plugin {
  const possibleTypes = createStaticAsset({ body: POSSIBLE_TYPES, contentType: 'application/json; charset=utf-8' });
  // The page is 9 MB before compression (GraphiQL is inlined so that it works offline): rendered once, when first asked for.
  const page: StaticAsset | null = graphiql
    ? createStaticAsset({ body: () => renderGraphiQL(graphiql), contentType: 'text/html; charset=utf-8', vary: ['Accept'] })
    : null;
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      let asset: StaticAsset | null = null;
      if (url.pathname === endpoint + POSSIBLE_TYPES_PATH) asset = possibleTypes;
      // The same test as yoga's own GraphiQL plugin: a GET that accepts HTML is a browser.
      else if ((url.pathname === endpoint || url.pathname === `${endpoint}/`) && request.headers.get('accept')?.includes('text/html')) asset = page;
      if (!asset) return;
      return asset.respond(request, fetchAPI.Response).then(endResponse);
    },
  };
}
