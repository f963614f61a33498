/**
 * The OData subset primaERP's lists accept: `$filter` with eq ne gt ge lt le, and or not, parentheses,
 * 'strings' ('' escapes a quote), datetime'…', numbers, true/false/null and nested paths (`user/id`);
 * `$orderby` as a comma list of `path [asc|desc]`. Microsoft JSON dates compare as instants.
 */
import { parseMsJsonDate } from '../../units/dates.js';

export type Literal = string | number | boolean | null | { datetime: number };
export type FilterNode =
  | { kind: 'cmp'; op: CmpOp; left: Operand; right: Operand }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode };
type Operand = { path: string[] } | { value: Literal };
type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export class ODataError extends Error {}

const TOKEN_RE = /\s*(?:(\()|(\))|datetime'([^']*)'|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_$][\w$]*(?:\/[A-Za-z_$][\w$]*)*))/y;
type Token = { t: '(' | ')' } | { t: 'dt'; v: string } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'id'; v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(text);
    if (!m) throw new ODataError(`unexpected character at position ${pos}`);
    pos = TOKEN_RE.lastIndex;
    if (m[1]) out.push({ t: '(' });
    else if (m[2]) out.push({ t: ')' });
    else if (m[3] !== undefined) out.push({ t: 'dt', v: m[3] });
    else if (m[4] !== undefined) out.push({ t: 'str', v: m[4].replace(/''/g, "'") });
    else if (m[5] !== undefined) out.push({ t: 'num', v: Number(m[5]) });
    else out.push({ t: 'id', v: m[6] });
  }
  return out;
}

const CMP = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let i = 0;
  const peekWord = (w: string) => tokens[i]?.t === 'id' && (tokens[i] as { v: string }).v === w;

  function parseOr(): FilterNode {
    let left = parseAnd();
    while (peekWord('or')) {
      i++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): FilterNode {
    let left = parseNot();
    while (peekWord('and')) {
      i++;
      left = { kind: 'and', left, right: parseNot() };
    }
    return left;
  }
  function parseNot(): FilterNode {
    if (peekWord('not')) {
      i++;
      return { kind: 'not', expr: parseNot() };
    }
    if (tokens[i]?.t === '(') {
      i++;
      const inner = parseOr();
      if (tokens[i]?.t !== ')') throw new ODataError('missing closing parenthesis');
      i++;
      return inner;
    }
    const left = parseOperand();
    const opTok = tokens[i++];
    if (opTok?.t !== 'id' || !CMP.has(opTok.v)) throw new ODataError('expected a comparison operator');
    return { kind: 'cmp', op: opTok.v as CmpOp, left, right: parseOperand() };
  }
  function parseOperand(): Operand {
    const tok = tokens[i++];
    if (!tok) throw new ODataError('unexpected end of expression');
    switch (tok.t) {
      case 'dt': {
        const ms = Date.parse(tok.v.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(tok.v) ? tok.v : `${tok.v}Z`);
        if (Number.isNaN(ms)) throw new ODataError(`invalid datetime '${tok.v}'`);
        return { value: { datetime: ms } };
      }
      case 'str':
        return { value: tok.v };
      case 'num':
        return { value: tok.v };
      case 'id':
        if (tok.v === 'true') return { value: true };
        if (tok.v === 'false') return { value: false };
        if (tok.v === 'null') return { value: null };
        if (CMP.has(tok.v) || tok.v === 'and' || tok.v === 'or' || tok.v === 'not') throw new ODataError(`unexpected '${tok.v}'`);
        return { path: tok.v.split('/') };
      default:
        throw new ODataError('unexpected parenthesis');
    }
  }

  const node = parseOr();
  if (i !== tokens.length) throw new ODataError('unexpected trailing input');
  return node;
}

export function readPath(record: unknown, path: readonly string[]): unknown {
  let cur: unknown = record;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur ?? null;
}

const OBJECT = '\u0000object';

/** A comparable scalar: instants (MS JSON dates, datetime literals) become epoch ms. */
function scalar(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && 'datetime' in (v as object)) return (v as { datetime: number }).datetime;
  if (typeof v === 'string') {
    const ms = parseMsJsonDate(v);
    return ms ?? v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  // An object (a trash item, a reference) only compares as "not null".
  return OBJECT;
}

function operand(o: Operand, record: unknown): string | number | boolean | null {
  return 'path' in o ? scalar(readPath(record, o.path)) : scalar(o.value);
}

export function evaluate(node: FilterNode, record: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, record) && evaluate(node.right, record);
    case 'or':
      return evaluate(node.left, record) || evaluate(node.right, record);
    case 'not':
      return !evaluate(node.expr, record);
    case 'cmp': {
      const a = operand(node.left, record);
      const b = operand(node.right, record);
      if (node.op === 'eq') return a === b;
      if (node.op === 'ne') return a !== b;
      if (a === null || b === null || typeof a !== typeof b) return false;
      if (node.op === 'gt') return a > b;
      if (node.op === 'ge') return a >= b;
      if (node.op === 'lt') return a < b;
      return a <= b;
    }
  }
}

export interface OrderTerm {
  path: string[];
  desc: boolean;
}

export function parseOrderBy(text: string, allowed: ReadonlySet<string>): OrderTerm[] {
  return text.split(',').map((part) => {
    const m = /^\s*([\w/]+)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m || !allowed.has(m[1])) throw new ODataError(`cannot order by '${part.trim()}'`);
    return { path: m[1].split('/'), desc: m[2]?.toLowerCase() === 'desc' };
  });
}

/** Nulls sort first ascending and last descending (they compare as the smallest value). */
export function compareBy(terms: readonly OrderTerm[]): (a: unknown, b: unknown) => number {
  return (a, b) => {
    for (const term of terms) {
      const x = scalar(readPath(a, term.path));
      const y = scalar(readPath(b, term.path));
      let c = 0;
      if (x === y) c = 0;
      else if (x === null) c = -1;
      else if (y === null) c = 1;
      else c = x < y ? -1 : 1;
      if (c !== 0) return term.desc ? -c : c;
    }
    return 0;
  };
}
