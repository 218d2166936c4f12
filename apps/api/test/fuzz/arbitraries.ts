// fast-check arbitraries derived from the JSON Schemas of the served OpenAPI document: values that
// follow a schema most of the time (so requests get past validation and reach the services), and
// hostile values in any place some of the time (NUL, lone surrogates, huge text, numbers as text,
// wrong types, prototype-pollution keys), so the layers behind validation see them too.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';

export interface TJsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, TJsonSchema>;
  required?: string[];
  additionalProperties?: boolean | TJsonSchema;
  propertyNames?: TJsonSchema;
  items?: TJsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: TJsonSchema[];
  oneOf?: TJsonSchema[];
  allOf?: TJsonSchema[];
  default?: unknown;
}

export type TComponents = Record<string, TJsonSchema>;

/** Text PostgreSQL cannot store, text far over any limit, and text that looks like something else. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'x\ud800',
  '\udfff',
  '\ud800\ud800',
  'x'.repeat(100_000),
  '12',
  '-1',
  '1e309',
  'NaN',
  'true',
  'null',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "'; DROP TABLE \"User\"; --",
  '{{service}}',
  '\u202e\u0301',
  '00000000-0000-0000-0000-000000000000',
];

/** Anything at all in a JSON value's place. */
export const HOSTILE_VALUES: Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(null, true, false, 0, -1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [null], { constructor: { prototype: { admin: true } } }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.double(),
  fc.integer(),
);

const cache = new WeakMap<TJsonSchema, Arbitrary<unknown>>();

function resolve(schema: TJsonSchema, components: TComponents): TJsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = components[name];
  if (!target) throw new Error(`no component ${schema.$ref}`);
  return resolve(target, components);
}

function stringArbitrary(schema: TJsonSchema): Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uri') return fc.webUrl();
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.pattern) {
    try {
      // No length filter: a pattern that asks for more than maxLength would make it retry forever, and a
      // string of the wrong length is one more bad input.
      return fc.stringMatching(new RegExp(schema.pattern));
    } catch {
      // A pattern JavaScript cannot read: plain text below.
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 80) });
}

function numberArbitrary(schema: TJsonSchema, integer: boolean): Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum === undefined ? undefined : schema.exclusiveMinimum + (integer ? 1 : 1e-9));
  const max = schema.maximum ?? (schema.exclusiveMaximum === undefined ? undefined : schema.exclusiveMaximum - (integer ? 1 : 1e-9));
  if (integer) {
    return fc.integer({ min: Math.max(min ?? -1_000_000, Number.MIN_SAFE_INTEGER), max: Math.min(max ?? 1_000_000, Number.MAX_SAFE_INTEGER) });
  }
  return fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
}

function objectArbitrary(schema: TJsonSchema, components: TComponents, depth: number): Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields: Record<string, Arbitrary<unknown>> = {};
  for (const [key, inner] of Object.entries(properties)) fields[key] = schemaArbitrary(inner, components, depth + 1);
  const known = fc.record(fields, { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) });
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && Object.keys(properties).length === 0) {
    const keys = schema.propertyNames ? stringArbitrary(resolve(schema.propertyNames, components)) : fc.string({ maxLength: 12 });
    return fc.dictionary(keys, schemaArbitrary(schema.additionalProperties, components, depth + 1), { maxKeys: 4 });
  }
  return known;
}

/** Values that follow `schema` (nested values may still turn hostile, one time in twenty). */
export function schemaArbitrary(input: TJsonSchema, components: TComponents, depth = 0): Arbitrary<unknown> {
  const cached = cache.get(input);
  if (cached) return cached;
  const schema = resolve(input, components);
  const valid = depth > 8 ? fc.constant(null) : validArbitrary(schema, components, depth);
  const arbitrary = fc.oneof({ arbitrary: valid, weight: 19 }, { arbitrary: HOSTILE_VALUES, weight: 1 });
  cache.set(input, arbitrary);
  return arbitrary;
}

function validArbitrary(schema: TJsonSchema, components: TComponents, depth: number): Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) return fc.oneof(...branches.map((b) => schemaArbitrary(b, components, depth + 1)));
  if (schema.allOf?.length) return schemaArbitrary(schema.allOf[0]!, components, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ? schemaArbitrary(schema.items, components, depth + 1) : HOSTILE_VALUES;
      const minLength = schema.minItems ?? 0;
      return fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'object':
      return objectArbitrary(schema, components, depth);
    default:
      return HOSTILE_VALUES;
  }
}
