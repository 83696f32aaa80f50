/**
 * A check, compiled once from a zod schema, that a value is already exactly what the schema's parse
 * would return: every constraint holds, no key the schema does not know, nothing a parse would add,
 * drop or change. The gate takes such a message as it is and leaves every other one to zod.
 *
 * Why: zod's parse builds a copy of the message with a result object per field. At 2,250 students
 * sending 4 messages a second that was 43% of everything the server allocated (a sampling heap profile of
 * bench:capacity: 1,490 MB in 15 s, zod's object parser and `runChecks` the two largest sites), and the
 * young-generation collections that follow cost about 8% of the core. A student page sends canonical
 * messages, so nearly every message takes the check; a message the check refuses or does not understand
 * goes to zod, which accepts it (stripped of unknown keys) or gives the reason for refusing it, as before.
 *
 * The check is stricter than zod, never looser: it only knows the schema kinds listed in `compile`, and a
 * schema with anything else (a transform, a default, a string format, an async refinement) compiles to
 * null, so that every message goes to zod. `canonical.test.ts` holds it to that over generated messages.
 */
import type { z } from 'zod';

/** True when `v` is exactly what parsing it with the schema would return. */
type Check = (v: unknown) => boolean;

/** The parts of zod 4's internal definition this reads. */
interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
  options?: z.ZodType[];
  element?: z.ZodType;
  /** A string format (`z.email()` and the like): not understood here. */
  format?: string;
}

interface CheckDef {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  minimum?: number;
  maximum?: number;
  fn?: (v: unknown) => unknown;
  when?: unknown;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The value checks (refinements, bounds) of a schema, or null when one of them is not understood. */
function compileChecks(def: Def, kind: 'number' | 'length' | 'object'): Check[] | null {
  const out: Check[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    // A conditional check is not understood, except zod's own guard on length checks (`when` the value
    // has a length: always so for the arrays and strings they are checked on here).
    const lengthCheck = d.check === 'min_length' || d.check === 'max_length';
    if (d.when !== undefined && !lengthCheck) return null;
    if (kind === 'number' && d.check === 'greater_than' && typeof d.value === 'number') {
      const min = d.value;
      out.push(d.inclusive ? (v) => (v as number) >= min : (v) => (v as number) > min);
    } else if (kind === 'number' && d.check === 'less_than' && typeof d.value === 'number') {
      const max = d.value;
      out.push(d.inclusive ? (v) => (v as number) <= max : (v) => (v as number) < max);
    } else if (kind === 'number' && d.check === 'number_format' && d.format === 'safeint') {
      out.push((v) => Number.isSafeInteger(v));
    } else if (kind === 'length' && d.check === 'min_length' && typeof d.minimum === 'number') {
      const min = d.minimum;
      out.push((v) => (v as { length: number }).length >= min);
    } else if (kind === 'length' && d.check === 'max_length' && typeof d.maximum === 'number') {
      const max = d.maximum;
      out.push((v) => (v as { length: number }).length <= max);
    } else if (d.check === 'custom' && typeof d.fn === 'function') {
      // A refinement (`.refine(fn)`): its predicate, on the value as it is. Anything but `true` (false, a
      // promise of an async refinement) sends the message to zod.
      const fn = d.fn;
      out.push((v) => fn(v) === true);
    } else return null;
  }
  return out;
}

const all = (checks: Check[]): Check | null =>
  checks.length === 0
    ? null
    : checks.length === 1
      ? checks[0]!
      : (v) => {
          for (const c of checks) if (!c(v)) return false;
          return true;
        };

/** Compiles a schema; null when it uses anything this does not understand. */
function compile(schema: z.ZodType): Check | null {
  const def = defOf(schema);
  switch (def.type) {
    case 'number': {
      const checks = compileChecks(def, 'number');
      if (!checks) return null;
      const rest = all(checks);
      return (v) => typeof v === 'number' && Number.isFinite(v) && (rest === null || rest(v));
    }
    case 'string': {
      if (def.format !== undefined) return null;
      const checks = compileChecks(def, 'length');
      if (!checks) return null;
      const rest = all(checks);
      return (v) => typeof v === 'string' && (rest === null || rest(v));
    }
    case 'boolean':
      return def.checks?.length ? null : (v) => typeof v === 'boolean';
    case 'literal': {
      const values = def.values ?? [];
      if (def.checks?.length || !values.every((x) => ['string', 'number', 'boolean'].includes(typeof x)))
        return null;
      return (v) => values.includes(v);
    }
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      if (def.checks?.length || !values.every((x) => typeof x === 'string')) return null;
      const set = new Set(values);
      return (v) => typeof v === 'string' && set.has(v);
    }
    case 'nullable': {
      const inner = def.innerType && !def.checks?.length ? compile(def.innerType) : null;
      return inner && ((v) => v === null || inner(v));
    }
    case 'array': {
      const element = def.element ? compile(def.element) : null;
      const checks = compileChecks(def, 'length');
      if (!element || !checks) return null;
      const rest = all(checks);
      return (v) => {
        if (!Array.isArray(v) || (rest !== null && !rest(v))) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case 'union': {
      // Any option that holds: on a canonical value every option that accepts it returns it unchanged.
      const options = (def.options ?? []).map(compile);
      if (options.length === 0 || options.some((o) => o === null) || def.checks?.length) return null;
      const opts = options as Check[];
      return (v) => {
        for (const o of opts) if (o(v)) return true;
        return false;
      };
    }
    case 'object':
      return compileObject(def);
    default:
      return null;
  }
}

function compileObject(def: Def): Check | null {
  // A catchall other than `never` (`.strict()`) would keep and parse unknown keys: not understood here.
  if (def.catchall && defOf(def.catchall).type !== 'never') return null;
  const fields: Array<{ key: string; optional: boolean; check: Check }> = [];
  for (const [key, s] of Object.entries(def.shape ?? {})) {
    const d = defOf(s);
    const optional = d.type === 'optional';
    if (optional && d.checks?.length) return null;
    const check = compile(optional ? d.innerType! : s);
    if (!check) return null;
    fields.push({ key, optional, check });
  }
  const checks = compileChecks(def, 'object');
  if (!checks) return null;
  const rest = all(checks);
  const known = new Set(fields.map((f) => f.key));
  return (value) => {
    // A plain object only (not null, not an array, nothing inherited but Object's own).
    if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
      return false;
    const v = value as Record<string, unknown>;
    let present = 0;
    for (const f of fields) {
      // An own property only: a key inherited or set to undefined is not what a parse returns.
      if (!Object.hasOwn(v, f.key)) {
        if (f.optional) continue;
        return false;
      }
      present++;
      const x = v[f.key];
      if (x === undefined || !f.check(x)) return false;
    }
    // Exactly the known keys: an unknown one (zod strips or refuses it) sends the message to zod. Walked
    // with for-in (no array allocated); the counts differ only for a known key that is not enumerable.
    let keys = 0;
    for (const k in v)
      if (known.has(k)) keys++;
      else return false;
    if (keys !== present) return false;
    return rest === null || rest(v);
  };
}

/**
 * The canonical check of a schema (see the module comment), or null when the schema uses something it
 * does not understand: then every value goes to zod.
 */
export function canonicalCheck(schema: z.ZodType): ((v: unknown) => boolean) | null {
  return compile(schema);
}
