import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { GatewayContext } from '../core/context.js';

/**
 * A failing backend must not erase the other backends' data, so resolvers record its failure in
 * `context.partialErrors` and return what they have; this plugin adds those errors to the response
 * and logs each as the one warning line a backend failure gets (`logger.ts`): source, code, message.
 */
export function usePartialErrors(): Plugin<GatewayContext> {
  let logger: YogaLogger | undefined;
  return {
    onYogaInit({ yoga }) {
      logger = yoga.logger;
    },
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          const extra = (args.contextValue as GatewayContext).partialErrors;
          if (extra.length === 0 || !result || Symbol.asyncIterator in result) return;
          for (const error of extra) logger?.warn(`${String(error.extensions.source)} ${String(error.extensions.code)}: ${error.message}`);
          setResult({ ...result, errors: [...(result.errors ?? []), ...extra] });
        },
      };
    },
  };
}
