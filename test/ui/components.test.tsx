/** The pieces of the screen, one by one: what each shows a presenter or the room. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { claimRangeMs, oursCell } from '../../src/core/comparison.js';
import type { StepOutcome } from '../../src/core/runner.js';
import type { ConnectionState } from '../../src/engine/types.js';
import { initialState, walkReducer } from '../../src/core/walkthrough.js';
import { Footer, hintText } from '../../src/ui/components/Footer.js';
import { Header } from '../../src/ui/components/Header.js';
import { tableLines } from '../../src/ui/components/ResultLines.js';
import { segmentsOf, loadHighlighter } from '../../src/ui/components/SqlLines.js';
import { progressText, StatusLine } from '../../src/ui/components/StatusLine.js';
import { SPIN, spun } from '../../src/ui/components/Spinner.js';
import { StepHeading, stepTimer, timerColor } from '../../src/ui/components/StepHeading.js';
import { ClockProvider } from '../../src/ui/hooks/clock.js';
import type { ShowInfo } from '../../src/ui/show.js';
import { oneLine, wrap } from '../../src/ui/text.js';
import { columnsOf, frameWhere, has, KEYS, press, setup, stageRunbook, type Setup } from './harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let mounted: Array<{ unmount: () => void }> = [];
afterEach(() => {
  for (const m of mounted) m.unmount();
  mounted = [];
});

function at<T extends React.ReactElement>(now: number, element: T) {
  const app = render(
    <ClockProvider fast={false} now={() => now}>
      {element}
    </ClockProvider>,
  );
  mounted.push(app);
  return app;
}

const show: ShowInfo = {
  title: 'A show',
  durationMs: 30 * 60_000,
  steps: [
    { id: 'a', title: 'First', talk: [], targetMs: 60_000, display: 'table', destructive: false, long: false, changes: [] },
    { id: 'b', title: 'Second', talk: [], display: 'table', destructive: true, long: true, changes: [] },
  ],
  restore: { id: 'restore', title: 'Restore', talk: [], display: 'table', destructive: true, long: true, changes: [] },
};

describe('timers', () => {
  it('turn amber from 80% of the target and red once over it, and say "over" without colour', () => {
    expect(timerColor(30_000, 60_000)).toBe('green');
    expect(timerColor(48_000, 60_000)).toBe('yellow');
    expect(timerColor(61_000, 60_000)).toBe('red');
    expect(timerColor(61_000, undefined)).toBeUndefined();
    expect(stepTimer(61_000, 60_000)).toBe('01:01 / 01:00 over');
    expect(stepTimer(59_000, 60_000)).toBe('00:59 / 01:00');
  });

  it("the step's time on screen counts from arriving on it; the talk's against its plan", async () => {
    const state = initialState(['a', 'b'], 'restore', 0);
    const heading = at(75_000, <StepHeading step={show.steps[0]!} index={0} state={state} width={80} />);
    expect(await frameWhere(heading, has('1. First'))).toContain('01:15 / 01:00 over');
    const header = at(31 * 60_000, <Header show={show} state={state} engine={{ kind: 'snowflake' }} width={90} />);
    const frame = await frameWhere(header, has('LIVE · SNOWFLAKE'));
    expect(frame).toContain('Step 1/2 · 31:00 / 30:00 over');
  });

  it("the header's rule says how the connection stands, whatever the engine, and never wraps", async () => {
    const state = initialState(['a', 'b'], 'restore', 0);
    const rule = async (connection: ConnectionState, note?: string, width = 90) => {
      const frame = await frameWhere(at(0, <Header show={show} state={state} engine={{ kind: 'snowflake', connection, note }} width={width} />), has('LIVE'));
      for (const row of frame.split('\n')) expect(columnsOf(row)).toBeLessThanOrEqual(width);
      return frame.split('\n')[1]!;
    };
    expect(await rule({ status: 'connecting' })).toMatch(/^── ◌ connecting… ─+$/);
    expect(await rule({ status: 'connecting', url: 'https://example.com/sso' })).toContain('◌ connecting: finish the login in your browser');
    expect(await rule({ status: 'connected', detail: 'PHARMACY2U_DEMO_ROLE on PHARMACY2U_DEMO_WH' })).toMatch(/^── ● connected as PHARMACY2U_DEMO_ROLE on PHARMACY2U_DEMO_WH ─+$/);
    const failed = await rule({ status: 'failed', reason: `Snowflake did not answer the login within 15 s ${'and more '.repeat(20)}` }, 'a note');
    expect(failed).toMatch(/^── ✗ not connected: Snowflake did not answer the login within 15 s and more .*… ─+$/);
    expect(await rule({ status: 'connected', detail: 'R on W' }, 'replaying live run of 2026-11-20 14:03')).toMatch(/^── ● connected as R on W ── replaying live run of 2026-11-20 14:03 ─+$/);
  });

  it('the header drops the time of day, then "Step n/N", before it would wrap', async () => {
    const state = initialState(['a', 'b'], 'restore', 0);
    const narrow = at(0, <Header show={{ ...show, title: 'A very long title indeed' }} state={state} engine={{ kind: 'snowflake' }} width={48} />);
    const frame = await frameWhere(narrow, has('LIVE'));
    expect(frame.split('\n')[0]).toMatch(/Step 1\/2 · 00:00 \/ 30:00$/);
    for (const row of frame.split('\n')) expect(columnsOf(row)).toBeLessThanOrEqual(48);
  });
});

describe('the status line', () => {
  it('shows elapsed against the expected time as a bar with an ETA, "over by", or "no estimate"', () => {
    expect(progressText(30_000, 120_000, 8)).toEqual({ bar: '▕██░░░░░░▏ ', text: '30 s of 2 m (last run) · ETA 1 m 30 s', over: false });
    expect(progressText(150_000, 120_000, 4)).toMatchObject({ bar: '▕████▏ ', text: '2 m 30 s of 2 m (last run) · over by 30 s', over: true });
    expect(progressText(4_000, undefined, 8)).toEqual({ bar: '', text: '4.0 s · no estimate', over: false });
  });

  it('shows what runs, its statement, the engine state and query id, on one row', async () => {
    let state = initialState(['a', 'b'], 'restore', 0);
    state = walkReducer(state, { type: 'started', stepId: 'b', at: 1000 });
    state = walkReducer(state, { type: 'statement', stepId: 'b', index: 2, count: 6, label: 'Scale patients' });
    state = walkReducer(state, { type: 'progress', stepId: 'b', progress: { state: 'QUEUED', queryId: '01b2-c3d4' } });
    const app = at(61_000, <StatusLine show={show} state={state} width={100} expectedMs={() => 240_000} />);
    const frame = await frameWhere(app, has('Second'));
    expect(frame).toContain('Second · 3/6 Scale patients · QUEUED 01b2-c3d4');
    expect(frame).toContain('1 m of 4 m (last run) · ETA 3 m');
    expect(columnsOf(frame)).toBeLessThanOrEqual(100);
  });
});

describe('the footer', () => {
  it('always shows the next step, and the end of the show on the last', async () => {
    const state = initialState(['a', 'b'], 'restore', 0);
    const first = at(0, <Footer show={show} state={state} width={80} />);
    expect(await frameWhere(first, has('Next:'))).toContain('Next: 2. Second');
    const last = at(0, <Footer show={show} state={walkReducer(state, { type: 'next', at: 1 })} width={80} />);
    expect(await frameWhere(last, has('Next:'))).toContain('end of the show (R restores)');
  });

  it('drops the least needed key hints first on a narrow screen, never next, run or restore', () => {
    const all = ['next', 'previous', 'run', 'restore', 'jump', 'sql', 'help', 'quit'] as const;
    expect(hintText(all, 200)).toBe('→ next  ← previous  enter run  R restore  g jump  s sql  ? help  q quit');
    const narrow = hintText(all, 40);
    expect(narrow.length).toBeLessThanOrEqual(40);
    expect(narrow).toContain('→ next');
    expect(narrow).toContain('enter run');
    expect(narrow).toContain('R restore');
    expect(narrow).not.toContain('s sql');
  });
});

describe('tables', () => {
  const columns = [
    { name: 'DRUG', type: 'text' as const },
    { name: 'PRESCRIPTIONS', type: 'number' as const },
    { name: 'TOTAL_GBP', type: 'number' as const },
  ];

  it('right-align numbers with separators, show money in pounds, and shrink to the width', async () => {
    const lines = tableLines('t', columns, [['Atorvastatin 20mg tablets', 48211000, 57853200], ['Amlodipine', 43102000, 30171400.5]], 60);
    const app = render(<>{lines}</>);
    mounted.push(app);
    const rows = (await frameWhere(app, has('DRUG'))).split('\n');
    expect(rows[2]).toMatch(/^Atorvastatin 20mg tablets\s+48,211,000\s+£57,853,200\.00$/);
    expect(rows[3]).toMatch(/^Amlodipine\s+43,102,000\s+£30,171,400\.50$/);
    expect(rows[2]!.length).toBe(rows[3]!.length);
    const narrow = render(<>{tableLines('n', columns, [['Atorvastatin 20mg tablets', 48211000, 57853200]], 40)}</>);
    mounted.push(narrow);
    for (const row of (await frameWhere(narrow, has('DRUG'))).split('\n')) expect(row.length).toBeLessThanOrEqual(40);
  });

  it('keep data from breaking the screen: line breaks shown as ↵, escape sequences dropped', () => {
    expect(oneLine('two\nlines\tand \u001b[2Jclear')).toBe('two ↵ lines  and [2Jclear');
    expect(wrap('a '.repeat(30), 10).every((l) => l.length <= 10)).toBe(true);
    expect(wrap('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('the comparison', () => {
  const row = { feature: 'Load time', measure: 'step-time' as const, from: 'scale', others: {} };
  const outcome = (status: StepOutcome['status'], elapsedMs: number): StepOutcome => ({
    status,
    elapsedMs,
    notices: [],
    queries: [{ result: { columns: [], rows: [], rowCount: 0, truncated: false, elapsedMs, source: 'live' }, expectations: [] }],
  });

  it('fills our cell only from this run, and says when it was not measured', () => {
    expect(oursCell(row, {}, {})).toEqual({ text: "not measured yet (run 'scale')", kind: 'missing' });
    expect(oursCell(row, { scale: outcome('failed', 5) }, {})).toMatchObject({ kind: 'missing' });
    expect(oursCell(row, { scale: { ...outcome('skipped', 0), queries: [] } }, {})).toEqual({ text: 'not measured on this engine', kind: 'missing' });
    expect(oursCell(row, { scale: outcome('done', 1_182_000) }, {})).toEqual({ text: '19 m 42 s', kind: 'measured', source: 'LIVE', ms: 1_182_000, origin: { engine: 'snowflake' } });
    expect(oursCell({ ...row, measure: 'credits-estimate', warehouse_size: '{{ scale_size }}' }, { scale: outcome('done', 1_800_000) }, { scale_size: 'LARGE' })).toMatchObject({
      kind: 'estimate',
      text: '≈ 4.00 credits (estimate: LARGE × 30 m)',
    });
  });

  it('reads claimed times as ranges for the bars, and leaves vague claims alone', () => {
    expect(claimRangeMs('4-6 hours')).toEqual({ low: 4 * 3_600_000, high: 6 * 3_600_000 });
    expect(claimRangeMs('20 minutes')).toEqual({ low: 1_200_000, high: 1_200_000 });
    expect(claimRangeMs('Minutes')).toBeUndefined();
    expect(claimRangeMs('Still charging')).toBeUndefined();
  });
});

describe('SQL highlighting', () => {
  it('colours keywords, strings, numbers and comments, keeping multi-line comments whole', async () => {
    const highlight = await loadHighlighter();
    const rows = highlight("SELECT 'a' AS X, 12 /* two\nlines */ FROM t; -- done");
    expect(rows).toHaveLength(2);
    const roleOf = (text: string) => rows.flat().find((s) => s.text.includes(text))?.role;
    expect(roleOf('SELECT')).toBe('sqlKeyword');
    expect(roleOf("'a'")).toBe('sqlString');
    expect(roleOf('12')).toBe('sqlNumber');
    expect(roleOf('two')).toBe('sqlComment');
    expect(roleOf('lines */')).toBe('sqlComment');
    expect(roleOf('-- done')).toBe('sqlComment');
    expect(segmentsOf({ type: 'root', children: [{ type: 'text', value: 'a\n\nb' }] })).toEqual([[{ text: 'a', role: undefined }], [], [{ text: 'b', role: undefined }]]);
  });
});

describe('the spinner', () => {
  it("is ink-spinner's dots, one cell where the line marks it, and animates on its own (CI=true too)", async () => {
    const app = render(<Text>{spun(`  ${SPIN} running`)}</Text>);
    mounted.push(app);
    const seen = new Set<string>();
    for (let i = 0; i < 12 && seen.size < 3; i++) {
      const frame = app.lastFrame() ?? '';
      expect(frame).toMatch(/^ {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running$/);
      seen.add(frame);
      await new Promise((r) => setTimeout(r, 90));
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    // A line without the mark is drawn as it is.
    expect(spun('no spinner here')).toBe('no spinner here');
  });
});

describe('restore, step by step', () => {
  let current: Setup | undefined;
  afterEach(() => current?.app.unmount());

  it('marks the statements done, the running one with the spinner, and keeps it in view', async () => {
    current = setup({ text: stageRunbook({ restore: '30s' }), size: { columns: 100, rows: 30 } });
    const { app } = current;
    await press(app, 'R', 'y');
    const frame = await frameWhere(app, has('Restoring: Restore the base data', 'RUNNING'));
    expect(frame).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 2\/3 ALTER TABLE T SET CHANGE_TRACKING = TRUE/);
    expect(frame).toMatch(/✓ 1\/3 CREATE OR REPLACE TABLE T CLONE T_ORIGINAL/);
    expect(frame).toContain('esc: close (restore goes on)');
    // Closing it leaves restore running, on the status line; R brings the dialog back.
    await press(app, KEYS.escape);
    await frameWhere(app, (f) => !f.includes('Restoring:') && f.includes('Restore the base data · 2/3 Restore from the originals'));
    await press(app, 'R');
    await frameWhere(app, has('Restoring: Restore the base data'));
  });
});

describe('the rules of the house', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      return statSync(file).isDirectory() ? files(file) : [file];
    });
  const ui = [...files(path.join(ROOT, 'src/ui')), ...files(path.join(ROOT, 'src/presenter'))];

  it('one shared clock: the only interval of the screens is the clock', () => {
    const withInterval = ui.filter((f) => /\bsetInterval\(/.test(readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f));
    expect(withInterval).toEqual(['src/ui/hooks/clock.tsx']);
  });

  it('nothing prints while the screen is up (console output would tear the frame)', () => {
    const printing = ui.filter((f) => /\bconsole\.\w+\(/.test(readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f));
    expect(printing).toEqual([]);
  });

  it('respects NO_COLOR', () => {
    const script = "import('./dist/ui/theme.js').then((t) => process.stdout.write(JSON.stringify([t.color('warn'), t.badgeColors('snowflake')])))";
    const colour = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, NO_COLOR: '' } }).toString();
    const none = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }).toString();
    expect(JSON.parse(colour)).toEqual(['yellow', { color: 'whiteBright', backgroundColor: 'red' }]);
    expect(JSON.parse(none)).toEqual([null, {}]);
  });
});
