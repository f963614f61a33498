/**
 * Resolvers of primaERP's own types and root fields. Interface fields of PrimaerpTimeRecord come from
 * the TimeEntry resolvers; here only the vendor fields, read from the raw record. Dates arrive as
 * Microsoft JSON dates and leave as ISO 8601 UTC.
 */
import { GraphQLError } from 'graphql';
import { badInput } from '../../core/errors.js';
import type { Resolvers } from '../../generated/graphql.js';
import type { GatewayContext } from '../../core/context.js';
import { formatMsJsonDate } from '../../units/dates.js';
import { instantArgument, sourceCall } from '../common/resolve.js';
import { type PrimaerpAdapter } from './adapter.js';
import { PrimaerpValidationError } from './client.js';
import { msDateIso } from './mapping.js';
import { primaerpMutationResolvers } from './mutations.js';
import type { RawEntity, RawExternal } from './raw.js';

function adapterOf(context: GatewayContext): PrimaerpAdapter {
  return context.sources.require('PRIMAERP') as PrimaerpAdapter;
}

/** Runs a backend call of a root field; primaERP's refusal of a calculation is the client's input. */
function call<T>(run: () => Promise<T>): Promise<T> {
  return sourceCall(async () => {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof PrimaerpValidationError)) throw error;
      throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', argument: 'input', violations: error.violations.map((v) => ({ field: v.field, constraint: v.constraint, message: v.message })) } });
    }
  });
}

// Vendor ids are `sourceId`: a field named `id` is what normalized client caches key on.
const entityFields = {
  sourceId: (p: RawEntity) => p.id,
  createdAt: (p: RawEntity) => msDateIso(p.createdAt),
  updatedAt: (p: RawEntity) => msDateIso(p.updatedAt),
};
const externalDates = { externalSyncedAt: (p: RawExternal) => msDateIso(p.externalSyncedAt) };

function msInput(argument: string, value: string | null | undefined): string | undefined {
  const ms = instantArgument(argument, value);
  return ms === undefined ? undefined : formatMsJsonDate(ms);
}

export const primaerpResolvers: Resolvers = {
  PrimaerpTimeRecord: {
    approved: (p) => p.raw.approved ?? null,
    billed: (p) => p.raw.billed ?? null,
    client: (p) => p.raw.client ?? null,
    displayName: (p) => p.raw.displayName ?? null,
    effective: (p) => p.raw.effective ?? null,
    externalBrowsableUrl: (p) => p.raw.externalBrowsableUrl ?? null,
    externalResourceId: (p) => p.raw.externalResourceId ?? null,
    externalSynced: (p) => p.raw.externalSynced ?? null,
    externalSyncedAt: (p) => msDateIso(p.raw.externalSyncedAt),
    externalSystem: (p) => p.raw.externalSystem ?? null,
    price: (p) => p.raw.price ?? null,
    priceAutoCalculation: (p) => p.raw.priceAutoCalculation ?? null,
    priceModified: (p) => p.raw.priceModified ?? null,
    project: (p) => p.raw.project ?? null,
    recordType: (p) => (p.raw.recordType === 'ATTENDANCE' ? 'ATTENDANCE' : null),
    start: (p) => msDateIso(p.raw.start),
    stop: (p) => msDateIso(p.raw.stop),
    task: (p) => p.raw.task ?? null,
    trashItem: (p) => p.raw.trashItem ?? null,
    unitPrice: (p) => p.raw.unitPrice ?? null,
    user: (p) => p.raw.user ?? null,
    version: (p) => p.raw.version ?? null,
    workType: (p) => p.raw.workType ?? null,
  },
  PrimaerpUser: {
    ...entityFields,
    birthdayRemind: (p) => msDateIso(p.birthdayRemind),
    workingTimeStart: (p) => msDateIso(p.workingTimeStart),
    workingTimeEnd: (p) => msDateIso(p.workingTimeEnd),
    created: (p) => msDateIso(p.created),
  },
  PrimaerpExternalSystem: { ...entityFields },
  PrimaerpClient: { ...entityFields, ...externalDates },
  PrimaerpProject: { ...entityFields, ...externalDates, begins: (p) => msDateIso(p.begins), ends: (p) => msDateIso(p.ends) },
  PrimaerpTask: { ...entityFields, ...externalDates },
  PrimaerpWorkType: { ...entityFields, ...externalDates },
  PrimaerpTrashItem: { ...entityFields },
  PrimaerpUnbilledSummary: { duration: (p) => p.duration, projects: (p) => p.projects },
  PrimaerpUnbilledProjectSummary: { duration: (p) => p.duration },
  PrimaerpPriceCalculation: {
    price: (p) => p.price ?? null,
    unitPrice: (p) => p.unitPrice ?? null,
    duration: (p) => p.duration ?? 0,
    billable: (p) => p.billable ?? null,
    start: (p) => msDateIso(p.start),
    stop: (p) => msDateIso(p.stop),
  },
  Query: {
    primaerpTimeRecord: (_root, { id }, context) => call(() => adapterOf(context).getTimeRecord(id)),
    primaerpUnbilledTimeRecords: (_root, { scope }, context) => call(() => adapterOf(context).unbilled(scope)),
    primaerpUnbilledSummary: (_root, { scope }, context) => call(() => adapterOf(context).unbilledSummary(scope)),
    primaerpCalculatePrice: (_root, { input }, context) => {
      const ref = (id: string | null | undefined) => (id ? { id } : undefined);
      const d = input.durationMilliseconds;
      if (d !== null && d !== undefined && (!Number.isInteger(d) || d < 0)) {
        throw badInput('input.durationMilliseconds', d, 'a whole number of milliseconds, at least 0');
      }
      const body: Record<string, unknown> = {
        user: { id: input.userId },
        project: ref(input.projectId),
        task: ref(input.taskId),
        workType: ref(input.workTypeId),
        client: ref(input.clientId),
        start: msInput('input.start', input.start),
        stop: msInput('input.stop', input.stop),
        duration: d ?? undefined,
        billable: input.billable ?? true,
        unitPrice: input.unitPrice ?? undefined,
      };
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      return call(() => adapterOf(context).calculatePrice(body, input.scope));
    },
  },
  Mutation: primaerpMutationResolvers,
};
