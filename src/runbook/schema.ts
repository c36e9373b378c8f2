/**
 * The runbook.yml format, as a zod schema. The README's "Runbook format" section documents it;
 * keep the two in step. Shapes are kept flat and forgiving where an author would expect it
 * (`sql: path.sql` as well as a list of queries), strict where a typo would silently do nothing
 * (unknown keys are errors).
 */
import { z } from 'zod';
import { parseDuration } from '../format/duration.js';
import { DURATION, ENGINE_NAMES, IDENTIFIER, OBJECT_PATTERN } from './patterns.js';

export { DURATION, ENGINE_NAMES, IDENTIFIER, OBJECT_PATTERN };

const STEP_ID = /^[a-z0-9][a-z0-9-]*$/;
/** Enum values are fixed by the author and pasted into SQL, so they are plain tokens only. */
const ENUM_VALUE = /^[A-Za-z0-9_]+$/;
export const engineNameSchema = z.enum(ENGINE_NAMES);

const duration = z
  .union([z.number().nonnegative(), z.string().regex(DURATION, 'a duration such as "90s", "2m" or "19m 42s"')])
  .describe('duration');

const perEngine = <T extends z.ZodType>(value: T) =>
  z.strictObject({ snowflake: value.optional(), local: value.optional(), rehearsal: value.optional() });

const integerParam = z.strictObject({
  type: z.literal('integer'),
  description: z.string().optional(),
  default: z.number().int(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  engines: perEngine(z.number().int()).optional(),
});

const identifierParam = z.strictObject({
  type: z.literal('identifier'),
  description: z.string().optional(),
  default: z.string().regex(IDENTIFIER, 'an SQL identifier (letters, digits, _ and $, not starting with a digit)'),
  engines: perEngine(z.string().regex(IDENTIFIER, 'an SQL identifier')).optional(),
});

const enumParam = z.strictObject({
  type: z.literal('enum'),
  description: z.string().optional(),
  values: z.array(z.string().regex(ENUM_VALUE, 'letters, digits and _ only')).min(1),
  default: z.string(),
  engines: perEngine(z.string()).optional(),
});

export const paramSchema = z.discriminatedUnion('type', [integerParam, identifierParam, enumParam]);

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const mockSchema = z.strictObject({
  duration: duration.default(0),
  columns: z.array(z.string()).default([]),
  rows: z.array(z.array(cell)).default([]),
  /** The full row count when `rows` shows only the first few. */
  row_count: z.number().int().nonnegative().optional(),
});

/** `equals` may be a number, a literal string, or a product such as "100000 * multiplier". */
export const expectationSchema = z.strictObject({
  /** Which row: the one with a cell equal to this, e.g. RAW_PATIENTS (default: the first row). */
  row: z.union([z.string(), z.number()]).optional(),
  /** Which column (default: the last). */
  column: z.string().optional(),
  equals: z.union([z.number(), z.string(), z.boolean()]).optional(),
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  /** The number of rows the statement returns. */
  rows: z.number().int().nonnegative().optional(),
  /** Shown when the expectation fails. */
  message: z.string().optional(),
});

const sqlSource = z.string().min(1).describe('a path to a .sql file, relative to the runbook');

export const querySchema = z.strictObject({
  label: z.string().optional(),
  sql: sqlSource.optional(),
  inline: z.string().min(1).optional(),
  mock: mockSchema.optional(),
  expect: z.array(expectationSchema).optional(),
});

/** A talking point, a pause cue, or either limited to some engines (words true only there). */
export const talkLineSchema = z.union([
  z.string(),
  z.strictObject({ say: z.string(), engines: z.array(engineNameSchema).min(1).optional() }),
  z.strictObject({ pause: z.string().default(''), engines: z.array(engineNameSchema).min(1).optional() }),
]);

export const displaySchema = z.enum(['table', 'layer-counts', 'benchmark', 'comparison', 'architecture', 'none']);

const claimSchema = z.strictObject({
  value: z.string(),
  source: z.string().optional(),
});

export const comparisonSchema = z.strictObject({
  /** Rows of the comparison; `measure` names what this run measures for the Snowflake column. */
  rows: z
    .array(
      z.strictObject({
        feature: z.string(),
        measure: z
          .enum(['scale-time', 'median-benchmark', 'auto-suspend', 'credits-estimate'])
          .optional(),
        /** The step whose measurement fills the Snowflake cell. */
        from: z.string().optional(),
        /** What we claim when nothing is measured (e.g. "1 SQL script"). */
        ours: claimSchema.optional(),
        others: z.record(z.string(), claimSchema),
        /**
         * The rows the measured step processes, as a product such as "600809 * multiplier": when the
         * claims were made at another scale, the measurement and the claims are compared in rows/s.
         */
        work: z.string().optional(),
      }),
    )
    .min(1),
  /** Column titles for `others`, in order. */
  competitors: z.array(z.string()).min(1),
  /** The params the others' claims were made at, e.g. { multiplier: 1000 } (default: this run's). */
  claims_at: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  /** The scale in words, rendered with this run's params and with the claims' ("{{ 100000 * multiplier }} patients"). */
  scale: z.string().optional(),
});

const stepShape = {
  id: z.string().regex(STEP_ID, 'lower-case letters, digits and dashes, e.g. "scale-1000x"'),
  title: z.string().min(1),
  talk: z.array(talkLineSchema).default([]),
  /** Time the presenter plans to spend on this step. */
  target: duration.optional(),
  display: displaySchema.optional(),
  /** Changes or replaces data: asks for confirmation, allowed to DROP/REPLACE/… */
  destructive: z.boolean().default(false),
  /** Runs in the background (asyncExec on Snowflake); the presenter may move on. */
  long: z.boolean().default(false),
  /** Our watchdog for each statement of the step. */
  timeout: duration.optional(),
  /** Benchmarks: allow the result cache (off by default: a cached answer is not a benchmark). */
  cache: z.boolean().default(false),
  /** Run only on these engines; elsewhere the step is shown but not run. */
  engines: z.array(engineNameSchema).optional(),
  /** What the step changes, shown in the confirmation of a destructive step. */
  changes: z.array(z.string()).optional(),
  sql: sqlSource.optional(),
  inline: z.string().min(1).optional(),
  queries: z.array(querySchema).optional(),
  mock: mockSchema.optional(),
  expect: z.array(expectationSchema).optional(),
  comparison: comparisonSchema.optional(),
  /** SQL run after the step whatever happened (success, failure, cancel): e.g. size the warehouse back down. */
  cleanup: sqlSource.optional(),
};

export const stepSchema = z.strictObject(stepShape);

export const checkSchema = z.strictObject({
  ...stepShape,
  /** How to fix it when the check fails. */
  fix: z.string().optional(),
  /** A benchmark check fails when slower than this. */
  budget: duration.optional(),
  /**
   * A read-only query run first: when its first value is 0, false or absent, the check passes with
   * `otherwise` instead of running (e.g. no demo database yet: nothing of ours can be running).
   */
  requires: z
    .strictObject({ sql: sqlSource.optional(), inline: z.string().min(1).optional(), mock: mockSchema.optional(), otherwise: z.string().min(1) })
    .optional(),
});

/** A limit of zero would fail everything at once. */
const bound = duration.refine((value) => (parseDuration(value) ?? 0) > 0, 'a duration above zero, such as "15s"');

/** How long Snowflake may stay silent before the live engine declares a fault (README, "Going live"). */
export const snowflakeLimitsSchema = z.strictObject({
  login_timeout: bound.optional(),
  submit_timeout: bound.optional(),
  lost_after: bound.optional(),
  result_timeout: bound.optional(),
});

export const runbookSchema = z.strictObject({
  title: z.string().min(1),
  description: z.string().optional(),
  /** Planned length of the talk. */
  duration: duration.optional(),
  /** connections.toml entry to use on Snowflake unless -c says otherwise. */
  connection: z.string().optional(),
  snowflake: snowflakeLimitsSchema.optional(),
  params: z.record(z.string().regex(IDENTIFIER, 'a param name (letters, digits, _)'), paramSchema).default({}),
  /**
   * The objects the runbook's SQL may change (databases, schemas, tables, warehouses, …), as names or
   * patterns where * is any characters, e.g. PHARMACY2U_*. A param that points SQL that changes
   * things elsewhere is refused unless the presenter passes --allow-object.
   */
  may_change: z.array(z.string().regex(OBJECT_PATTERN, 'a name or pattern such as PHARMACY2U_* (letters, digits, _ $ . and * for any characters)')).min(1).optional(),
  steps: z.array(stepSchema).min(1),
  restore: stepSchema,
  /**
   * SQL run without asking after a step fails or is cancelled, and once when the show ends (e.g.
   * the warehouse back to its base size): a path like `sql:`, or `{ inline: … }`.
   */
  teardown: z.union([sqlSource, z.strictObject({ sql: sqlSource.optional(), inline: z.string().min(1).optional() })]).optional(),
  checklist: z.array(checkSchema).default([]),
});

export type RawRunbook = z.infer<typeof runbookSchema>;
export type RawStep = z.infer<typeof stepSchema>;
export type RawCheck = z.infer<typeof checkSchema>;
export type ParamSpec = z.infer<typeof paramSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type TalkLine = z.infer<typeof talkLineSchema>;
export type Display = z.infer<typeof displaySchema>;
export type Comparison = z.infer<typeof comparisonSchema>;
