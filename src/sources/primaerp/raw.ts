/**
 * primaERP wire types, as seed 004 shows them. Dates are Microsoft JSON dates (`/Date(ms)/`); every
 * field may be absent, since primaERP omits nulls.
 */

/** A Microsoft JSON date, `/Date(1489386674660)/` (see units/dates.ts). */
export type MsJsonDate = string;

/** Fields every primaERP entity carries. */
export interface RawEntity {
  id: string;
  createdAt?: MsJsonDate | null;
  updatedAt?: MsJsonDate | null;
  version?: number | null;
  displayName?: string | null;
}

/** Fields of entities that an external system may maintain. */
export interface RawExternal {
  externalSystem?: RawExternalSystem | null;
  externalResourceId?: string | null;
  externalBrowsableUrl?: string | null;
  externalSyncedAt?: MsJsonDate | null;
  externalSynced?: boolean | null;
}

export interface RawExternalSystem extends RawEntity {
  name?: string | null;
  integrationPlugin?: string | null;
}

export interface RawUser extends RawEntity {
  firstName?: string | null;
  lastName?: string | null;
  nickName?: string | null;
  email?: string | null;
  phone?: string | null;
  position?: string | null;
  /** IANA zone; absent for users who never set one. */
  timeZone?: string | null;
  dateFormat?: string | null;
  timeFormat?: string | null;
  weekStart?: number | null;
  language?: string | null;
  /** Never exposed by TimeGraph. */
  password?: string | null;
  /** Never exposed by TimeGraph. */
  secretKey?: string | null;
  confirmed?: boolean | null;
  confirmedEmail?: boolean | null;
  active?: boolean | null;
  birthdayRemind?: MsJsonDate | null;
  workingTimeStart?: MsJsonDate | null;
  workingTimeEnd?: MsJsonDate | null;
  created?: MsJsonDate | null;
  admin?: boolean | null;
  projectManager?: boolean | null;
}

export interface RawClient extends RawEntity, RawExternal {
  name?: string | null;
  code?: string | null;
  email?: string | null;
  billsCount?: number | null;
  projectsCount?: number | null;
  streetAddress?: string | null;
  additionalAddressInfo?: string | null;
  zipCode?: string | null;
  city?: string | null;
  state?: string | null;
  countryCode?: string | null;
  phone?: string | null;
  vatId?: string | null;
  website?: string | null;
}

export interface RawProject extends RawEntity, RawExternal {
  name?: string | null;
  code?: string | null;
  note?: string | null;
  begins?: MsJsonDate | null;
  ends?: MsJsonDate | null;
  /** Milliseconds. */
  timeBudget?: number | null;
  priceBudget?: number | null;
  personal?: boolean | null;
  owner?: RawUser | null;
  client?: RawClient | null;
  billable?: boolean | null;
  autoMembership?: boolean | null;
  membersCount?: number | null;
  tasksCount?: number | null;
  timeRecordsCount?: number | null;
}

export interface RawTask extends RawEntity, RawExternal {
  project?: RawProject | null;
  name?: string | null;
  code?: string | null;
  note?: string | null;
  done?: boolean | null;
  author?: RawUser | null;
  owner?: RawUser | null;
  /** Milliseconds. */
  timeBudget?: number | null;
  priceBudget?: number | null;
}

export interface RawWorkType extends RawEntity, RawExternal {
  name?: string | null;
  code?: string | null;
  category?: string | null;
}

export interface RawTag extends RawEntity {
  name?: string | null;
}

/** Marks an object as trashed; restoring it removes the trash item. */
export interface RawTrashItem extends RawEntity {
  objectType?: string | null;
  objectId?: string | null;
}

export type RawTimeRecordType = 'ATTENDANCE';

export interface RawTimeRecord extends RawEntity, RawExternal {
  approved?: boolean | null;
  billable?: boolean | null;
  billed?: boolean | null;
  client?: RawClient | null;
  description?: string | null;
  /** Milliseconds, min 0. */
  duration?: number | null;
  effective?: boolean | null;
  price?: number | null;
  /** Deprecated by primaERP. */
  priceAutoCalculation?: boolean | null;
  priceModified?: boolean | null;
  project?: RawProject | null;
  recordType?: RawTimeRecordType | string | null;
  start?: MsJsonDate | null;
  stop?: MsJsonDate | null;
  task?: RawTask | null;
  trashItem?: RawTrashItem | null;
  /** Documented as the price per hour; the seed's own numbers apply it per millisecond. */
  unitPrice?: number | null;
  user?: RawUser | null;
  workType?: RawWorkType | null;
}

/** `GET /v1/auth/login` */
export interface RawLogin {
  token: string;
  expiration: MsJsonDate;
  refreshToken?: string;
  refreshExpiration?: MsJsonDate;
}

export interface RawConstraintViolation {
  entityPath?: string;
  entityType?: string;
  field?: string;
  constraint?: string;
  message?: string;
}

/** primaERP's error body. */
export interface RawError {
  status: number;
  code: string;
  message: string;
  description?: string;
  constraintViolations?: RawConstraintViolation[];
}

/** `$unbilledsummary` (the simulator's design; see src/simulators/primaerp/routes.ts). */
export interface RawUnbilledSummary {
  count: number;
  /** Milliseconds. */
  duration: number;
  price: number;
  projects: Array<{ project: RawProject | null; count: number; duration: number; price: number }>;
}
