/**
 * The Laurel simulator's deterministic seed: the shared PEOPLE roster as Laurel users, clients,
 * initiatives, codes, several hundred entries over the months before the anchor, and the seeds' own
 * example records (files 000/001).
 */
import { PEOPLE } from '../common/people.js';
import { createRandom, hex, intBetween, pick, type Random } from '../common/random.js';
import type {
  LaurelStatus,
  RawActivitySource,
  RawClient,
  RawCode,
  RawCodeType,
  RawFullEntry,
  RawInitiative,
  RawSource,
  RawStatusInfo,
} from '../../sources/laurel/raw.js';

/** What the simulator stores per entry: the full entry plus the list record's own fields. */
export interface StoredEntry extends RawFullEntry {
  releasedBy?: string;
  createdBy?: string;
  lastReleasePendingAt?: string;
  lastReleaseFailedAt?: string;
  releaseSuccessAt?: string;
}

export interface SimUser {
  _id: string;
  email: string;
  name: string;
  timeZone: string | null;
}

export interface LaurelWorld {
  customerId: string;
  users: SimUser[];
  clients: RawClient[];
  initiatives: RawInitiative[];
  codes: RawCode[];
  entries: StoredEntry[];
  /** The integration user that releases entries. */
  integrationUserId: string;
}

const DAY = 86_400_000;

/** Laurel writes instants to the second: `2022-08-12T20:44:48Z`. */
export function laurelTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A realistic ObjectId: the first 8 hex digits are the creation epoch second. */
export function objectIdAt(ms: number, random: Random): string {
  return Math.floor(ms / 1000).toString(16).padStart(8, '0') + hex(random, 16);
}

export function createWorld(options: { seed: number; anchorMs: number; entryCount: number }): LaurelWorld {
  const random = createRandom(options.seed);
  const { anchorMs } = options;
  const setupMs = anchorMs - 400 * DAY;
  const customerId = objectIdAt(setupMs, random);
  const integrationUserId = objectIdAt(setupMs + 60_000, random);
  const users: SimUser[] = PEOPLE.map((p, i) => ({
    _id: objectIdAt(setupMs + (i + 2) * 3_600_000, random),
    email: p.email,
    name: `${p.firstName} ${p.lastName}`,
    timeZone: p.timeZone,
  }));
  const clientNames = ['Northwind Traders', 'Contoso Legal', 'Fabrikam Holdings', 'Tailspin Toys'];
  const clients: RawClient[] = clientNames.map((name, i) => ({
    _id: objectIdAt(setupMs + DAY + i * 60_000, random),
    externalId: `CL-${1001 + i}`,
    name,
    description: `${name} (client since ${2015 + i})`,
    callSign: name.slice(0, 3).toUpperCase(),
    type: 'client',
    parentClientId: null,
  }));
  const increments = [36, 360, 900];
  const initiatives: RawInitiative[] = [];
  for (let i = 0; i < 8; i++) {
    const client = clients[i % clients.length];
    initiatives.push({
      type: 'pms',
      _id: objectIdAt(setupMs + 2 * DAY + i * 60_000, random),
      billingType: i % 4 === 3 ? 'non-billable' : 'billable',
      callSign: `${client.callSign}-${i + 1}`,
      unitIncrements: increments[i % increments.length],
      status: i === 7 ? 'inactive' : 'active',
      locale: pick(random, ['en-US', 'en-GB', 'fr-CA', 'de-DE']),
      externalId: `MAT-${2001 + i}`,
      name: `${client.callSign}-${String(i + 1).padStart(3, '0')}`,
      description: `${client.name}: matter ${i + 1}`,
      client,
    });
  }
  for (let i = 0; i < 2; i++) {
    initiatives.push({
      type: 'user',
      _id: objectIdAt(setupMs + 3 * DAY + i * 60_000, random),
      billingType: 'non-billable',
      callSign: null,
      unitIncrements: 360,
      status: 'active',
      name: i === 0 ? 'Admin' : 'Business development',
    });
  }
  const semantic = ['action', 'activity', 'location', 'phase', 'task'] as const;
  const codeTypes: RawCodeType[] = semantic.map((s, i) => ({
    _id: objectIdAt(setupMs + 4 * DAY + i * 60_000, random),
    externalId: `CT-${s.toUpperCase()}`,
    name: s[0].toUpperCase() + s.slice(1),
    semanticType: s,
    orderingSequence: String.fromCharCode(97 + i),
  }));
  const codes: RawCode[] = [];
  for (let i = 0; i < 10; i++) {
    const type = codeTypes[i % codeTypes.length];
    codes.push({
      _id: objectIdAt(setupMs + 5 * DAY + i * 60_000, random),
      externalId: `${type.semanticType?.[0].toUpperCase()}${100 + i}`,
      name: `${type.name} ${i + 1}`,
      description: i % 3 === 0 ? '' : `${type.name} code ${i + 1}`,
      type,
    });
  }

  const entries: StoredEntry[] = [];
  const ids = new Set<string>();
  for (let n = 0; n < options.entryCount; n++) {
    const e = generateEntry(random, { n, anchorMs, customerId, integrationUserId, users, initiatives, codes });
    if (ids.has(e._id)) continue;
    ids.add(e._id);
    entries.push(e);
  }
  entries.push(...seedExamples(customerId, users[0]._id, integrationUserId, random));
  return { customerId, users, clients, initiatives, codes, entries, integrationUserId };
}

interface GenContext {
  n: number;
  anchorMs: number;
  customerId: string;
  integrationUserId: string;
  users: SimUser[];
  initiatives: RawInitiative[];
  codes: RawCode[];
}

function generateEntry(random: Random, ctx: GenContext): StoredEntry {
  const { anchorMs } = ctx;
  const createdMs = Math.floor((anchorMs - 3 * DAY - random() * 150 * DAY) / 1000) * 1000;
  const user = pick(random, ctx.users);
  const initiative = random() < 0.9 ? pick(random, ctx.initiatives.slice(0, 8)) : pick(random, ctx.initiatives.slice(8));
  const workDay = new Date(createdMs - intBetween(random, 0, 2) * DAY).toISOString().slice(0, 10);
  const dayStart = Date.parse(`${workDay}T00:00:00Z`);
  const sources: RawSource[][] = [];
  const activities: RawActivitySource[] = [];
  for (let i = intBetween(random, 1, 3); i > 0; i--) {
    const start = dayStart + intBetween(random, 8 * 60, 17 * 60) * 60_000;
    activities.push({
      _id: objectIdAt(start, random),
      type: 'activity',
      creationMethod: pick(random, ['timer', 'tracked', 'user'] as const),
      category: pick(random, ['call', 'email', 'document', 'meeting']),
      technology: pick(random, ['zoom', 'outlook', 'word', 'teams']),
      source: pick(random, ['macos', 'windows']),
      mechanism: null,
      title: pick(random, ['Call with client', 'Draft memo', 'Review contract', 'Team sync']),
      detail: `activity ${ctx.n}`,
      startedAt: laurelTime(start),
      stoppedAt: laurelTime(start + intBetween(random, 5, 90) * 60_000),
      clusterId: hex(random, 8),
      hasOverlap: false,
      overlapTimeInSeconds: 0,
      threadId: null,
    });
  }
  sources.push(activities);
  const timer = random() < 0.15;
  if (timer) sources.push([{ _id: objectIdAt(createdMs, random), type: 'timer', durationInSeconds: intBetween(random, 60, 7200), summary: '' }]);
  const fromSources = random() < 0.03 ? 0 : intBetween(random, 1, 30);
  const adjustments = random() < 0.8 ? 0 : intBetween(random, -1, 3);
  const count = Math.max(0, fromSources + adjustments);
  // Some entries are touched by the nightly sync at the same second, so updatedAt ties are common.
  let updatedMs = random() < 0.4 ? createdMs : createdMs + intBetween(random, 0, 5 * 86_400) * 1000;
  if (random() < 0.1) updatedMs = Math.floor(updatedMs / DAY) * DAY + DAY;
  updatedMs = Math.min(updatedMs, anchorMs);
  const status = pickStatus(random);
  const statusInfo: RawStatusInfo = { status };
  const entry: StoredEntry = {
    _id: objectIdAt(createdMs, random),
    customerId: ctx.customerId,
    userId: user._id,
    enrichmentCorrelationId: hex(random, 12),
    statusInfo,
    creationMethod: pick(random, ['async', 'async', 'user', 'user', 'pms', 'shared'] as const),
    createdAsTimer: timer,
    workDate: random() < 1 / 60 ? undefined : workDay,
    isLocked: false,
    summary: pick(random, ['Call with opposing counsel', 'Drafted engagement letter', 'Reviewed discovery documents', 'Prepared board minutes', 'Research on precedent', 'Client meeting']),
    unitIncrementCountFromSources: fromSources,
    unitIncrementCountAdjustments: adjustments,
    incrementDurationInSeconds: count * initiative.unitIncrements,
    initiativeProps: {
      type: initiative.type,
      colorHex: pick(random, ['fec828', '4a90e2', '7ed321', 'd0021b']),
      tags: random() < 0.2 ? ['pinned'] : [],
      ...(initiative.type === 'pms' ? { nickname: random() < 0.2 ? 'my matter' : null } : {}),
      initiative,
    },
    workCodes: Array.from({ length: intBetween(random, 0, 2) }, () => ({ assignedBy: pick(random, ['user', 'laurel'] as const), code: pick(random, ctx.codes) })),
    sources,
    createdAt: laurelTime(createdMs),
    updatedAt: laurelTime(updatedMs),
    hasOverlap: false,
    overlapTimeInSeconds: 0,
    isDeleted: random() < 0.06,
    notes: random() < 0.3 ? 'See file notes' : undefined,
    releaseCount: 0,
    timerDurationAdjustmentInSeconds: timer ? 0 : undefined,
    complianceRules: random() < 0.1 ? [{ ruleKey: 'block-billing', description: 'No block billing', enforcementLevel: pick(random, ['block', 'acknowledge', 'warn', 'off'] as const) }] : [],
    initiativeName: initiative.name,
    clientName: initiative.client?.name,
    billingType: initiative.billingType,
    timezoneAtCreation: user.timeZone,
    isShared: false,
    isSplittable: activities.length > 1,
    createdBy: user._id,
  };
  if (entry.creationMethod === 'shared') {
    const owner = pick(random, ctx.users);
    entry.sharedFrom = { entryId: objectIdAt(createdMs - 60_000, random), entryUserId: owner._id, sharerId: owner._id, sharerType: 'user', sharedAt: laurelTime(createdMs), entryUserName: owner.name, sharerName: owner.name };
  }
  const at = laurelTime(updatedMs);
  if (status === 'release-success' || status === 'release-success-locked') {
    Object.assign(statusInfo, { releasedAt: at, releasedBy: ctx.integrationUserId });
    if (status === 'release-success-locked') Object.assign(statusInfo, { lockedAt: at, lastLockCheckAt: at });
    Object.assign(entry, { releaseSuccessAt: at, releasedBy: ctx.integrationUserId, firstReleaseAttemptedAt: at, lastSyncedAt: at, releaseCount: 1, externalId: `PMS-${100000 + ctx.n}`, isLocked: status === 'release-success-locked' });
  } else if (status === 'release-pending' || status === 'release-validation-pending') {
    Object.assign(statusInfo, { releasePendedAt: at, releasePendedBy: entry.userId });
    Object.assign(entry, { lastReleasePendingAt: at, firstReleaseAttemptedAt: at });
  } else if (status === 'release-failed') {
    statusInfo.releaseFailedErrors = [{ originalMessage: 'Matter closed', title: 'Matter closed', description: 'The matter is closed in the billing system.' }];
    Object.assign(entry, { lastReleaseFailedAt: at, firstReleaseAttemptedAt: at });
  } else if (status === 'validation-failed') {
    statusInfo.errors = [{ errorCode: count === 0 ? 'cannot-release-zero-increment' : 'code-type-is-required' }];
  }
  return entry;
}

function pickStatus(random: Random): LaurelStatus {
  const r = random();
  if (r < 0.35) return 'validation-success';
  if (r < 0.45) return 'validation-pending';
  if (r < 0.5) return 'validation-failed';
  if (r < 0.55) return 'release-pending';
  if (r < 0.85) return 'release-success';
  if (r < 0.93) return 'release-success-locked';
  return 'release-failed';
}

/**
 * The seeds' example records with their values verbatim, except that the placeholder "text" ids
 * become valid ObjectIds (the entries' ids embed their createdAt second, 2022-08-12T20:44:48Z):
 * the list/override example (000), the soft-delete answer (full entry, 000) and the export example.
 */
function seedExamples(customerId: string, userId: string, releaserId: string, random: Random): StoredEntry[] {
  const created = Date.parse('2022-08-12T20:44:48Z');
  const client: RawClient = { _id: objectIdAt(created, random), externalId: 'text', name: 'text', description: 'text', callSign: 'text' };
  const initiative: RawInitiative = {
    type: 'pms',
    _id: objectIdAt(created, random),
    billingType: 'billable',
    callSign: 'text',
    unitIncrements: 1,
    externalId: 'text',
    name: 'text',
    description: 'text',
    client,
  };
  const code: RawCode = {
    _id: objectIdAt(created, random),
    externalId: 'text',
    name: 'text',
    description: 'text',
    type: { _id: objectIdAt(created, random), externalId: 'text', name: 'text', semanticType: 'action' },
  };
  const props = { type: 'pms' as const, colorHex: 'fec828', tags: ['pinned' as const], nickname: 'text', initiative };
  const common = {
    customerId,
    userId,
    creationMethod: 'async' as const,
    workDate: '2022-08-12',
    summary: 'text',
    incrementDurationInSeconds: 1,
    externalId: 'text',
    createdAt: '2022-08-12T20:44:48Z',
    updatedAt: '2022-08-12T20:44:48Z',
    notes: 'text',
    releaseCount: 1,
    initiativeProps: props,
    workCodes: [{ assignedBy: 'user' as const, code }],
  };
  const listExample: StoredEntry = {
    ...common,
    _id: objectIdAt(created, random),
    statusInfo: { status: 'release-success', releasedAt: '2022-08-12T20:44:48Z', releasedBy: releaserId },
    isLocked: false,
    unitIncrementCountFromSources: 1,
    unitIncrementCountAdjustments: 0,
    sources: [],
    releasedBy: releaserId,
    createdBy: userId,
    lastReleasePendingAt: '2022-08-12T20:44:48Z',
    lastReleaseFailedAt: '2022-08-12T20:44:48Z',
    releaseSuccessAt: '2022-08-12T20:44:48Z',
    isDeleted: true,
    lastSyncedAt: '2022-08-12T20:44:48Z',
  };
  const deleteExample: StoredEntry = {
    ...common,
    _id: objectIdAt(created, random),
    enrichmentCorrelationId: 'text',
    statusInfo: { status: 'release-failed', releaseFailedErrors: [{ originalMessage: 'text', title: 'text', description: 'text' }] },
    createdAsTimer: true,
    isLocked: true,
    unitIncrementCountFromSources: 1,
    unitIncrementCountAdjustments: 1,
    sources: [
      [
        {
          _id: objectIdAt(created, random),
          type: 'activity',
          creationMethod: 'timer',
          category: 'call',
          technology: 'zoom',
          title: 'text',
          detail: 'text',
          startedAt: '2022-08-12T20:44:48Z',
          stoppedAt: '2022-08-12T20:44:48Z',
          clusterId: 'text',
          hasOverlap: true,
          overlapTimeInSeconds: 1,
          threadId: 'text',
        },
      ],
    ],
    hasOverlap: true,
    overlapTimeInSeconds: 1,
    isDeleted: true,
    lastSyncedAt: '2022-08-12T20:44:48Z',
    timerDurationAdjustmentInSeconds: 1,
    complianceRules: [{ ruleKey: 'text', description: 'text', enforcementLevel: 'block' }],
    lastReleaseFailedAt: '2022-08-12T20:44:48Z',
  };
  // The export example carries a bare date as lastSyncedAt; kept as the seed shows it.
  const exportExample: StoredEntry = {
    ...common,
    _id: objectIdAt(created, random),
    statusInfo: { status: 'release-success', releasedAt: '2022-08-12T20:44:48Z', releasedBy: releaserId },
    isLocked: false,
    unitIncrementCountFromSources: 1,
    unitIncrementCountAdjustments: 0,
    sources: [],
    releaseSuccessAt: '2022-08-12T20:44:48Z',
    releasedBy: releaserId,
    lastSyncedAt: '2022-08-12',
    isDeleted: false,
  } as StoredEntry;
  return [listExample, deleteExample, exportExample];
}
