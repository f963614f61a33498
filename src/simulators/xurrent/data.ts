/**
 * The Xurrent simulator's deterministic seed: the seed documents' own records 195 and 231 verbatim,
 * plus several hundred generated entries over the months before the anchor, for the shared PEOPLE.
 */
import { PEOPLE } from '../common/people.js';
import { createRandom, intBetween, pick, type Random } from '../common/random.js';
import type {
  XurrentAccountRaw, XurrentPersonRaw, XurrentRefRaw, XurrentServiceRaw, XurrentTimeAllocationRaw,
  XurrentTimeEntryRaw, XurrentWorkItemRaw,
} from '../../sources/xurrent/raw.js';

export const ACCOUNT: XurrentAccountRaw = { id: 'wna-it', name: 'Widget N. America - IT' };

export const ORGANIZATIONS: XurrentRefRaw[] = [
  { id: 7, name: 'Widget North America, Information Technology' },
  { id: 8, name: 'Widget North America, Human Resources' },
  { id: 44, name: 'Widget Data Center, External IT' },
  { id: 48, name: 'Widget North America, Sales & Marketing' },
  { id: 52, name: 'Widget Europe, Finance' },
];

export const SERVICES: XurrentServiceRaw[] = [
  { id: 36, name: 'SAP Basis', localized_name: 'SAP Basis' },
  { id: 22, name: 'Expense Reporting', localized_name: 'Expense Reporting' },
  { id: 41, name: 'Email', localized_name: 'Email' },
  { id: 47, name: 'Workplace Support', localized_name: 'Workplace Support' },
];

/** Time allocations; `description_required` is the simulator's copy of the allocation's setting. */
export const TIME_ALLOCATIONS: Array<XurrentTimeAllocationRaw & { description_required: boolean }> = [
  { id: 4, group: 'Project', name: 'Transparency of Performance (TOP)', account: ACCOUNT, localized_group: 'Project', localized_name: 'Transparency of Performance (TOP)', description_required: true },
  { id: 5, group: 'Operations', name: 'Incident Handling', account: ACCOUNT, localized_group: 'Operations', localized_name: 'Incident Handling', description_required: false },
  { id: 6, group: 'Other', name: 'Training', account: ACCOUNT, localized_group: 'Other', localized_name: 'Training', description_required: true },
];

export const EFFORT_CLASSES: XurrentRefRaw[] = [
  { id: 1, name: 'Billable - Normal Hours' },
  { id: 2, name: 'Billable overtime' },
  { id: 3, name: 'Non Billable' },
];

export const SERVICE_INSTANCES: XurrentRefRaw[] = [
  { id: 301, name: 'SAP Production' },
  { id: 302, name: 'Expense Reporting Cloud' },
];

export const SLAS: XurrentRefRaw[] = [
  { id: 401, name: 'SAP Basis for Widget HR' },
  { id: 402, name: 'Expense Reporting for Widget Sales' },
];

export const REQUESTS: XurrentWorkItemRaw[] = [
  { id: 70248, subject: 'Expense reporting is slow', account: ACCOUNT, service: SERVICES[1], customer: ORGANIZATIONS[3] },
  { id: 70311, subject: 'SAP transport fails', account: ACCOUNT, service: SERVICES[0], customer: ORGANIZATIONS[1] },
  { id: 70402, subject: 'Mailbox quota exceeded', account: ACCOUNT, service: SERVICES[2], customer: ORGANIZATIONS[4] },
];
export const PROBLEMS: XurrentWorkItemRaw[] = [{ id: 812, subject: 'Expense report exports time out', account: ACCOUNT, service: SERVICES[1] }];
export const TASKS: XurrentWorkItemRaw[] = [{ id: 9031, subject: 'Apply SAP kernel patch', account: ACCOUNT, service: SERVICES[0] }];
export const PROJECT_TASKS: XurrentWorkItemRaw[] = [{ id: 1204, subject: 'Load test HR release', account: ACCOUNT, service: SERVICES[0] }];

const CURRENCY = { id: 'USD', name: 'US Dollar' };
/** Charge rate per hour of each effort class. */
export const RATES: Record<number, number> = { 1: 120, 2: 180, 3: 0 };

/** People: the shared roster (ids 101…) plus the seeds' Chess Cole (7) and Tom Waters (57). */
export function seedPeople(): XurrentPersonRaw[] {
  const people: XurrentPersonRaw[] = [
    { id: 7, name: 'Chess Cole', primary_email: 'chess.cole@widget.com', organization: ORGANIZATIONS[0] },
    { id: 57, name: 'Tom Waters', primary_email: 'tom.waters@widget.com', organization: ORGANIZATIONS[2] },
  ];
  PEOPLE.forEach((p, i) =>
    people.push({ id: 101 + i, name: `${p.firstName} ${p.lastName}`, primary_email: p.email, organization: ORGANIZATIONS[i % ORGANIZATIONS.length] }),
  );
  return people.map((p) => ({ ...p, disabled: false, created_at: '2015-01-05T09:00:00-05:00', updated_at: '2015-01-05T09:00:00-05:00' }));
}

/** Record 195 as the seed's "Get a single time entry" shows it. */
export const SEED_195: XurrentTimeEntryRaw = {
  id: 195, date: '2016-03-28', deleted: false, correction: false,
  created_at: '2016-03-28T12:13:11-05:00', updated_at: '2016-03-28T12:13:11-05:00', time_spent: 120,
  organization: { id: 7, name: 'Widget North America, Information Technology' },
  person: { id: 7, name: 'Chess Cole' },
  time_allocation: {
    id: 4, group: 'Project', name: 'Transparency of Performance (TOP)',
    account: { id: 'wna-it', name: 'Widget N. America - IT' },
    localized_group: 'Project', localized_name: 'Transparency of Performance (TOP)',
  },
  service: { id: 36, name: 'SAP Basis', localized_name: 'SAP Basis' },
  customer: { id: 8, name: 'Widget North America, Human Resources' },
  description: 'Transaction response time testing for new HR features.',
};

/** Record 231 as the seed's collection example shows it. */
export const SEED_231: XurrentTimeEntryRaw = {
  id: 231, date: '2016-03-28', created_at: '2016-03-28T14:55:00-05:00', updated_at: '2016-03-28T14:57:00-05:00', time_spent: 10,
  organization: { id: 44, name: 'Widget Data Center, External IT' },
  person: { id: 57, name: 'Tom Waters' },
  request: {
    id: 70248, subject: 'Expense reporting is slow',
    account: { id: 'wna-it', name: 'Widget N. America - IT' },
    service: { id: 22, name: 'Expense Reporting', localized_name: 'Expense Reporting' },
    customer: { id: 48, name: 'Widget North America, Sales & Marketing' },
  },
};

const OFFSETS = ['-05:00', '-06:00', '+00:00', '+01:00', '+09:00', '+13:00', '-03:00'];

/** `2016-03-28T12:13:11-05:00` for an instant shown in a fixed offset. */
export function formatOffset(ms: number, offset: string): string {
  const sign = offset[0] === '-' ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return new Date(ms + minutes * 60_000).toISOString().slice(0, 19) + offset;
}

const DAY = 86_400_000;
const DESCRIPTIONS = [
  'Transaction response time testing', 'Kernel patch preparation', 'User training session', 'Incident follow-up',
  'Mailbox migration', 'Expense export analysis', 'Release checklist review', 'Vendor call',
];

export interface SeedOptions {
  seed: number;
  anchorMs: number;
  /** Generated entries (default 420). */
  count?: number;
}

/** The seeded entries, ids ascending in creation order. */
export function seedEntries({ seed, anchorMs, count = 420 }: SeedOptions): XurrentTimeEntryRaw[] {
  const random = createRandom(seed);
  const people = seedPeople().filter((p) => p.id > 100);
  const entries: XurrentTimeEntryRaw[] = [structuredClone(SEED_195), structuredClone(SEED_231)];
  const firstDay = Math.floor(anchorMs / DAY) - 180;
  const created: number[] = [];
  for (let i = 0; i < count; i++) created.push((firstDay + intBetween(random, 0, 179)) * DAY + intBetween(random, 7, 18) * 3_600_000 + intBetween(random, 0, 3599) * 1000);
  created.sort((a, b) => a - b);
  created.forEach((createdMs, i) => {
    const entry = generateEntry(random, 1000 + i, createdMs, people, anchorMs);
    // Every 23rd entry shares its neighbour's update instant (in another offset): UPDATED_AT ties.
    const previous = entries[entries.length - 1];
    if (i % 23 === 5 && previous.id >= 1000) {
      entry.updated_at = entry.created_at;
      previous.updated_at = formatOffset(createdMs, previous.updated_at.slice(19));
    }
    entries.push(entry);
  });
  return entries;
}

function generateEntry(random: Random, id: number, createdMs: number, people: XurrentPersonRaw[], anchorMs: number): XurrentTimeEntryRaw {
  const person = pick(random, people);
  const offset = OFFSETS[person.id % OFFSETS.length];
  const workDay = new Date(createdMs - intBetween(random, 0, 2) * DAY).toISOString().slice(0, 10);
  const allocation = random() < 0.6 ? pick(random, TIME_ALLOCATIONS) : null;
  const request = !allocation && random() < 0.5 ? pick(random, REQUESTS) : null;
  const correction = random() < 0.05;
  const minutes = correction ? -intBetween(random, 1, 16) * 15 : intBetween(random, 1, 48) * 5;
  const effort = pick(random, EFFORT_CLASSES);
  const rate = RATES[effort.id];
  // Some entries were updated a little after creation.
  let updatedMs = random() < 0.3 ? createdMs + intBetween(random, 60, 3 * DAY / 1000) * 1000 : createdMs;
  updatedMs = Math.min(updatedMs, anchorMs - 1000);
  const deleted = random() < 0.06;
  const entry: XurrentTimeEntryRaw = {
    id,
    date: workDay,
    correction,
    created_at: formatOffset(createdMs, offset),
    updated_at: formatOffset(updatedMs, offset),
    time_spent: minutes,
    organization: person.organization ?? undefined,
    person: { id: person.id, name: person.name },
    service: request?.service ?? pick(random, SERVICES),
    customer: request?.customer ?? pick(random, ORGANIZATIONS),
    description: allocation?.description_required || random() < 0.7 ? pick(random, DESCRIPTIONS) : null,
    deleted,
    started_at: random() < 0.5 ? formatOffset(Date.parse(`${workDay}T00:00:00Z`) + intBetween(random, 8 * 60, 16 * 60) * 60_000, offset) : null,
    effort_class: effort,
    charge_rate: rate,
    charge: Math.round(rate * minutes * 100 / 60) / 100,
    charge_currency: CURRENCY,
    charge_type: request ? pick(random, ['fixed_price', 'time_material'] as const) : 'time_material',
    cost: Math.round(75 * minutes * 100 / 60) / 100,
    cost_currency: 'USD',
    note_id: request && random() < 0.5 ? intBetween(random, 500_000, 600_000) : null,
  };
  if (allocation) {
    const { description_required: _d, ...ta } = allocation;
    void _d;
    entry.time_allocation = ta;
  }
  if (request) {
    entry.request = request;
    entry.service_instance = pick(random, SERVICE_INSTANCES);
    entry.sla = pick(random, SLAS);
    entry.activityID = `ACT-${request.id}`;
    entry.agreementID = `AGR-${entry.sla.id}`;
    entry.rateID = `RATE-${effort.id}`;
  } else if (random() < 0.1) {
    entry.problem = PROBLEMS[0];
  } else if (random() < 0.1) {
    entry.task = TASKS[0];
  } else if (random() < 0.1) {
    entry.project_task = PROJECT_TASKS[0];
  }
  if (random() < 0.1) {
    entry.source = 'jira';
    entry.sourceID = `WID-${id}`;
  }
  return entry;
}
