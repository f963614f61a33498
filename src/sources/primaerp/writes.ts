/**
 * primaERP's writes over HTTP: create, update (read, apply, `PUT` the whole record with the caller's
 * `version`), delete to the trash or for good, restore from the trash, and price recomputation.
 * Inputs are validated first (write-input.ts), so a rejected input makes no upstream call; each write
 * is sent once (the HTTP client never retries) and answered with the record as primaERP saved it.
 *
 * Upstream cost: create 1 · update 2 (GET, PUT) · delete 2 (DELETE, GET), hard delete 1 ·
 * restore 2 (GET for the trash item, POST $restore) · update price 1.
 */
import type { HttpResponse } from '../../http/client.js';
import type { PrimaerpTimeRecordCreateInput, PrimaerpTimeRecordUpdateInput } from '../../generated/graphql.js';
import type { SourceWrites, StampLookup, WriteResult } from '../../core/contract.js';
import { rejected, userError } from '../../writes/user-errors.js';
import { unexpectedAnswer, type PrimaerpClient } from './client.js';
import { mapEntry } from './mapping.js';
import type { RawError, RawTimeRecord } from './raw.js';
import { checkUpdate, createBody, updateBody, violationErrors } from './write-input.js';

const RECORDS = '/v1/time/timerecords';

export interface PrimaerpWrites extends SourceWrites {
  create(input: unknown, signal?: AbortSignal): Promise<WriteResult>;
  update(key: string, input: unknown, signal?: AbortSignal): Promise<WriteResult>;
  /** Takes a trashed record out of the trash; `NOT_IN_TRASH` when it is not in it. */
  restore(key: string, signal?: AbortSignal): Promise<WriteResult>;
  /** Recomputes the price from the price list (`$updateprice`). */
  updatePrice(key: string, signal?: AbortSignal): Promise<WriteResult>;
}

const notFound = (key: string) => rejected(userError(['id'], `primaERP has no time record ${JSON.stringify(key)}.`, 'NOT_FOUND'));

function isRecord(res: HttpResponse): boolean {
  return typeof res.body === 'object' && res.body !== null && typeof (res.body as RawTimeRecord).id === 'string';
}

/** A 400 with constraint violations becomes userErrors; any other answer a write cannot use is a backend failure. */
function refused(res: HttpResponse, sent: Record<string, unknown>): WriteResult {
  const violations = (res.body as Partial<RawError> | null)?.constraintViolations;
  if (res.status === 400 && Array.isArray(violations) && violations.length > 0) return rejected(...violationErrors(violations, sent));
  throw unexpectedAnswer(res);
}

export function createPrimaerpWrites(client: PrimaerpClient): PrimaerpWrites {
  return {
    create: (input, signal) => create(client, input as PrimaerpTimeRecordCreateInput, null, signal),
    stamped: {
      create(raw, stamp, signal) {
        const input = raw as PrimaerpTimeRecordCreateInput;
        return create(client, input, stampPlace(input) === 'externalResourceId' ? stamp : null, signal);
      },
      find: (raw, stamp, signal) => findStamped(client, raw as PrimaerpTimeRecordCreateInput, stamp, signal),
    },
    update: (key, input, signal) => update(client, key, input as PrimaerpTimeRecordUpdateInput, signal),
    delete: (key, { hard }, signal) => remove(client, key, hard, signal),
    restore: (key, signal) => restore(client, key, signal),
    updatePrice: (key, signal) => updatePrice(client, key, signal),
  };
}

async function read(client: PrimaerpClient, id: string, signal?: AbortSignal): Promise<RawTimeRecord | null> {
  const res = await client.send({ method: 'GET', path: `${RECORDS}/${id}`, signal });
  if (res.status === 404) return null;
  if (res.status !== 200 || !isRecord(res)) throw unexpectedAnswer(res);
  return res.body as RawTimeRecord;
}

/** The saved record from a `response_object` answer (read again only if primaERP sent none). */
async function saved(client: PrimaerpClient, res: HttpResponse, id: string, signal?: AbortSignal): Promise<WriteResult> {
  const raw = isRecord(res) ? (res.body as RawTimeRecord) : await read(client, id, signal);
  return { entry: raw ? mapEntry(raw) : null, userErrors: [] };
}

async function create(client: PrimaerpClient, input: PrimaerpTimeRecordCreateInput, stamp: string | null, signal?: AbortSignal): Promise<WriteResult> {
  const built = createBody(input);
  if ('errors' in built) return rejected(...built.errors);
  const json = stamp === null ? built.body : { ...built.body, externalResourceId: stamp };
  const res = await client.send({ method: 'POST', path: RECORDS, query: { response_object: true }, json, signal });
  if (res.status !== 200 && res.status !== 201) return refused(res, built.body);
  if (isRecord(res)) return { entry: mapEntry(res.body as RawTimeRecord), userErrors: [] };
  const id = (res.body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw unexpectedAnswer(res);
  return saved(client, res, id, signal);
}

/** Where a keyed create is found again: the client's own id, else `externalResourceId` if the client left it free. */
const stampPlace = (input: PrimaerpTimeRecordCreateInput): 'id' | 'externalResourceId' | null =>
  input.id ? 'id' : input.externalResourceId === undefined || input.externalResourceId === null ? 'externalResourceId' : null;

async function findStamped(client: PrimaerpClient, input: PrimaerpTimeRecordCreateInput, stamp: string, signal?: AbortSignal): Promise<StampLookup> {
  const place = stampPlace(input);
  if (place === null) return 'unknowable';
  if (place === 'id') {
    const record = await read(client, input.id as string, signal);
    return record ? { entry: mapEntry(record) } : 'absent';
  }
  // Trashed records are listed too, so a record trashed since is still found.
  const res = await client.send({ method: 'GET', path: RECORDS, query: { $filter: `externalResourceId eq '${stamp}'`, $top: 1 }, signal });
  if (res.status !== 200 || !Array.isArray(res.body)) throw unexpectedAnswer(res);
  const [record] = res.body as RawTimeRecord[];
  return record ? { entry: mapEntry(record) } : 'absent';
}

async function update(client: PrimaerpClient, key: string, changes: PrimaerpTimeRecordUpdateInput, signal?: AbortSignal): Promise<WriteResult> {
  const errors = checkUpdate(changes);
  if (errors.length > 0) return rejected(...errors);
  const current = await read(client, key, signal);
  if (!current) return notFound(key);
  const body = updateBody(current, changes);
  const res = await client.send({ method: 'PUT', path: `${RECORDS}/${key}`, query: { response_object: true }, json: body, signal });
  if (res.status === 409) {
    return rejected(
      userError(
        ['input', 'primaerp', 'version'],
        `Version ${changes.version} of time record ${JSON.stringify(key)} is stale (primaERP had version ${current.version ?? 'unknown'} when read); read the record again and reapply the change.`,
        'VERSION_CONFLICT',
      ),
    );
  }
  if (res.status === 404) return notFound(key);
  if (res.status !== 200 && res.status !== 204) return refused(res, body);
  return saved(client, res, key, signal);
}

async function remove(client: PrimaerpClient, key: string, hard: boolean, signal?: AbortSignal): Promise<WriteResult> {
  const res = await client.send({ method: 'DELETE', path: `${RECORDS}/${key}`, query: hard ? { hard: true } : undefined, signal });
  if (res.status === 404) return notFound(key);
  if (res.status !== 204 && res.status !== 200) throw unexpectedAnswer(res);
  if (hard) return { entry: null, userErrors: [] };
  const after = await read(client, key, signal);
  return { entry: after ? mapEntry(after) : null, userErrors: [] };
}

async function restore(client: PrimaerpClient, key: string, signal?: AbortSignal): Promise<WriteResult> {
  const current = await read(client, key, signal);
  if (!current) return notFound(key);
  const trashItemId = current.trashItem?.id;
  if (!trashItemId) return rejected(userError(['id'], `primaERP time record ${JSON.stringify(key)} is not in the trash.`, 'NOT_IN_TRASH'));
  const res = await client.send({ method: 'POST', path: `/v1/trash/${encodeURIComponent(trashItemId)}/$restore`, query: { response_object: true }, signal });
  if (res.status === 404) return rejected(userError(['id'], `primaERP time record ${JSON.stringify(key)} is no longer in the trash.`, 'NOT_IN_TRASH'));
  if (res.status !== 200 && res.status !== 204) throw unexpectedAnswer(res);
  return saved(client, res, key, signal);
}

async function updatePrice(client: PrimaerpClient, key: string, signal?: AbortSignal): Promise<WriteResult> {
  const res = await client.send({ method: 'POST', path: `${RECORDS}/${key}/$updateprice`, query: { response_object: true }, signal });
  if (res.status === 404) return notFound(key);
  if (res.status !== 200 && res.status !== 204) throw unexpectedAnswer(res);
  return saved(client, res, key, signal);
}
