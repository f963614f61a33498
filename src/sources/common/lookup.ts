/**
 * Batched lookups by id, the way every backend with an id filter does them: the distinct valid ids
 * in chunks of the backend's page size, the chunks in parallel, results matched back by id (never
 * by position). One result per key, in key order: null for a miss or a malformed key, and a failed
 * chunk's Error for each of its keys.
 */
export async function lookupInChunks<T>(
  keys: readonly string[],
  isValid: (key: string) => boolean,
  chunkSize: number,
  fetchChunk: (ids: string[]) => Promise<Iterable<readonly [string, T]>>,
): Promise<Array<T | null | Error>> {
  const distinct = [...new Set(keys.filter(isValid))];
  const found = new Map<string, T | Error>();
  await Promise.all(
    chunks(distinct, chunkSize).map(async (ids) => {
      try {
        for (const [id, value] of await fetchChunk(ids)) found.set(id, value);
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        for (const id of ids) found.set(id, e);
      }
    }),
  );
  return keys.map((k) => found.get(k) ?? null);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
