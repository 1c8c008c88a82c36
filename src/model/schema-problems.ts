// Turns zod issues into model problems that say what to do. Most closed-set
// and name errors already carry our own message (schema.ts); what is left is
// worded here: unknown keys (one problem per key, with the valid ones found
// by walking the schema), wrong types, and missing required fields.
import * as z from 'zod';
import { formatPath, type ModelProblem } from './problems.ts';
import { show, suggestion } from './suggest.ts';

type Issue = z.core.$ZodIssue;

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

/** The schema that describes the value at `path` (undefined if none). */
function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const segment of path) {
    s = s && childOf(unwrap(s), segment);
  }
  return s && unwrap(s);
}

function childOf(s: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
  if (s instanceof z.ZodObject) return (s.shape as Record<string, z.ZodType>)[String(segment)];
  if (s instanceof z.ZodRecord) return s.valueType as z.ZodType;
  if (s instanceof z.ZodArray) return s.element as z.ZodType;
  if (s instanceof z.ZodUnion) {
    for (const option of s.options as z.ZodType[]) {
      const child = childOf(unwrap(option), segment);
      if (child) return child;
    }
  }
  return undefined;
}

function keysOf(s: z.ZodType | undefined): string[] {
  if (s instanceof z.ZodObject) return Object.keys(s.shape);
  if (s instanceof z.ZodRecord && s.keyType instanceof z.ZodEnum) return s.keyType.options.map(String);
  if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).flatMap((o) => keysOf(unwrap(o)));
  return [];
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  boolean: 'true or false',
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${show(value)}`;
}

function typeMessage(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
  if (issue.input === undefined) return `missing; add it (${expected})`;
  const hint = issue.expected === 'object' && issue.input === null ? '; write {} to use the defaults' : '';
  return `expected ${expected}, got ${describe(issue.input)}${hint}`;
}

function fromIssue(root: z.ZodType, issue: Issue): ModelProblem[] {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const valid = keysOf(schemaAt(root, issue.path));
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: `unknown key '${key}'; ${suggestion(key, valid)}`,
      }));
    }
    case 'invalid_key':
      return issue.issues.map((inner) => ({ path: formatPath(issue.path), message: inner.message }));
    case 'invalid_type':
      return [{ path: formatPath(issue.path), message: typeMessage(issue) }];
    default:
      return [{ path: formatPath(issue.path), message: issue.message }];
  }
}

/** Parse `raw` with `schema`; problems are empty exactly when data is set. */
export function parseWithProblems<S extends z.ZodType>(
  schema: S,
  raw: unknown,
): { data?: z.output<S>; problems: ModelProblem[] } {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return { data: result.data, problems: [] };
  return { problems: result.error.issues.flatMap((issue) => fromIssue(schema, issue)) };
}
