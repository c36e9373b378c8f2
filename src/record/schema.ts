/**
 * The recording format as a schema, checked whenever a recording is read: recordings are copied
 * between machines and presenters, and one that parses but does not hold what it should (an entry
 * that is null, a step with fields missing) is skipped with a warning instead of failing the show,
 * the report or the fallback. Unknown fields are kept, so older and newer writers stay readable.
 *
 * zod is loaded on the first read only (a show with no recordings never pays for it), through
 * its CommonJS build because reading is synchronous.
 */
import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import { formatPath } from '../runbook/errors.js';
import { RECORDING_FORMAT, type Recording } from './types.js';

/** Longer than any step could take: a recorded time beyond it is damage, not a measurement. */
const MAX_MS = 30 * 24 * 60 * 60_000;

function build(z: typeof Zod) {
  const ms = z.number().nonnegative().max(MAX_MS);
  const date = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'a date and time');
  const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
  const failure = z.looseObject({ message: z.string(), code: z.string().optional(), hint: z.string().optional(), queryId: z.string().optional(), where: z.string().optional() });
  const server = z.looseObject({
    totalElapsedMs: ms.optional(),
    compilationMs: ms.optional(),
    executionMs: ms.optional(),
    queuedMs: ms.optional(),
    bytesScanned: z.number().optional(),
    rowsProduced: z.number().optional(),
    warehouseSize: z.string().optional(),
  });
  const query = z.looseObject({
    label: z.string().optional(),
    columns: z.array(z.looseObject({ name: z.string(), type: z.enum(['number', 'text', 'date', 'timestamp', 'boolean', 'json', 'other']) })),
    rows: z.array(z.array(cell)),
    rowCount: z.number().int().nonnegative(),
    truncated: z.boolean(),
    queryId: z.string().optional(),
    elapsedMs: ms,
    server: server.optional(),
    notice: z.string().optional(),
    expectations: z.array(z.looseObject({ ok: z.boolean(), description: z.string(), expected: cell.optional(), actual: cell.optional(), message: z.string().optional() })),
  });
  const statement = z.looseObject({
    index: z.number().int().nonnegative(),
    count: z.number().int().nonnegative(),
    queryId: z.string().optional(),
    elapsedMs: ms.optional(),
    server: server.optional(),
    rowCount: z.number().optional(),
    error: z.string().optional(),
  });
  const entry = z.looseObject({
    kind: z.enum(['step', 'check']),
    stepId: z.string(),
    title: z.string(),
    startedAt: date,
    finishedAt: date,
    sqlHash: z.string().optional(),
    status: z.enum(['done', 'failed', 'cancelled', 'skipped']),
    elapsedMs: ms,
    wallMs: ms,
    warehouseSize: z.string().optional(),
    queries: z.array(query),
    statements: z.array(statement),
    error: failure.optional(),
    notices: z.array(z.string()),
    check: z.looseObject({ status: z.enum(['pass', 'fail', 'skip']), message: z.string().optional(), budgetMs: ms.optional() }).optional(),
  });
  return z.looseObject({
    format: z.literal(RECORDING_FORMAT),
    id: z.string(),
    command: z.enum(['walk', 'check', 'restore']),
    runbook: z.looseObject({ title: z.string(), file: z.string(), place: z.string().optional() }),
    engine: z.enum(['snowflake', 'local']),
    startedAt: date,
    updatedAt: date,
    finishedAt: date.optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    entries: z.array(entry),
  });
}

let schema: ReturnType<typeof build> | undefined;

/** The recording, or what is wrong with it ("entries[3].queries: expected array"). */
export function checkRecording(data: unknown): { recording: Recording } | { problem: string } {
  schema ??= build(createRequire(import.meta.url)('zod') as typeof Zod);
  const result = schema.safeParse(data);
  if (result.success) return { recording: result.data as unknown as Recording };
  const issue = result.error.issues[0]!;
  const where = formatPath(issue.path.filter((p): p is string | number => typeof p !== 'symbol'));
  return { problem: `${where ? `${where}: ` : ''}${issue.message}` };
}
