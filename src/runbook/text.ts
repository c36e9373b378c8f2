/**
 * The words a runbook puts on screen — the show's title, step titles, talking points, `changes:`,
 * comparison labels and claims, checklist fixes — with `{{ … }}` placeholders, so that what the room
 * reads is true for the engine, the params and the figures of this run:
 *
 *   {{ multiplier }}                     a param (integers with separators: 1,000)
 *   {{ 100000 * multiplier }}            a product of integers and integer params: 1,000,000
 *   {{ 100000 * multiplier | short }}    1M        (`| words`: "1 million"; `| count`: the default)
 *   {{ elapsed(build) }}                 that step's time measured in this run, or "(not measured yet)"
 *   {{ demo(restore) }}                  the command that works here: "demo restore --engine local"
 *   {{ connection }}                     the Snowflake connection in use and its file (unless a param has that name)
 *
 * The expression language is the expectations' (see expressions.ts). Every name is checked when the
 * runbook is validated; rendering never fails (a name it cannot fill stays as written).
 */
import type { EngineKind } from '../engine/types.js';
import { formatCount, formatDuration, formatShort, formatWords } from '../format/numbers.js';
import type { Runbook, Step, Talk } from './model.js';
import type { Comparison, ParamSpec } from './schema.js';
import type { ParamValue } from './sql.js';

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const FORMATS = { count: formatCount, short: formatShort, words: formatWords } as const;
type Format = keyof typeof FORMATS;
const STEP_ID = /^[a-z0-9][a-z0-9-]*$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INTEGER = /^\d[\d_,]*$/;

type Placeholder =
  | { kind: 'value'; terms: string[]; format?: Format }
  | { kind: 'elapsed'; stepId: string }
  | { kind: 'demo'; args: string }
  | { kind: 'connection' };

function parse(body: string, specs?: Readonly<Record<string, unknown>>): Placeholder | { error: string } {
  if (body === 'connection' && !(specs && 'connection' in specs)) return { kind: 'connection' };
  const call = /^(elapsed|demo)\s*\(\s*([^)]*?)\s*\)$/.exec(body);
  if (call) {
    const [, fn, arg = ''] = call;
    if (fn === 'elapsed') return STEP_ID.test(arg) ? { kind: 'elapsed', stepId: arg } : { error: 'elapsed() takes a step id, e.g. elapsed(build)' };
    return /^[a-z][a-z -]*$|^$/.test(arg) ? { kind: 'demo', args: arg.replace(/\s+/g, ' ') } : { error: 'demo() takes a command and plain flags, e.g. demo(restore)' };
  }
  const [expr = '', format, ...extra] = body.split('|').map((p) => p.trim());
  if (extra.length > 0) return { error: 'one | format at most' };
  if (format !== undefined && !(format in FORMATS)) return { error: `unknown format '${format}' (one of ${Object.keys(FORMATS).join(', ')})` };
  const terms = expr.split('*').map((t) => t.trim());
  const bad = terms.find((t) => !INTEGER.test(t) && !NAME.test(t));
  if (bad !== undefined) return { error: `'${bad || body}' is neither a number nor a param name` };
  return { kind: 'value', terms, format: format as Format | undefined };
}

const HELP = 'a text placeholder is a param, a product such as 100000 * multiplier (optionally | short or | words), elapsed(step-id), demo(command) or connection';

/** What is wrong with each placeholder of `text`, with its offset in the text (for file:line:column). */
export function textProblems(
  text: string,
  specs: Readonly<Record<string, ParamSpec>>,
  stepIds: ReadonlySet<string>,
): Array<{ offset: number; placeholder: string; message: string }> {
  const problems: Array<{ offset: number; placeholder: string; message: string }> = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const report = (message: string) => problems.push({ offset: match.index, placeholder: match[0], message: `${message} in ${match[0]}; ${HELP}` });
    const p = parse(match[1]!, specs);
    if ('error' in p) report(p.error);
    else if (p.kind === 'elapsed' && !stepIds.has(p.stepId)) report(`no step '${p.stepId}'`);
    else if (p.kind === 'value') {
      const names = p.terms.filter((t) => !INTEGER.test(t));
      const unknown = names.find((n) => !specs[n]);
      const notInteger = names.find((n) => specs[n] && specs[n]!.type !== 'integer');
      const known = Object.keys(specs).join(', ') || 'none';
      if (unknown) report(`unknown param '${unknown}' (known: ${known})`);
      else if (notInteger && (p.terms.length > 1 || p.format)) report(`param '${notInteger}' is not an integer: it cannot be multiplied or formatted`);
    }
  }
  return problems;
}

/** A figure this run measured for a step, and where it came from when that is not this engine now. */
export interface Measured {
  ms: number;
  /** e.g. "mock" or "recorded 2026-11-20 on DuckDB": said beside the figure. */
  origin?: string;
}

export interface TextContext {
  params: Readonly<Record<string, ParamValue>>;
  engine: EngineKind;
  /** The flags that select this engine and these params, e.g. "--engine local --param multiplier=100". */
  flags?: string;
  /** This run's measurement of a step: its time when it has finished successfully. */
  measured?: (stepId: string) => Measured | undefined;
  /**
   * Whose talk lines a rehearsal shows: those of the engine whose run it replays, so the words
   * match the figures (default: the live show's).
   */
  speaksFor?: EngineKind;
  /** The Snowflake connection in use and where it is configured, for `{{ connection }}`. */
  connection?: string;
}

/** The flags that pick an engine (and the connection and params given) on the command line. */
export function commandFlags(engine: EngineKind, options: { connection?: string; params?: readonly string[] } = {}): string {
  const engineFlag = engine === 'local' ? '--engine local' : engine === 'rehearsal' ? '--rehearse' : '';
  const connection = engine === 'snowflake' && options.connection ? `-c ${options.connection}` : '';
  const params = (options.params ?? []).map((p) => `--param ${p}`);
  return [engineFlag, connection, ...params].filter(Boolean).join(' ');
}

/** The text with every placeholder filled in for this run. */
export function renderText(text: string, ctx: TextContext): string {
  return text.replace(PLACEHOLDER, (whole, body: string) => {
    const p = parse(body, ctx.params);
    if ('error' in p) return whole;
    switch (p.kind) {
      case 'connection':
        // Known only once the engine is made (the checklist renders fixes again with it).
        return ctx.connection ?? whole;
      case 'elapsed': {
        const m = ctx.measured?.(p.stepId);
        return m ? `${formatDuration(m.ms)}${m.origin ? ` (${m.origin})` : ''}` : '(not measured yet)';
      }
      case 'demo': {
        const flags = ctx.flags ?? commandFlags(ctx.engine);
        return ['demo', p.args, flags].filter(Boolean).join(' ');
      }
      case 'value': {
        const values = p.terms.map((t) => (INTEGER.test(t) ? Number(t.replace(/[_,]/g, '')) : ctx.params[t]));
        if (values.some((v) => v === undefined)) return whole;
        if (values.length === 1 && typeof values[0] === 'string') return values[0];
        if (values.some((v) => typeof v !== 'number')) return whole;
        const product = (values as number[]).reduce((a, b) => a * b, 1);
        return FORMATS[p.format ?? 'count'](product);
      }
    }
  });
}

/**
 * Talk lines limited to some engines show on those. A rehearsal shows its own lines and those of
 * the engine it speaks for: the run it replays, else the live show.
 */
export function talkFor(talk: readonly Talk[], engine: EngineKind, speaksFor: EngineKind = 'snowflake'): Talk[] {
  return talk.filter((t) => !t.engines || t.engines.includes(engine) || (engine === 'rehearsal' && t.engines.includes(speaksFor)));
}

function renderComparison(comparison: Comparison, ctx: TextContext): Comparison {
  const r = (text: string) => renderText(text, ctx);
  const rename = new Map(comparison.competitors.map((c) => [c, r(c)]));
  return {
    ...comparison,
    competitors: comparison.competitors.map((c) => rename.get(c)!),
    rows: comparison.rows.map((row) => ({
      ...row,
      feature: r(row.feature),
      ours: row.ours && { ...row.ours, value: r(row.ours.value), source: row.ours.source && r(row.ours.source) },
      others: Object.fromEntries(
        Object.entries(row.others).map(([name, claim]) => [rename.get(name) ?? r(name), { ...claim, value: r(claim.value), source: claim.source && r(claim.source) }]),
      ),
    })),
  };
}

/** A step as the room sees it on this engine: its words rendered, its talk for this engine. */
export function renderStepText<S extends Step>(step: S, ctx: TextContext): S {
  const r = (text: string) => renderText(text, ctx);
  return {
    ...step,
    title: r(step.title),
    talk: talkFor(step.talk, ctx.engine, ctx.speaksFor).map((t) => ({ ...t, text: r(t.text) })),
    changes: step.changes.map(r),
    fix: step.fix === undefined ? undefined : r(step.fix),
    comparison: step.comparison && renderComparison(step.comparison, ctx),
  };
}

/** The whole runbook's words rendered for this run; its SQL, ids and params untouched. */
export function renderRunbookText(runbook: Runbook, ctx: TextContext): Runbook {
  return {
    ...runbook,
    title: renderText(runbook.title, ctx),
    layers: runbook.layers.map((layer) => ({ ...layer, arrow: talkFor(layer.arrow, ctx.engine, ctx.speaksFor).map((t) => ({ ...t, text: renderText(t.text, ctx) })) })),
    steps: runbook.steps.map((s) => renderStepText(s, ctx)),
    restore: renderStepText(runbook.restore, ctx),
    checklist: runbook.checklist.map((s) => renderStepText(s, ctx)),
  };
}
