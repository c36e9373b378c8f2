/**
 * The runbook.yml format, as a zod schema. The README's "Runbook format" section documents it;
 * keep the two in step. Shapes are kept flat and forgiving where an author would expect it
 * (`sql: path.sql` as well as a list of queries), strict where a typo would silently do nothing
 * (unknown keys are errors).
 */
import { z } from 'zod';
import { parseDuration } from '../format/duration.js';
import { DURATION, ENGINE_NAMES, IDENTIFIER, MEMORY_SIZE, OBJECT_PATTERN } from './patterns.js';

export { DURATION, ENGINE_NAMES, IDENTIFIER, OBJECT_PATTERN };

const STEP_ID = /^[a-z0-9][a-z0-9-]*$/;
/** Enum values are fixed by the author and pasted into SQL, so they are plain tokens only. */
const ENUM_VALUE = /^[A-Za-z0-9_]+$/;
export const engineNameSchema = z.enum(ENGINE_NAMES);

/**
 * Every field carries its README doc as a description: `demo schema` turns this file into the JSON
 * Schema editors read (runbook.schema.json), so an author sees the doc while typing the key.
 */
const duration = (description: string) =>
  z.union([z.number().nonnegative(), z.string().regex(DURATION, 'a duration such as "90s", "2m" or "19m 42s"')]).describe(`${description} A duration: "90s", "2m", "19m 42s", "500ms", or a number of seconds.`);

const enginesOnly = (what: string) =>
  z.array(engineNameSchema).min(1).describe(`${what} only on these engines (snowflake, local, rehearsal).`);

const perEngine = <T extends z.ZodType>(value: T) =>
  z
    .strictObject({
      snowflake: value.optional().describe('The value on Snowflake (the live engine).'),
      local: value.optional().describe('The value on the local engine (DuckDB on this machine).'),
      rehearsal: value.optional().describe('The value in rehearsal.'),
    })
    .describe('A value per engine, over the default: e.g. { local: 10 } for a laptop-sized run.');

const paramDescription = z.string().describe('What the param means, for the author and the next one.');

const integerParam = z.strictObject({
  type: z.literal('integer').describe('A whole number; usable in products such as "100000 * multiplier".'),
  description: paramDescription.optional(),
  default: z.number().int().describe('The value unless an engine or --param says otherwise.'),
  min: z.number().int().optional().describe('The smallest value --param may set.'),
  max: z.number().int().optional().describe('The largest value --param may set.'),
  engines: perEngine(z.number().int()).optional(),
});

const identifierParam = z.strictObject({
  type: z.literal('identifier').describe('An SQL name: letters, digits, _ and $, not starting with a digit.'),
  description: paramDescription.optional(),
  default: z.string().regex(IDENTIFIER, 'an SQL identifier (letters, digits, _ and $, not starting with a digit)').describe('The value unless an engine or --param says otherwise.'),
  engines: perEngine(z.string().regex(IDENTIFIER, 'an SQL identifier')).optional(),
});

const enumParam = z.strictObject({
  type: z.literal('enum').describe('One of a fixed list of values.'),
  description: paramDescription.optional(),
  values: z.array(z.string().regex(ENUM_VALUE, 'letters, digits and _ only')).min(1).describe('The values allowed: letters, digits and _ only.'),
  default: z.string().describe('The value unless an engine or --param says otherwise; one of values.'),
  engines: perEngine(z.string()).optional(),
});

export const paramSchema = z
  .discriminatedUnion('type', [integerParam, identifierParam, enumParam])
  .describe('A typed param: SQL and words use it as {{ name }}; --param NAME=VALUE sets it, checked against its type.');

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const mockSchema = z
  .strictObject({
    duration: duration('How long the rehearsal pretends the query takes.').default(0),
    columns: z.array(z.string()).default([]).describe('Column names of the mock result.'),
    rows: z.array(z.array(cell)).default([]).describe('Rows of the mock result, one list of cells per row.'),
    row_count: z.number().int().nonnegative().optional().describe('The full row count when rows shows only the first few.'),
  })
  .describe("The rehearsal's answer when no recording of this step exists: shown as REHEARSAL · mock.");

const expectationValue = (what: string) =>
  z
    .union([z.number(), z.string()])
    .describe(`${what}: a number, a string, or a product of integers and integer params such as "477612 * multiplier".`);

export const expectationSchema = z
  .strictObject({
    row: z.union([z.string(), z.number()]).optional().describe('Which row: the one with a cell equal to this (default: the first row).'),
    column: z.string().optional().describe('Which column (default: the last).'),
    equals: z
      .union([z.number(), z.string(), z.boolean()])
      .optional()
      .describe('The cell must equal this: a number, a string, or a product such as "100000 * multiplier".'),
    min: expectationValue('The cell must be at least this').optional(),
    max: expectationValue('The cell must be at most this').optional(),
    rows: z.number().int().nonnegative().optional().describe('The number of rows the statement returns.'),
    message: z.string().optional().describe('Shown when the expectation fails.'),
  })
  .describe('Checked on the result; a miss fails the step.');

const sqlSource = (what: string) =>
  z
    .string()
    .min(1)
    .describe(
      `${what}: a path relative to the runbook's folder, to a .sql file inside that folder (at most 1 MiB; statements separated by ;). Where it is not portable, sql/duckdb/<same path> holds the DuckDB twin the local engine runs.`,
    );
const inlineSql = z.string().min(1).describe('The SQL itself, instead of a file (statements separated by ;).');
const mockField = mockSchema.optional();
const expectField = z.array(expectationSchema).optional().describe('Checked on the result; a miss fails the step.');

export const querySchema = z
  .strictObject({
    label: z.string().optional().describe('What the query is, shown beside its result and timing.'),
    sql: sqlSource('The SQL file').optional(),
    inline: inlineSql.optional(),
    mock: mockField,
    expect: expectField,
  })
  .describe('One timed query of the step, with its own mock and expectations.');

const saySchema = z
  .strictObject({ say: z.string().describe('The words; placeholders such as {{ multiplier }} allowed.'), engines: enginesOnly('Said').optional() })
  .describe('Words said only on some engines (true only there).');

/** A talking point, a pause cue, or either limited to some engines (words true only there). */
export const talkLineSchema = z
  .union([
    z.string().describe('A talking point; placeholders such as {{ 100000 * multiplier | words }} allowed.'),
    saySchema,
    z
      .strictObject({ pause: z.string().default('').describe('A pause cue, shown distinctly: what the pause is for.'), engines: enginesOnly('Shown').optional() })
      .describe('A pause cue.'),
  ])
  .describe('A talking point (text), { say, engines }, or { pause }.');

export const displaySchema = z
  .enum(['table', 'layer-counts', 'benchmark', 'comparison', 'architecture', 'none'])
  .describe(
    "How the result is drawn: table; layer-counts (rows of LAYER, OBJECT, a COUNT column, as bars coloured by the runbook's layers); benchmark (each query's time as a bar); comparison (the step's comparison); architecture (the runbook's layers with the latest counts); none.",
  );

const claimSchema = z.strictObject({
  value: z.string().describe('The claim, e.g. "4-6 hours" (a time like this is drawn as a bar beside ours).'),
  source: z.string().optional().describe('Where the claim comes from, listed under the table.'),
});

export const comparisonSchema = z
  .strictObject({
    rows: z
      .array(
        z.strictObject({
          feature: z.string().describe('The row title, e.g. "Load time".'),
          measure: z
            .enum(['step-time', 'median-benchmark', 'auto-suspend', 'credits-estimate'])
            .optional()
            .describe(
              "What this run measures for our column, from the step named in from: step-time (the step's time), median-benchmark (the median of its queries' times), auto-suspend (an AUTO_SUSPEND column it reads), credits-estimate (Snowflake credits from its time and warehouse size).",
            ),
          from: z.string().optional().describe('The step whose measurement fills our cell.'),
          ours: claimSchema.optional().describe('What we claim when nothing is measured (e.g. "1 SQL script").'),
          others: z.record(z.string(), claimSchema).describe('Each competitor\'s claim, by the names in competitors.'),
          work: z
            .string()
            .optional()
            .describe(
              'The rows the measured step processes, as a product such as "600809 * multiplier": when the claims were made at another scale, the time is drawn in rows per second.',
            ),
          warehouse_size: z
            .string()
            .optional()
            .describe(
              'credits-estimate: the warehouse size the measured step runs on, e.g. "{{ scale_size }}", used on a live run when Snowflake did not report the size.',
            ),
        }),
      )
      .min(1)
      .describe('The rows of the comparison.'),
    competitors: z.array(z.string()).min(1).describe('Column titles for others, in order.'),
    claims_at: z
      .record(z.string(), z.union([z.number(), z.string()]))
      .optional()
      .describe("The params the others' claims were made at, e.g. { multiplier: 1000 } (default: this run's)."),
    scale: z
      .string()
      .optional()
      .describe('The scale in words, rendered with this run\'s params and with the claims\' ("{{ 100000 * multiplier }} patients").'),
  })
  .describe('A comparison table: our column filled from what this run measured, the others from the runbook\'s claims.');

const stepShape = {
  id: z.string().regex(STEP_ID, 'lower-case letters, digits and dashes, e.g. "break-prices"').describe('Lower-case letters, digits and dashes; unique.'),
  title: z.string().min(1).describe('The heading; placeholders such as {{ 100000 * multiplier | words }} allowed.'),
  talk: z.array(talkLineSchema).default([]).describe('Talking points and pause cues, in order.'),
  target: duration('The time budget on this step: the timer turns amber at 80%, red past it.').optional(),
  display: displaySchema.optional(),
  destructive: z
    .boolean()
    .default(false)
    .describe('Changes or replaces data: asks for confirmation every time, and only then may run CREATE, DROP, INSERT, UPDATE, CLONE and the like.'),
  long: z.boolean().default(false).describe('Runs in the background; the presenter may move on.'),
  timeout: duration('Our watchdog per statement (default 5 m, 2 h for long steps).').optional(),
  cache: z.boolean().default(false).describe("Benchmarks: allow Snowflake's result cache (off by default: a cached answer is not a benchmark)."),
  engines: enginesOnly('Run').optional(),
  changes: z
    .array(z.string())
    .optional()
    .describe("What the step changes, in the runbook's words, shown in the confirmation after the objects read from its SQL."),
  sql: sqlSource("The step's SQL file").optional(),
  inline: inlineSql.optional(),
  queries: z.array(querySchema).optional().describe('Several timed queries instead of sql/inline, each with its own mock and expect.'),
  mock: mockField,
  expect: expectField,
  comparison: comparisonSchema.optional(),
  cleanup: sqlSource('SQL run after the step whatever happened (success, failure, cancel), e.g. a warehouse back to its size').optional(),
};

export const stepSchema = z.strictObject(stepShape).describe('A step of the show.');

export const checkSchema = z
  .strictObject({
    ...stepShape,
    fix: z.string().optional().describe("How to fix it when the check fails; {{ demo(restore) }} names the command that works here, {{ connection }} the connection and its file."),
    budget: duration('A check fails when its statements take longer than this.').optional(),
    requires: z
      .strictObject({
        sql: sqlSource('The SQL file').optional(),
        inline: inlineSql.optional(),
        mock: mockField,
        otherwise: z.string().min(1).describe('What the check says when it does not run.'),
      })
      .optional()
      .describe('A read-only query run first: when its first value is 0, false or absent, the check passes with otherwise instead of running.'),
  })
  .describe('A pre-demo check (demo check): a step with a fix and an optional time budget.');

/** A limit of zero would fail everything at once. */
const bound = (description: string) =>
  duration(description).refine((value) => (parseDuration(value) ?? 0) > 0, 'a duration above zero, such as "15s"');

/** How long Snowflake may stay silent before the live engine declares a fault (README, "Going live"). */
export const snowflakeLimitsSchema = z
  .strictObject({
    login_timeout: bound('A login answers or fails within this (default 15s; --login-timeout).').optional(),
    submit_timeout: bound('A statement sent is answered with its query id within this (default 15s; --submit-timeout).').optional(),
    lost_after: bound('A running statement whose status goes unanswered this long is lost (default 20s; --lost-after).').optional(),
    result_timeout: bound("A finished statement's result arrives within this (default 60s; --result-timeout).").optional(),
  })
  .describe("The live engine's limits; the CLI flags override them.");

export const localSettingsSchema = z
  .strictObject({
    memory_limit: z
      .string()
      .regex(MEMORY_SIZE, 'a size such as "2GB", "512MiB" or "25%" of this machine\'s memory')
      .optional()
      .describe(
        "DuckDB's memory_limit: a size (\"2GB\", \"512MiB\") or a share of this machine's memory (\"25%\"); past it DuckDB spills to .demo/tmp. Default: a quarter of the memory, at most 4GB; --memory-limit overrides it.",
      ),
    threads: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("DuckDB's threads. Default: the cores less one (the projector and the show need one); --threads overrides it."),
  })
  .describe("The local engine's share of this machine, for a laptop that also drives a projector.");

const COLORS = ['red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright'] as const;

export const layerSchema = z
  .strictObject({
    layer: z.string().min(1).describe('The layer\'s name, as in the LAYER column of a layer-counts result, e.g. BRONZE.'),
    objects: z.array(z.string()).default([]).describe('Its objects, as in the OBJECT column: the diagram shows each one\'s latest count.'),
    color: z.enum(COLORS).optional().describe("The layer's colour in the diagram and in layer counts (a terminal colour; none under NO_COLOR)."),
    arrow: z
      .array(z.union([z.string(), saySchema]))
      .optional()
      .describe('The words on the arrow down to the next layer; { say, engines } for words true only on some engines.'),
  })
  .describe('A layer of the data, top to bottom.');

export const runbookSchema = z
  .strictObject({
    title: z.string().min(1).describe('The title of the show; placeholders such as {{ 100000 * multiplier | short }} allowed.'),
    description: z.string().optional().describe('What the show is, for the author and the next one.'),
    duration: duration('The planned length of the talk (the header counts against it).').optional(),
    connection: z.string().optional().describe('The connections.toml entry to use on Snowflake unless -c says otherwise.'),
    snowflake: snowflakeLimitsSchema.optional(),
    local: localSettingsSchema.optional(),
    params: z
      .record(z.string().regex(IDENTIFIER, 'a param name (letters, digits, _)'), paramSchema)
      .default({})
      .describe('Typed params: SQL and words use them as {{ name }} placeholders.'),
    may_change: z
      .array(z.string().regex(OBJECT_PATTERN, 'a name or pattern such as SHOP_* (letters, digits, _ $ . and * for any characters)'))
      .min(1)
      .optional()
      .describe(
        'The only objects the SQL may change, as names or patterns where * is any characters (SHOP_* covers a database and everything in it). A --param that points changing SQL elsewhere is refused unless --allow-object says so.',
      ),
    layers: z
      .array(layerSchema)
      .min(1)
      .optional()
      .describe('The layers of the data, top to bottom: what display: architecture draws, and the colours of layer counts.'),
    steps: z.array(stepSchema).min(1).describe('The steps of the show, in order.'),
    restore: stepSchema.describe('The restore step, reachable from anywhere with R and by demo restore: back to the original data.'),
    teardown: z
      .union([
        sqlSource('SQL run without asking after a step fails or is cancelled, and once when the show ends; it may only read or size a warehouse'),
        z.strictObject({ sql: sqlSource('The SQL file').optional(), inline: inlineSql.optional() }),
      ])
      .optional()
      .describe('SQL run without asking after a step fails or is cancelled, and once when the show ends; it may only read or size a warehouse.'),
    checklist: z.array(checkSchema).default([]).describe('The pre-demo checklist (demo check).'),
  })
  .meta({ title: 'demo-runbook runbook', description: 'A show for demo: its params, steps, restore and checklist. See the README, "Runbook format" and "Writing a runbook".' });

export type RawRunbook = z.infer<typeof runbookSchema>;
export type RawStep = z.infer<typeof stepSchema>;
export type RawCheck = z.infer<typeof checkSchema>;
export type ParamSpec = z.infer<typeof paramSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type TalkLine = z.infer<typeof talkLineSchema>;
export type Display = z.infer<typeof displaySchema>;
export type Comparison = z.infer<typeof comparisonSchema>;
export type RawLayer = z.infer<typeof layerSchema>;
export type LocalSettings = z.infer<typeof localSettingsSchema>;
