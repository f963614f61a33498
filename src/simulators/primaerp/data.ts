/**
 * The simulator's deterministic seed: seed 004's Dummy record verbatim, its user, project, task,
 * client and work type, plus several hundred records over the months before the anchor for the
 * shared PEOPLE roster (some trashed, a few without a start, some sharing a start instant).
 */
import { PEOPLE } from '../common/people.js';
import { createRandom, intBetween, pick, uuid, type Random } from '../common/random.js';
import { formatMsJsonDate } from '../../units/dates.js';
import type {
  RawClient,
  RawExternalSystem,
  RawProject,
  RawTag,
  RawTask,
  RawTimeRecord,
  RawUser,
  RawWorkType,
} from '../../sources/primaerp/raw.js';
import { DUMMY_RECORD } from './dummy-record.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface SeedData {
  users: RawUser[];
  clients: RawClient[];
  projects: RawProject[];
  tasks: RawTask[];
  workTypes: RawWorkType[];
  tags: RawTag[];
  externalSystems: RawExternalSystem[];
  records: RawTimeRecord[];
  /** record id → tag ids (primaERP keeps tags apart from the record body). */
  recordTags: Map<string, string[]>;
  /** Work type id → default unit price (currency per millisecond, see routes.ts on the formula). */
  rates: Map<string, number>;
}

export interface SeedOptions {
  seed: number;
  anchorMs: number;
  /** Generated records besides the Dummy one. */
  recordCount: number;
  /** Days before the anchor the generated records spread over. */
  days: number;
}

const clone = <T>(v: T): T => structuredClone(v);
const round2 = (n: number): number => Math.round(n * 100) / 100;

/** primaERP's price: `unitPrice * duration`, rounded to cents (the seed: 3.0023E-5 × 21,600,000 ≈ 648.5). */
export function computePrice(unitPrice: number, durationMs: number): number {
  return round2(unitPrice * durationMs);
}

export function buildSeed(options: SeedOptions): SeedData {
  const random: Random = createRandom(options.seed);
  const dummy = clone(DUMMY_RECORD);
  const t0 = options.anchorMs - options.days * DAY;
  const stamp = (ms: number) => formatMsJsonDate(Math.round(ms));
  const entity = (createdMs: number) => ({
    id: uuid(random),
    createdAt: stamp(createdMs),
    updatedAt: stamp(createdMs + intBetween(random, 0, 30) * DAY),
    version: intBetween(random, 1, 4),
  });

  const vendorSystem: RawExternalSystem = { ...entity(t0 - 400 * DAY), name: 'Jira Cloud', integrationPlugin: 'jira', displayName: 'Jira Cloud' };
  const externalSystems = [clone(dummy.externalSystem!), vendorSystem];

  const users: RawUser[] = [clone(dummy.user!), clone(dummy.project!.owner!)];
  PEOPLE.forEach((p, index) => {
    const e = entity(t0 - 300 * DAY);
    users.push({
      ...e,
      firstName: p.firstName,
      lastName: p.lastName,
      nickName: `${p.firstName} ${p.lastName[0]}.`,
      email: p.email,
      phone: `+1 555 01${String(index).padStart(2, '0')}`,
      position: pick(random, ['Consultant', 'Developer', 'Designer', 'Project manager']),
      // Two users never set a zone: their records count in UTC.
      timeZone: p.lastName === 'Perlman' || p.lastName === 'Berners-Lee' ? null : p.timeZone,
      dateFormat: 'yyyy-MM-dd',
      timeFormat: 'HH:mm',
      weekStart: 1,
      language: 'en_US',
      password: '',
      secretKey: `sim-user-secret-${index}`,
      confirmed: true,
      confirmedEmail: true,
      active: true,
      workingTimeStart: stamp(Date.UTC(1970, 0, 1, 8)),
      workingTimeEnd: stamp(Date.UTC(1970, 0, 1, 17)),
      created: e.createdAt,
      admin: index === 0,
      projectManager: index < 3,
      displayName: `${p.lastName} ${p.firstName}`,
    });
  });
  const people = users.slice(2);

  const clients: RawClient[] = [clone(dummy.client!)];
  for (const [name, code, city, country] of [
    ['Northwind Traders', 'NWT', 'Seattle', 'USA'],
    ['Contoso GmbH', 'CON', 'Vienna', 'AUT'],
    ['Kiwi Analytics', 'KIW', 'Auckland', 'NZL'],
  ] as const) {
    clients.push({
      ...entity(t0 - 200 * DAY),
      name,
      code,
      email: `office@${code.toLowerCase()}.example.com`,
      billsCount: intBetween(random, 0, 12),
      projectsCount: 2,
      streetAddress: `${intBetween(random, 1, 99)} Main Street`,
      additionalAddressInfo: '',
      zipCode: String(intBetween(random, 10000, 99999)),
      city,
      state: '',
      countryCode: country,
      phone: '+1 555 0100',
      vatId: `VAT-${code}-${intBetween(random, 1000, 9999)}`,
      website: `https://${code.toLowerCase()}.example.com/`,
      displayName: name,
    });
  }

  const projects: RawProject[] = [clone(dummy.project!)];
  const projectNames = ['Website relaunch', 'Data warehouse', 'Mobile app', 'Support retainer', 'ERP rollout'];
  projectNames.forEach((name, i) => {
    const e = entity(t0 - 150 * DAY);
    projects.push({
      ...e,
      name,
      code: name.split(' ').map((w) => w[0]).join('').toUpperCase(),
      note: '',
      begins: stamp(t0 - 30 * DAY),
      ends: stamp(options.anchorMs + 60 * DAY),
      timeBudget: intBetween(random, 100, 900) * 3_600_000,
      priceBudget: intBetween(random, 10, 200) * 1000,
      personal: false,
      owner: clone(people[i % people.length]),
      client: clone(clients[1 + (i % 3)]),
      billable: i !== 3,
      autoMembership: false,
      membersCount: 4,
      tasksCount: 3,
      timeRecordsCount: 0,
      displayName: name,
    });
  });

  const tasks: RawTask[] = [clone(dummy.task!)];
  for (const project of projects.slice(1)) {
    for (const name of ['Analysis', 'Implementation', 'Review']) {
      tasks.push({
        ...entity(t0 - 120 * DAY),
        project: clone(project),
        name: `${project.code} ${name}`,
        code: name.slice(0, 3).toUpperCase(),
        note: '',
        done: random() < 0.3,
        author: clone(project.owner!),
        owner: clone(pick(random, people)),
        timeBudget: intBetween(random, 10, 200) * 3_600_000,
        priceBudget: intBetween(random, 1, 50) * 1000,
        displayName: `${project.code} ${name}`,
      });
    }
  }

  const workTypes: RawWorkType[] = [clone(dummy.workType!)];
  const rates = new Map<string, number>([[dummy.workType!.id, dummy.unitPrice!]]);
  for (const [name, code, category, perHour] of [
    ['Design', 'DES', 'WORK', 90],
    ['Meetings', 'MTG', 'WORK', 60],
    ['Support', 'SUP', 'WORK', 75],
  ] as const) {
    const wt: RawWorkType = { ...entity(t0 - 250 * DAY), name, code, category, displayName: name };
    workTypes.push(wt);
    rates.set(wt.id, perHour / 3_600_000);
  }

  const tags: RawTag[] = ['urgent', 'remote', 'on-site', 'overtime', 'internal'].map((name) => ({ ...entity(t0 - 100 * DAY), name, displayName: name }));

  const records: RawTimeRecord[] = [dummy];
  const recordTags = new Map<string, string[]>();
  for (let n = 0; n < options.recordCount; n++) {
    const user = pick(random, people);
    const project = pick(random, projects.slice(1));
    const projectTasks = tasks.filter((t) => t.project?.id === project.id);
    const task = random() < 0.8 ? pick(random, projectTasks) : null;
    const workType = pick(random, workTypes.slice(1));
    const noStart = n % 70 === 13;
    // Every 40th record starts at the same instant as the one before: ties must survive paging.
    const prevStart = records[records.length - 1].start;
    let startMs = t0 + Math.floor(random() * options.days * DAY);
    if (n % 40 === 39 && prevStart) startMs = Number(/\d+/.exec(prevStart)![0]);
    const durationMs = intBetween(random, 1, 32) * 15 * MINUTE;
    const createdMs = Math.min(options.anchorMs - 1000, startMs + durationMs + intBetween(random, 0, 3 * 24 * 60) * MINUTE);
    const updatedMs = random() < 0.5 ? createdMs : Math.min(options.anchorMs, createdMs + intBetween(random, 1, 20 * 24 * 60) * MINUTE + intBetween(random, 0, 59_999));
    const billable = project.billable !== false && random() < 0.8;
    const unitPrice = rates.get(workType.id)!;
    const approved = random() < 0.5;
    const record: RawTimeRecord = {
      id: uuid(random),
      createdAt: stamp(createdMs),
      updatedAt: stamp(updatedMs),
      version: intBetween(random, 1, 5),
      user: clone(user),
      project: clone(project),
      task: task ? clone(task) : null,
      workType: clone(workType),
      client: clone(project.client!),
      start: noStart ? null : stamp(startMs),
      stop: noStart ? null : stamp(startMs + durationMs),
      duration: durationMs,
      description: pick(random, ['Planning', 'Code review', 'Client call', 'Bug fixing', 'Workshop', 'Documentation', 'Deployment', '']) || null,
      billable,
      price: billable ? computePrice(unitPrice, durationMs) : null,
      unitPrice: billable ? unitPrice : null,
      priceAutoCalculation: true,
      priceModified: false,
      approved,
      billed: billable && approved && random() < 0.4,
      effective: random() > 0.05,
      recordType: 'ATTENDANCE',
      displayName: user.displayName,
    };
    if (random() < 0.1) {
      Object.assign(record, {
        externalSystem: clone(vendorSystem),
        externalResourceId: `JIRA-${intBetween(random, 100, 999)}`,
        externalBrowsableUrl: `https://jira.example.com/browse/JIRA-${intBetween(random, 100, 999)}`,
        externalSyncedAt: stamp(updatedMs),
        externalSynced: true,
      });
    }
    if (random() < 0.06) {
      record.trashItem = { id: uuid(random), createdAt: record.updatedAt, updatedAt: record.updatedAt, version: 1, objectType: 'TimeRecord', objectId: record.id, displayName: record.displayName };
    }
    for (const key of Object.keys(record) as Array<keyof RawTimeRecord>) if (record[key] === null) delete record[key];
    records.push(record);
    const tagIds = tags.filter(() => random() < 0.2).map((t) => t.id);
    if (tagIds.length > 0) recordTags.set(record.id, tagIds);
  }

  return { users, clients, projects, tasks, workTypes, tags, externalSystems, records, recordTags, rates };
}
