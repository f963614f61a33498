/**
 * Resolvers of `XurrentTimeEntry`'s own fields, its nested types and `Query.xurrentTimeEntry`.
 * Interface fields (`id`, `duration`) come from the core's TimeEntry resolvers.
 */
import { badInput } from '../../core/errors.js';
import { sourceCall } from '../common/resolve.js';
import type { Resolvers, XurrentChargeType } from '../../generated/graphql.js';
import { isXurrentAdapter } from './adapter.js';
import { decimal, flag } from './mapping.js';
import type { XurrentChargeTypeRaw } from './raw.js';
import { xurrentMutationResolvers } from './mutations.js';

const CHARGE_TYPES: Record<XurrentChargeTypeRaw, XurrentChargeType> = { fixed_price: 'FIXED_PRICE', time_material: 'TIME_MATERIAL' };

export const xurrentResolvers: Resolvers = {
  XurrentTimeEntry: {
    date: (e) => e.raw.date,
    timeSpent: (e) => e.raw.time_spent,
    correction: (e) => e.raw.correction === true,
    // Every read asks for these fields, so an absent flag means the entry is not there.
    archived: (e) => flag(e.raw.archived) === true,
    trashed: (e) => flag(e.raw.trashed) === true,
    state: (e) => (flag(e.raw.trashed) === true ? 'TRASHED' : flag(e.raw.archived) === true ? 'ARCHIVED' : 'ACTIVE'),
    organization: (e) => e.raw.organization ?? null,
    customer: (e) => e.raw.customer ?? null,
    service: (e) => e.raw.service ?? null,
    serviceInstance: (e) => e.raw.service_instance ?? null,
    sla: (e) => e.raw.sla ?? null,
    timeAllocation: (e) => e.raw.time_allocation ?? null,
    request: (e) => e.raw.request ?? null,
    problem: (e) => e.raw.problem ?? null,
    task: (e) => e.raw.task ?? null,
    projectTask: (e) => e.raw.project_task ?? null,
    effortClass: (e) => e.raw.effort_class ?? null,
    charge: (e) => decimal(e.raw.charge),
    chargeCurrency: (e) => e.raw.charge_currency ?? null,
    chargeRate: (e) => decimal(e.raw.charge_rate),
    chargeType: (e) => (e.raw.charge_type ? CHARGE_TYPES[e.raw.charge_type] ?? null : null),
    cost: (e) => decimal(e.raw.cost),
    costCurrency: (e) => e.raw.cost_currency ?? null,
    activityId: (e) => e.raw.activityID ?? null,
    agreementId: (e) => e.raw.agreementID ?? null,
    rateId: (e) => e.raw.rateID ?? null,
    noteId: (e) => (e.raw.note_id === null || e.raw.note_id === undefined ? null : String(e.raw.note_id)),
    externalSource: (e) => e.raw.source ?? null,
    externalSourceId: (e) => e.raw.sourceID ?? null,
  },
  XurrentReference: {
    sourceId: (r) => String(r.id),
    name: (r) => r.name ?? null,
  },
  XurrentAccount: {
    sourceId: (a) => String(a.id),
    name: (a) => a.name ?? null,
  },
  XurrentService: {
    sourceId: (s) => String(s.id),
    name: (s) => s.name ?? null,
    localizedName: (s) => s.localized_name ?? null,
  },
  XurrentTimeAllocation: {
    sourceId: (t) => String(t.id),
    name: (t) => t.name ?? null,
    group: (t) => t.group ?? null,
    account: (t) => t.account ?? null,
    localizedGroup: (t) => t.localized_group ?? null,
    localizedName: (t) => t.localized_name ?? null,
  },
  XurrentWorkItem: {
    sourceId: (w) => String(w.id),
    subject: (w) => w.subject ?? null,
    account: (w) => w.account ?? null,
    service: (w) => w.service ?? null,
    customer: (w) => w.customer ?? null,
  },
  XurrentCurrency: {
    code: (c) => String(c.id),
    name: (c) => c.name ?? null,
  },
  Query: {
    async xurrentTimeEntry(_parent, { id }, context) {
      if (!/^[1-9]\d{0,14}$/.test(id)) throw badInput('id', id, 'not a Xurrent time entry id (a positive integer)');
      return sourceCall(async () => {
        const adapter = context.sources.require('XURRENT');
        return isXurrentAdapter(adapter) ? adapter.getEntry(id) : null;
      });
    },
  },
  Mutation: xurrentMutationResolvers,
};
