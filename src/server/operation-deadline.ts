/**
 * One deadline per GraphQL operation (OPERATION_TIMEOUT_MS, read in `config.ts`). Execution runs inside an ambient
 * operation scope (`src/http/operation-scope.ts`) whose signal fires when the deadline passes, the
 * client goes away or the operation ends, so every upstream call it started is aborted — DataLoader
 * batches and adapters included, without passing a signal along.
 */
import type { Plugin } from 'graphql-yoga';
import { OPERATION_FINISHED, OperationAborted, runInOperation, type UpstreamObserver } from '../http/operation-scope.js';

export function useOperationDeadline({ timeoutMs, observer }: { timeoutMs: number; observer?: UpstreamObserver }): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn, args }) {
      setExecuteFn(async (executionArgs) => {
        const controller = new AbortController();
        const deadlineAt = Date.now() + timeoutMs;
        const timer = setTimeout(() => controller.abort(new OperationAborted('deadline')), timeoutMs);
        const { request, cacheUse } = args.contextValue as { request?: Request; cacheUse?: { oldestStoredAt?: number } };
        const clientSignal = request?.signal;
        const onClientGone = () => controller.abort(new OperationAborted('client-gone'));
        if (clientSignal?.aborted) onClientGone();
        else clientSignal?.addEventListener('abort', onClientGone, { once: true });
        try {
          return await runInOperation({ signal: controller.signal, deadlineAt, observer, cacheUse }, () => executeFn(executionArgs));
        } finally {
          clearTimeout(timer);
          clientSignal?.removeEventListener('abort', onClientGone);
          // Whatever is still in flight (a merged stream that was stopped) is no longer wanted.
          controller.abort(OPERATION_FINISHED);
        }
      });
    },
  };
}
