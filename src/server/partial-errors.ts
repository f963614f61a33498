import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../core/context.js';

/**
 * A failing backend must not erase the other backends' data, so resolvers record its failure in
 * `context.partialErrors` and return what they have; this plugin adds those errors to the response.
 */
export function usePartialErrors(): Plugin<GatewayContext> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          const extra = (args.contextValue as GatewayContext).partialErrors;
          if (extra.length === 0 || !result || Symbol.asyncIterator in result) return;
          setResult({ ...result, errors: [...(result.errors ?? []), ...extra] });
        },
      };
    },
  };
}
