/**
 * On stage, against the fake Snowflake: a step ran live and was recorded; later the same step
 * fails live; the presenter presses `f` and sees the recorded result, marked recorded and not live.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ShowSession } from '../../src/core/session.js';
import { initialState, runOf, walkReducer } from '../../src/core/walkthrough.js';
import { listRecordings, readRecording } from '../../src/record/store.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { resolveParams } from '../../src/runbook/params.js';
import { App } from '../../src/ui/App.js';
import { scratch } from '../helpers.js';
import { frameWhere } from '../ui/harness.js';
import { FakeSnowflake } from '../snowflake-server/server.js';
import { liveEngine } from '../snowflake/helpers.js';

const RUNBOOK = `title: Live fallback
steps:
  - id: counts
    title: Counts on the warehouse
    display: table
    inline: SELECT 'PATIENTS' AS OBJECT, COUNT(*) AS N FROM PATIENTS
restore:
  id: restore
  title: Restore
  destructive: true
  inline: SELECT 1 AS RESTORED
`;

let server: FakeSnowflake;

beforeAll(async () => {
  server = await FakeSnowflake.start();
});

afterAll(async () => {
  await server?.close();
});

/** A live session on the fake Snowflake, for a runbook in a scratch folder, with its own state dir. */
async function liveSession() {
  const dir = scratch({ 'runbook.yml': RUNBOOK });
  const runbook = loadRunbook(path.join(dir, 'runbook.yml'));
  const { engine, stateDir } = await liveEngine(server);
  const session = new ShowSession(engine, resolveParams(runbook.params, 'snowflake'), { runbook, stateDir });
  return { runbook, stateDir, session };
}

/** On stage: run the step, see it fail live, press the fallback key; the frame once it matches. */
async function failThenFallBack(app: ReturnType<typeof render>, shown: (frame: string) => boolean): Promise<string> {
  app.stdin.write('\r');
  await frameWhere(app, (f) => /✗ failed/.test(f), 10_000);
  app.stdin.write('f');
  return frameWhere(app, shown, 10_000);
}

const COUNTS = { match: /FROM PATIENTS/, plan: { columns: [{ name: 'OBJECT', type: 'text' as const }, { name: 'N', type: 'fixed' as const }], rows: [['PATIENTS', '100000']] } };
const TIMED_OUT = { match: /FROM PATIENTS/, plan: { error: { code: '000604', message: 'SQL execution was cancelled by the client due to a timeout.' } } };

test('the fallback key after a failed live step shows the last recorded result, marked RECORDED and not live', async () => {
  const { runbook, stateDir, session } = await liveSession();
  const step = runbook.steps[0]!;

  // Last night: the step ran live, and was recorded.
  server.script(COUNTS);
  const first = await session.run(step, () => {});
  expect(first.status).toBe('done');
  const recorded = readRecording(listRecordings(stateDir)[0]!.file)!;
  expect(recorded).toMatchObject({ engine: 'snowflake', entries: [{ stepId: 'counts', status: 'done', queries: [{ rows: [['PATIENTS', 100000]] }] }] });
  const liveQueryId = first.queries[0]!.result.queryId;
  expect(liveQueryId).toMatch(/^[0-9a-f-]{36}$/);

  // On stage: the same statement now fails.
  server.script(TIMED_OUT);
  const app = render(<App runbook={runbook} session={session} />);
  try {
    const frame = await failThenFallBack(app, (f) => /RECORDED/.test(f));
    // It names the engine, the warehouse and the scale of what it shows, and when.
    expect(frame).toMatch(/RECORDED \d{4}-\d\d-\d\d \d\d:\d\d on Snowflake( \S+)? · same params as this run · NOT LIVE/);
    expect(frame).toMatch(/100,000/);
    // What the key shows, from the session: the recorded live run, labelled as such.
    const fallback = session.fallback('counts')!;
    expect(fallback.recordedAt).toBe(recorded.entries[0]!.finishedAt);
    expect(fallback.queries[0]!.result).toMatchObject({ source: 'recorded', queryId: liveQueryId, rows: [['PATIENTS', 100000]] });
    expect(fallback.notices[0]).toMatch(/^recorded .* on Snowflake( \S+)?, not live$/);
    expect(fallback.origin).toMatchObject({ engine: 'snowflake', recordedAt: recorded.startedAt });
    // The failed attempt is recorded too (and never offered as a fallback).
    const entries = readRecording(session.recordingFile!)!.entries;
    expect(entries.map((e) => e.status)).toEqual(['done', 'failed']);
  } finally {
    app.unmount();
    await session.close();
  }

  // The reducer keeps both: the live failure and, beside it, the recorded result.
  let state = initialState(['counts'], 'restore', 0);
  state = walkReducer(state, { type: 'started', stepId: 'counts', at: 1 });
  state = walkReducer(state, { type: 'finished', stepId: 'counts', outcome: { status: 'failed', queries: [], elapsedMs: 0, notices: [] }, at: 2 });
  state = walkReducer(state, { type: 'fallback', stepId: 'counts', outcome: session.fallback('counts')! });
  expect(runOf(state, 'counts')).toMatchObject({ status: 'failed', fallback: { recordedAt: expect.any(String) } });
});

test('the fallback key passes over a recording that cannot be read, and says so on one line', async () => {
  const { runbook, stateDir, session } = await liveSession();
  server.script(COUNTS);
  expect((await session.run(runbook.steps[0]!, () => {})).status).toBe('done');
  // A recording copied from someone else, newer than ours, that parses but is not one.
  writeFileSync(path.join(stateDir, 'recordings', '2999-01-01T00-00-00.000Z-walk-snowflake.json'), JSON.stringify({ entries: [null] }));
  server.script(TIMED_OUT);
  const app = render(<App runbook={runbook} session={session} />);
  try {
    const frame = await failThenFallBack(app, (f) => /RECORDED/.test(f) && /warning: skipped recording 2999-01-01T00-00-00\.000Z-walk-snowflake\.json/.test(f));
    expect(frame).toMatch(/100,000/);
  } finally {
    app.unmount();
    await session.close();
  }
});
