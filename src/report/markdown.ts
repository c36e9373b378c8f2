/**
 * The post-demo report, in the spirit of the seed document, from one recording: counts per layer
 * with the multiplier measured, the measured step times, query timings, data-quality results, backups,
 * the comparison, and how to restore. Only what the recording measured is stated; anything else
 * is left out or marked "not measured". Nothing here runs SQL.
 */
import { comparisonView, oursCell } from '../core/comparison.js';
import { prepareStep } from '../core/prepare.js';
import type { StepOutcome } from '../core/runner.js';
import { engineSource, SOURCE_LABELS } from '../core/sources.js';
import type { Cell, Column, ServerTiming } from '../engine/types.js';
import { formatCell, formatCount, formatDateTime, formatDuration } from '../format/numbers.js';
import { acceptedParams, recordedOrigin, recordedQueries } from '../record/replay.js';
import { RECORDED_ROWS } from '../record/store.js';
import type { RecordedEntry, RecordedQuery, Recording } from '../record/types.js';
import type { Runbook, Step } from '../runbook/model.js';
import { changedObjects } from '../runbook/objects.js';
import { renderRunbookText, renderText } from '../runbook/text.js';
import { resolveParams } from '../runbook/params.js';

const NOT_MEASURED = 'not measured';
/** Rows of a step's result shown in the report's appendix (the recording keeps up to RECORDED_ROWS). */
const APPENDIX_ROWS = 20;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string[] {
  const rule = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [`| ${header.map(cell).join(' | ')} |`, `| ${rule.join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function ms(value: number | undefined): string {
  return value === undefined ? NOT_MEASURED : formatDuration(value);
}

/**
 * The entry that stands for each step: its last successful run, so a measurement survives a later
 * re-run that was cancelled or failed; a step that never succeeded, its last attempt.
 */
export function measuredEntries(recording: Recording): Map<string, RecordedEntry> {
  const chosen = new Map<string, RecordedEntry>();
  for (const entry of recording.entries) {
    const key = `${entry.kind}:${entry.stepId}`;
    if (entry.status === 'done' || chosen.get(key)?.status !== 'done') chosen.set(key, entry);
  }
  return chosen;
}

/** How many of the show's steps a recording measured (ran successfully). */
export function stepsMeasured(recording: Recording): number {
  return new Set(recording.entries.filter((e) => e.kind === 'step' && e.status === 'done').map((e) => e.stepId)).size;
}

/** A recorded entry as an outcome labelled with the run's own source (LIVE or LOCAL), and its origin. */
function asOutcome(recording: Recording, entry: RecordedEntry): StepOutcome {
  return {
    status: entry.status,
    elapsedMs: entry.elapsedMs,
    notices: entry.notices,
    queries: recordedQueries(entry, engineSource(recording.engine), recordedOrigin(recording, entry)),
  };
}

function numberColumn(columns: readonly Column[]): number {
  for (let i = columns.length - 1; i >= 0; i--) if (columns[i]!.type === 'number') return i;
  return columns.length - 1;
}

/** Layer-count results as {label → count}, label from the text columns (e.g. "BRONZE · RAW_PATIENTS"). */
function counts(query: RecordedQuery): Map<string, { layer: string; object: string; count: Cell }> {
  const n = numberColumn(query.columns);
  const out = new Map<string, { layer: string; object: string; count: Cell }>();
  for (const row of query.rows) {
    const texts = row.filter((_, i) => i !== n).map((c) => String(c ?? ''));
    const object = texts.at(-1) ?? '';
    out.set(object, { layer: texts.length > 1 ? texts[0]! : '', object, count: row[n] ?? null });
  }
  return out;
}

function multiplier(before: Cell | undefined, after: Cell | undefined): string {
  const b = Number(before);
  const a = Number(after);
  if (before === undefined || after === undefined || before === null || after === null || !Number.isFinite(a) || !(b > 0)) return NOT_MEASURED;
  const ratio = a / b;
  return `${Number.isInteger(ratio) ? formatCount(ratio) : ratio.toFixed(2)}x`;
}

interface Context {
  recording: Recording;
  runbook: Runbook;
  latest: Map<string, RecordedEntry>;
  steps: Step[];
  /** Latest entry of each step of the runbook, by step id, in runbook order. */
  entries: { step: Step; entry: RecordedEntry }[];
}

function countsSection(c: Context): string[] {
  const layerSteps = c.entries.filter(({ step, entry }) => step.display === 'layer-counts' && entry.status === 'done' && entry.queries.length > 0 && step.id !== c.runbook.restore.id);
  if (layerSteps.length === 0) return [];
  const first = layerSteps[0]!;
  const last = layerSteps.at(-1)!;
  const before = counts(first.entry.queries.at(-1)!);
  const lines = ['## Data counts per layer', ''];
  if (first === last) {
    lines.push(`Measured by '${first.step.title}' (${first.step.id}).`, '');
    lines.push(...table(['Layer', 'Object', 'Rows'], [...before.values()].map((v) => [v.layer, v.object, formatCell(v.count)]), ['l', 'l', 'r']));
  } else {
    const after = counts(last.entry.queries.at(-1)!);
    lines.push(`Before: '${first.step.title}' (${first.step.id}); after: '${last.step.title}' (${last.step.id}). The multiplier is after ÷ before, as measured.`, '');
    const objects = [...new Set([...before.keys(), ...after.keys()])];
    lines.push(
      ...table(
        ['Layer', 'Object', 'Before', 'After', 'Multiplier'],
        objects.map((o) => {
          const b = before.get(o);
          const a = after.get(o);
          return [b?.layer || a?.layer || '', o, b ? formatCell(b.count) : NOT_MEASURED, a ? formatCell(a.count) : NOT_MEASURED, multiplier(b?.count, a?.count)];
        }),
        ['l', 'l', 'r', 'r', 'r'],
      ),
    );
  }
  return [...lines, ''];
}

function stepTimesSection(c: Context): string[] {
  const rows = c.runbook.steps.flatMap((s) => s.comparison?.rows ?? []).filter((r) => r.measure === 'step-time' && r.from);
  const ids = [...new Set(rows.map((r) => r.from!))];
  if (ids.length === 0) return [];
  const lines = ['## Step times', ''];
  for (const id of ids) {
    const entry = c.latest.get(`step:${id}`);
    const title = c.runbook.steps.find((s) => s.id === id)?.title ?? id;
    if (!entry) lines.push(`- '${title}' (${id}): ${NOT_MEASURED} (not run in this recording).`);
    else if (entry.status !== 'done') lines.push(`- '${title}' (${id}): ${entry.status}${entry.error ? `: ${entry.error.message}` : ''}; no time was measured.`);
    else {
      const size = entry.warehouseSize ? `; warehouse size ${entry.warehouseSize} (reported by Snowflake)` : '';
      lines.push(`- '${title}' (${id}): **${formatDuration(entry.elapsedMs)}** of statements as the engine timed them (${formatDuration(entry.wallMs)} on the wall clock${size}).`);
      const credits = c.runbook.steps.flatMap((s) => s.comparison?.rows ?? []).find((r) => r.measure === 'credits-estimate' && r.from === id);
      // Only a warehouse size Snowflake reported makes an estimate: the runbook's intended size is not a measurement.
      if (credits && entry.warehouseSize) lines.push(`- Compute: ${oursCell(credits, { [id]: asOutcome(c.recording, entry) }, {}).text}.`);
    }
  }
  return [...lines, ''];
}

function serverCell(server: ServerTiming | undefined, key: keyof ServerTiming): string {
  const value = server?.[key];
  return typeof value === 'number' ? formatDuration(value) : NOT_MEASURED;
}

function timingsSection(c: Context): string[] {
  const benches = c.entries.filter(({ step }) => step.display === 'benchmark');
  if (benches.length === 0) return [];
  const lines = ['## Query timings', ''];
  const rows: string[][] = [];
  for (const { step, entry } of benches) {
    if (entry.status !== 'done') {
      lines.push(`'${step.title}' (${step.id}) ${entry.status}${entry.error ? `: ${entry.error.message}` : ''}.`, '');
    }
    for (const q of entry.queries) {
      rows.push([q.label ?? step.title, formatCount(q.rowCount), formatDuration(q.elapsedMs), serverCell(q.server, 'totalElapsedMs'), serverCell(q.server, 'compilationMs'), serverCell(q.server, 'executionMs'), serverCell(q.server, 'queuedMs'), q.queryId ?? NOT_MEASURED]);
    }
  }
  if (rows.length) {
    const cache = benches.some(({ step }) => step.cache) ? 'allowed for some queries (see the runbook)' : 'off';
    lines.push(`Client time is measured by demo around each statement; server times are Snowflake's own (QUERY_HISTORY), measured only on Snowflake. Result cache: ${cache}.`, '');
    lines.push(...table(['Query', 'Rows', 'Client time', 'Server total', 'Compilation', 'Execution', 'Queued', 'Query id'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']));
  }
  return [...lines, ''];
}

function qualitySection(c: Context): string[] {
  const checked = c.entries.filter(({ entry }) => entry.queries.some((q) => q.expectations.length > 0));
  if (checked.length === 0) return [];
  const lines = ['## Data quality and expectations', '', 'Each expectation the runbook makes, as checked on the recorded result.', ''];
  const rows: string[][] = [];
  for (const { step, entry } of checked) {
    for (const q of entry.queries) {
      for (const e of q.expectations) {
        rows.push([step.title, e.description, e.expected === undefined ? '—' : formatCell(e.expected), e.actual === undefined ? '—' : formatCell(e.actual), e.ok ? '✓' : `✗ ${e.message ?? ''}`.trim()]);
      }
    }
  }
  lines.push(...table(['Step', 'Checked', 'Expected', 'Measured', 'Result'], rows, ['l', 'l', 'r', 'r', 'l']));
  return [...lines, ''];
}

/**
 * The backups: what the show's steps (restore aside) create as clones, read from their SQL as the
 * recording's engine ran it. Names are compared by their last part, as results show them.
 */
function backupNames(c: Context): Set<string> {
  const names = new Set<string>();
  const params = resolveParams(c.runbook.params, c.recording.engine, acceptedParams(c.runbook, c.recording.params));
  const dialect = c.recording.engine === 'local' ? 'duckdb' : 'snowflake';
  for (const step of c.runbook.steps.filter((s) => s.destructive)) {
    try {
      for (const statement of prepareStep(step, c.recording.engine, params)) {
        for (const object of changedObjects(statement.sql, dialect).objects) if (object.cloneOf) names.add(object.name.split('.').pop()!.toUpperCase());
      }
    } catch {
      // SQL that does not render with these params names no backup
    }
  }
  return names;
}

/** The backups the show makes, with the row counts the recording measured for them, wherever it did. */
function backupsSection(c: Context): string[] {
  const backups = backupNames(c);
  const found = new Map<string, { count: Cell; step: string }>();
  for (const { step, entry } of c.entries) {
    for (const q of entry.queries) {
      const n = q.columns.findIndex((col) => col.type === 'number' && /COUNT|^ROWS$/i.test(col.name));
      if (n < 0) continue;
      for (const row of q.rows) {
        const name = row.find((v, i) => i !== n && typeof v === 'string' && backups.has(v.toUpperCase()));
        if (typeof name === 'string') found.set(name, { count: row[n] ?? null, step: step.title });
      }
    }
  }
  if (found.size === 0) return [];
  return [
    '## Backups',
    '',
    ...table(['Backup', 'Rows', 'Measured by'], [...found].map(([name, v]) => [name, formatCell(v.count), v.step]), ['l', 'r', 'l']),
    '',
  ];
}

function comparisonSection(c: Context): string[] {
  const step = c.runbook.steps.find((s) => s.comparison);
  if (!step?.comparison) return [];
  const outcomes: Record<string, StepOutcome> = {};
  for (const { step: s, entry } of c.entries) outcomes[s.id] = asOutcome(c.recording, entry);
  const { competitors, rows } = step.comparison;
  // The estimate needs a size Snowflake reported: the recording's origin has no runbook intent in it.
  const view = comparisonView(step.comparison, outcomes, c.recording.params, c.recording.engine);
  const body = rows.map((row, i) => {
    const ours = view.cells[i]!;
    const text = ours.kind === 'missing' ? NOT_MEASURED : `${ours.text}${ours.kind === 'claim' ? ' (claim)' : ours.kind === 'estimate' ? ' (estimate)' : ` (measured, ${ours.source})`}`;
    return [row.feature, text, ...competitors.map((name) => {
      const claim = row.others[name];
      return claim ? `${claim.value}${claim.source ? ` [${claim.source}]` : ''}` : '—';
    })];
  });
  const scale = view.scale ? [`Scale: our figures ${view.scale.ours}; the others' claims ${view.scale.claims}.`, ''] : [];
  const bars = view.bars.flatMap((b) => [`- ${b.title}: ${b.label} ${b.ours.text}; ${b.claims.map((claim) => `${claim.name} ${claim.text}`).join('; ')}.`]);
  return [
    '## Comparison',
    '',
    "Our column is this run's measurement where there is one; the others are claims from the runbook, with their sources, not measured here.",
    '',
    ...scale,
    ...table(['Feature', view.oursTitle, ...competitors], body),
    '',
    ...bars,
    ...view.notDrawn.map((text) => `- ${text}.`),
    '',
  ];
}

function restoreSection(c: Context): string[] {
  const restore = c.runbook.restore;
  const command = renderText('{{ demo(restore) }}', { params: c.recording.params, engine: c.recording.engine });
  const lines = ['## Restore instructions', '', `To return to the original data, run \`${command}\` (it asks first), or press \`R\` during the show. It runs:`, ''];
  // The run's params as this runbook accepts them: a recording's own values are never pasted into SQL.
  const accepted = acceptedParams(c.runbook, c.recording.params);
  const ignored = Object.keys(c.recording.params).filter((name) => !(name in accepted));
  try {
    const statements = prepareStep(restore, c.recording.engine, resolveParams(c.runbook.params, c.recording.engine, accepted));
    const sql = statements.flatMap((s, i) => [
      ...(s.label && s.queryIndex !== statements[i - 1]?.queryIndex ? [`${i ? '\n' : ''}-- ${s.label}`] : []),
      `${s.sql.trim()};`,
    ]);
    lines.push('```sql', ...sql, '```');
    lines.push('', `Rendered from ${c.runbook.file} as it is now, with this run's params, for the ${c.recording.engine === 'snowflake' ? 'Snowflake' : 'local DuckDB'} engine.`);
    if (ignored.length) lines.push('', `The recording's ${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not a param this runbook accepts: the runbook's own value${ignored.length === 1 ? ' was' : 's were'} used.`);
  } catch (error) {
    lines.push(`(The restore SQL could not be rendered with this run's params: ${error instanceof Error ? error.message : String(error)}.)`);
  }
  const entry = c.latest.get(`step:${restore.id}`);
  if (entry) lines.push('', `The restore ran in this recording: ${entry.status} in ${formatDuration(entry.elapsedMs)}.`);
  return [...lines, ''];
}

function checklistSection(c: Context): string[] {
  const checks = c.recording.entries.filter((e) => e.kind === 'check');
  if (checks.length === 0) return [];
  const rows = c.runbook.checklist.map((item) => {
    const e = c.latest.get(`check:${item.id}`);
    if (!e) return [item.title, NOT_MEASURED, '—', '—'];
    const status = e.check?.status ?? (e.status === 'done' ? 'pass' : 'fail');
    const budget = e.check?.budgetMs !== undefined ? ` (budget ${formatDuration(e.check.budgetMs)})` : '';
    return [item.title, status === 'pass' ? '✓ pass' : status === 'fail' ? '✗ fail' : '– skipped', status === 'skip' ? '—' : `${formatDuration(e.elapsedMs)}${budget}`, e.check?.message ?? ''];
  });
  return ['## Pre-demo checklist', '', ...table(['Check', 'Result', 'Time', 'Note'], rows), ''];
}

/** The runs of a step after the one the report stands on (e.g. a re-run that was cancelled). */
function laterAttempts(c: Context, entry: RecordedEntry): RecordedEntry[] {
  const from = c.recording.entries.indexOf(entry);
  return c.recording.entries.slice(from + 1).filter((e) => e.kind === entry.kind && e.stepId === entry.stepId);
}

function appendix(c: Context): string[] {
  const lines = ['## Every step as recorded', ''];
  for (const { step, entry } of c.entries) {
    lines.push(`### ${step.title} (${step.id})`, '');
    lines.push(`${entry.status} · ${formatDuration(entry.elapsedMs)} · finished ${formatDateTime(entry.finishedAt)}${entry.warehouseSize ? ` · warehouse ${entry.warehouseSize}` : ''}`);
    for (const later of laterAttempts(c, entry)) lines.push('', `Run again later: ${later.status} at ${formatDateTime(later.finishedAt)}; the figures above are from the run that succeeded.`);
    if (entry.error) lines.push('', `Error${entry.error.where ? ` at ${entry.error.where}` : ''}: ${entry.error.message}${entry.error.code ? ` (${entry.error.code})` : ''}`);
    for (const notice of entry.notices) lines.push('', `Note: ${notice}`);
    for (const q of entry.queries) {
      if (q.columns.length === 0) continue;
      lines.push('');
      if (q.label && entry.queries.length > 1) lines.push(`**${q.label}** — ${formatDuration(q.elapsedMs)}${q.queryId ? ` · query id ${q.queryId}` : ''}`, '');
      else if (q.queryId) lines.push(`Query id ${q.queryId}`, '');
      const n = Math.min(q.rows.length, APPENDIX_ROWS);
      lines.push(...table(q.columns.map((col) => col.name), q.rows.slice(0, n).map((row) => q.columns.map((col, i) => formatCell(row[i] ?? null, col.name))), q.columns.map((col) => (col.type === 'number' ? 'r' : 'l'))));
      if (q.rowCount > n) lines.push('', `First ${formatCount(n)} of ${formatCount(q.rowCount)} rows.`);
    }
    lines.push('');
  }
  return lines;
}

export function renderReport(recording: Recording, loaded: Runbook): string {
  const latest = measuredEntries(recording);
  // The runbook's words as they read on that run: its engine, its params (those the runbook accepts:
  // a recording's own values are never pasted in), its measured times.
  const params = resolveParams(loaded.params, recording.engine, acceptedParams(loaded, recording.params));
  const runbook = renderRunbookText(loaded, {
    params,
    engine: recording.engine,
    measured: (id) => {
      const entry = latest.get(`step:${id}`);
      return entry?.status === 'done' ? { ms: entry.elapsedMs } : undefined;
    },
  });
  const steps = recording.command === 'check' ? runbook.checklist : [...runbook.steps, runbook.restore];
  const kind = recording.command === 'check' ? 'check' : 'step';
  const entries = steps.flatMap((step) => {
    const entry = latest.get(`${kind}:${step.id}`);
    return entry ? [{ step, entry }] : [];
  });
  const c: Context = { recording, runbook, latest, steps, entries };
  const source = SOURCE_LABELS[engineSource(recording.engine)];
  const engineName = recording.engine === 'snowflake' ? 'Snowflake (live)' : 'DuckDB on this machine (local)';
  const command = recording.command === 'walk' ? 'demo' : `demo ${recording.command}`;
  const ended = recording.finishedAt ? `ended ${formatDateTime(recording.finishedAt)}` : `did not end normally (last step recorded ${formatDateTime(recording.updatedAt)})`;
  const withQueries = steps.filter((s) => s.queries.length > 0);
  const missing = withQueries.filter((s) => !latest.has(`${kind}:${s.id}`));
  const paramList = Object.entries(recording.params).map(([k, v]) => `${k}=${v}`).join(', ');
  // Counted as the show counts its steps (Step n/N); the restore is said apart.
  const shown = kind === 'check' ? runbook.checklist : runbook.steps;
  const recorded = shown.filter((s) => latest.has(`${kind}:${s.id}`)).length;
  const talkOnly = shown.filter((s) => s.queries.length === 0).length;
  const restored = kind === 'step' && latest.has(`step:${runbook.restore.id}`) ? '; the restore ran too' : '';
  const counted = `${recorded} of the ${shown.length} ${kind === 'check' ? 'checks' : 'steps'} recorded${talkOnly ? ` (${talkOnly} run no SQL)` : ''}${restored}`;

  const lines = [
    `# ${renderText(recording.runbook.title, { params, engine: recording.engine })} — run report`,
    '',
    `**Recorded:** ${formatDateTime(recording.startedAt)}, ${ended}  `,
    `**Engine:** ${source} · ${engineName}  `,
    `**Command:** \`${command}\` · ${counted}  `,
    `**Params:** ${paramList || 'none'}  `,
    `**Recording:** ${recording.id}`,
    '',
    `Every figure below was measured in this run and read from its recording (${source}); anything this run did not measure is marked "${NOT_MEASURED}" or left out. Result rows are kept up to ${RECORDED_ROWS} per query.`,
    '',
    ...(recording.command === 'check' ? checklistSection(c) : []),
    ...countsSection(c),
    ...(recording.command === 'check' ? [] : stepTimesSection(c)),
    ...timingsSection(c),
    ...qualitySection(c),
    ...backupsSection(c),
    ...(recording.command === 'check' ? [] : comparisonSection(c)),
    ...restoreSection(c),
  ];
  const failed = entries.filter(({ entry }) => entry.status === 'failed' || entry.status === 'cancelled');
  if (failed.length || missing.length) {
    lines.push('## Not measured', '');
    for (const { step, entry } of failed) lines.push(`- '${step.title}' (${step.id}): ${entry.status}${entry.error ? ` — ${entry.error.message}` : ''}`);
    for (const step of missing) lines.push(`- '${step.title}' (${step.id}): not run in this recording`);
    lines.push('');
  }
  lines.push(...appendix(c));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
