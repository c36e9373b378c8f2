/**
 * `demo check -c NAME` against the fake Snowflake with the real runbook: the Snowflake-only checks
 * (warehouse, dynamic tables, running queries) judge what Snowflake answers, fail with their
 * fixes (params filled in), and nothing secret reaches the recording.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { listRecordings, readRecording } from '../../src/record/store.js';
import { FakeSnowflake, type FakeColumn } from '../snowflake-server/server.js';
import { fakeSection, filesUnder, PASSWORD, snowflakeHome, tempDir } from '../snowflake/helpers.js';

const BIN = path.resolve('dist/cli/main.js');
const RUNBOOK_FILE = path.resolve('runbook.yml');
let server: FakeSnowflake;
let home: string;
let stateDir: string;

const text = (name: string): FakeColumn => ({ name, type: 'text' });
const fixed = (name: string): FakeColumn => ({ name, type: 'fixed' });
const checks = (rows: [string, number][]) => ({ columns: [text('CHECK_NAME'), fixed('VALUE')], rows: rows.map(([k, v]) => [k, String(v)]) });

beforeAll(async () => {
  server = await FakeSnowflake.start();
  server.script(
    { match: /CURRENT_WAREHOUSE\(\)/, plan: { columns: [text('ROLE_NAME'), text('WAREHOUSE_NAME'), fixed('ON_DEMO_WAREHOUSE')], rows: [['PHARMACY2U_DEMO_ROLE', 'PHARMACY2U_DEMO_WH', '1']] } },
    // Left at LARGE by an interrupted scale.
    {
      match: /SHOW WAREHOUSES/,
      plan: {
        columns: [text('CHECK_NAME'), fixed('VALUE'), text('ACTUAL')],
        rows: [['WAREHOUSE_EXISTS', '1', '1'], ['AT_BASE_SIZE', '0', 'Large'], ['NOT_AT_SCALE_SIZE', '0', 'Large'], ['AUTO_SUSPEND_AS_EXPECTED', '1', '300'], ['AUTO_RESUME_ON', '1', 'true']],
      },
    },
    { match: /RAW_PATIENTS_ORIGINAL/, plan: { columns: [text('BACKUP'), fixed('ROW_COUNT')], rows: [['RAW_PATIENTS_ORIGINAL', '100000'], ['RAW_PRESCRIPTIONS_ORIGINAL', '500809']] } },
    {
      match: /'V_PATIENT_360'/,
      plan: {
        columns: [text('LAYER'), text('OBJECT'), fixed('ROW_COUNT')],
        rows: [['BRONZE', 'RAW_PATIENTS', '100000'], ['BRONZE', 'RAW_PRESCRIPTIONS', '500809'], ['SILVER', 'PATIENTS', '100000'], ['SILVER', 'PRESCRIPTIONS', '477612'], ['GOLD', 'V_PATIENT_360', '100000']],
      },
    },
    { match: /'ORPHANED_PRESCRIPTIONS'/, plan: checks([['ORPHANED_PRESCRIPTIONS', 0], ['DUPLICATE_PATIENT_IDS', 0], ['DUPLICATE_NHS_NUMBERS', 0], ['INVALID_NHS_NUMBERS', 0]]) },
    // PRESCRIPTIONS' last refresh failed.
    { match: /DYNAMIC_TABLE_GRAPH_HISTORY/, plan: checks([['DYNAMIC_TABLES_FOUND', 2], ['NOT_ACTIVE', 0], ['LAST_REFRESH_NOT_SUCCEEDED', 1], ['OVER_TARGET_LAG', 0]]) },
    // Yesterday's scale is still running.
    { match: /QUERY_HISTORY_BY_USER/, plan: { columns: [fixed('RUNNING_QUERIES'), text('QUERY_IDS')], rows: [['1', '01b2c3d4-0000-1111-2222-333344445555']] } },
  );
  home = snowflakeHome(fakeSection(server, `password = "${PASSWORD}"`));
  stateDir = tempDir('check-state');
});

afterAll(async () => {
  await server?.close();
});

function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'check', '-c', 'fake', '--runbook', RUNBOOK_FILE, ...args],
      { env: { PATH: process.env.PATH, HOME: stateDir, CI: 'true', SNOWFLAKE_HOME: home, DEMO_STATE_DIR: stateDir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

test('a warehouse left at LARGE, a failed refresh and a query still running each fail, with their fixes', async () => {
  const { code, stdout, stderr } = await demo([]);
  expect(stderr).toBe('');
  expect(stdout).toContain('[LIVE · SNOWFLAKE]');
  expect(stdout).toMatch(/✓ Connection, role and warehouse answer/);
  expect(stdout).toMatch(/✓ Each layer holds the counts the show starts from/);
  expect(stdout).toMatch(/AT_BASE_SIZE\.VALUE: not at its base size: expected 1, got 0; NOT_AT_SCALE_SIZE\.VALUE: still at the scale size/);
  expect(stdout).toContain('fix: Run: ALTER WAREHOUSE PHARMACY2U_DEMO_WH SET WAREHOUSE_SIZE = XSMALL AUTO_SUSPEND = 300 AUTO_RESUME = TRUE');
  expect(stdout).toMatch(/LAST_REFRESH_NOT_SUCCEEDED\.VALUE: expected 0, got 1/);
  expect(stdout).toContain('TABLE(PHARMACY2U_SILVER.INFORMATION_SCHEMA.DYNAMIC_TABLE_REFRESH_HISTORY(ERROR_ONLY => TRUE))');
  expect(stdout).toMatch(/RUNNING_QUERIES: statements tagged demo-runbook are still running from an earlier session: expected 0, got 1/);
  expect(stdout).toContain('3 of 10 checks failed: warehouse, dynamic-tables, running-queries.');
  expect(code).toBe(1);
  // Benchmarks ran uncached and tagged as ours.
  const bench = server.find(/HIGH_VALUE_PATIENTS/)!;
  expect(bench.parameters).toMatchObject({ USE_CACHED_RESULT: false, QUERY_TAG: expect.stringMatching(/^demo-runbook:.*:benchmark-high-value$/) });
});

test('the live check is recorded with its query ids, and no secret reaches .demo/', async () => {
  const { code, stdout } = await demo(['--json']);
  expect(code).toBe(1);
  const document = JSON.parse(stdout);
  expect(document).toMatchObject({ engine: 'snowflake', source: 'LIVE', ok: false, counts: { pass: 7, fail: 3, skip: 0 } });
  const warehouse = document.checks.find((c: { id: string }) => c.id === 'warehouse');
  expect(warehouse.queryIds[0]).toMatch(/^[0-9a-f-]{36}$/);
  const ref = listRecordings(stateDir).find((r) => r.id === document.recording)!;
  const recording = readRecording(ref.file)!;
  expect(recording).toMatchObject({ command: 'check', engine: 'snowflake' });
  expect(recording.entries.find((e) => e.stepId === 'warehouse')).toMatchObject({ check: { status: 'fail' }, queries: [{ queryId: warehouse.queryIds[0] }] });
  for (const { file, text: content } of filesUnder(stateDir)) {
    expect(content, file).not.toContain(PASSWORD);
  }
});
