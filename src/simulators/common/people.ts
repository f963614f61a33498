/**
 * The people every simulator seeds its data with. The same person appears in several tools with the
 * same e-mail address, as in a real firm that uses all three.
 */
export interface SimPerson {
  firstName: string;
  lastName: string;
  email: string;
  /** IANA zone (primaERP users carry one). */
  timeZone: string | null;
}

export const PEOPLE: readonly SimPerson[] = [
  { firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@example.com', timeZone: 'Europe/London' },
  { firstName: 'Grace', lastName: 'Hopper', email: 'grace.hopper@example.com', timeZone: 'America/New_York' },
  { firstName: 'Alan', lastName: 'Turing', email: 'alan.turing@example.com', timeZone: 'Europe/London' },
  { firstName: 'Katherine', lastName: 'Johnson', email: 'katherine.johnson@example.com', timeZone: 'America/Chicago' },
  { firstName: 'Linus', lastName: 'Pauling', email: 'linus.pauling@example.com', timeZone: 'America/Los_Angeles' },
  { firstName: 'Hedy', lastName: 'Lamarr', email: 'hedy.lamarr@example.com', timeZone: 'Europe/Vienna' },
  { firstName: 'Tim', lastName: 'Berners-Lee', email: 'tim.berners-lee@example.com', timeZone: 'Europe/Zurich' },
  { firstName: 'Radia', lastName: 'Perlman', email: 'radia.perlman@example.com', timeZone: 'America/Denver' },
  { firstName: 'Kenji', lastName: 'Sato', email: 'kenji.sato@example.com', timeZone: 'Asia/Tokyo' },
  { firstName: 'Aroha', lastName: 'Ngata', email: 'aroha.ngata@example.com', timeZone: 'Pacific/Auckland' },
  { firstName: 'Maria', lastName: 'Silva', email: 'maria.silva@example.com', timeZone: 'America/Sao_Paulo' },
  { firstName: 'Sione', lastName: 'Tupou', email: 'sione.tupou@example.com', timeZone: 'Pacific/Kiritimati' },
];

/** Seeded data ends at this instant unless a simulator is given another; fixed so seeds are reproducible. */
export const DEFAULT_ANCHOR_MS = Date.UTC(2026, 10, 1);
