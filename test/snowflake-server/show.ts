/**
 * The Pharmacy2U show as the fake Snowflake answers it: every statement of runbook.yml's steps,
 * restore, teardown and checklist gets a plausible answer from a small model of the account (the
 * warehouse and its size, which databases exist, how many copies each BRONZE table holds, each
 * dynamic table's schedule and what it last refreshed from). Each statement keeps, in its plan's
 * note, the warehouse size and the dynamic tables' state it found, so tests can assert the order
 * that matters. A statement the script does not know fails, naming itself: a show that grows must
 * grow its script.
 *
 * Long effects (the scale's CREATE TABLE AS) take effect when the statement ends, not when it
 * starts, and not at all when it was cancelled, as on Snowflake.
 */
import type { FakeColumn, FakeQuery, FakeSnowflake, Plan, Rule } from './server.js';

const BASE = { patients: 100_000, prescriptions: 500_809, governed: 477_612 };
/** What SHOW WAREHOUSES writes for each size. */
export const SHOW_SIZE: Record<string, string> = {
  XSMALL: 'X-Small', SMALL: 'Small', MEDIUM: 'Medium', LARGE: 'Large', XLARGE: 'X-Large', XXLARGE: '2X-Large',
};
const STATUS: FakeColumn[] = [{ name: 'status', type: 'text' }];
const ok = (message = 'Statement executed successfully.'): Plan => ({ columns: STATUS, rows: [[message]] });
const missing = (name: string): Plan => ({
  error: { code: '002003', sqlState: '02000', message: `SQL compilation error:\nObject '${name}' does not exist or not authorized.` },
});

type Silver = 'PATIENTS' | 'PRESCRIPTIONS';

export interface AccountState {
  warehouse?: { name: string; size: string; autoSuspend: number };
  databases: Set<string>;
  /** Copies of the base each BRONZE table holds (0: created, empty; undefined: absent). */
  bronze: { patients?: number; prescriptions?: number };
  originals: boolean;
  silver: Partial<Record<Silver, { scheduling: 'ACTIVE' | 'SUSPENDED'; copies: number }>>;
}

/** What a statement found when it arrived. */
export interface Found {
  size?: string;
  schedule: Partial<Record<Silver, string>>;
  tag: string;
}

interface Effect {
  table: 'patients' | 'prescriptions';
  copies: number;
}

export class FakeShow {
  readonly state: AccountState = { databases: new Set(), bronze: {}, originals: false, silver: {} };
  private readonly applied = new Set<string>();

  constructor(
    private readonly server: FakeSnowflake,
    /** How long each of the scale's CREATE TABLE AS runs on the "server". */
    private readonly scaleMs = 300,
  ) {}

  /** The rule to give `FakeSnowflake.script`: every statement but those the server answers itself. */
  rule(): Rule {
    return {
      match: (sql) => !/query_history_by_session|^select system\$cancel_query\(/i.test(sql),
      plan: (query) => {
        this.settle();
        const found: Found = {
          size: this.state.warehouse?.size,
          schedule: Object.fromEntries(Object.entries(this.state.silver).map(([k, v]) => [k, v?.scheduling])),
          tag: String(query.parameters?.QUERY_TAG ?? ''),
        };
        const plan = this.answer(query);
        return { ...plan, note: { ...plan.note, found } };
      },
    };
  }

  /** What the statement found when it arrived (see Found). */
  static found(query: FakeQuery): Found {
    return query.plan.note!.found as Found;
  }

  /** Applies the effects of long statements that have ended (and were not cancelled) by now. */
  settle(): void {
    for (const q of this.server.statements) {
      const effect = q.plan.note?.effect as Effect | undefined;
      if (!effect || this.applied.has(q.id) || q.abortedAt !== undefined || q.startedAt + (q.plan.runMs ?? 0) > Date.now()) continue;
      this.applied.add(q.id);
      this.state.bronze[effect.table] = effect.copies;
    }
  }

  /** Statements tagged by the demo, still running, in sessions other than `sessionId`. */
  private oursElsewhere(sessionId: number | undefined): FakeQuery[] {
    const now = Date.now();
    return this.server.statements.filter(
      (q) =>
        String(q.parameters.QUERY_TAG ?? '').startsWith('demo-runbook:') &&
        q.sessionId !== sessionId &&
        q.abortedAt === undefined &&
        q.startedAt + (q.plan.runMs ?? 0) > now,
    );
  }

  private counts(): Record<string, number> {
    const { bronze, silver } = this.state;
    return {
      RAW_PATIENTS: BASE.patients * (bronze.patients ?? 0),
      RAW_PRESCRIPTIONS: BASE.prescriptions * (bronze.prescriptions ?? 0),
      PATIENTS: BASE.patients * (silver.PATIENTS?.copies ?? 0),
      PRESCRIPTIONS: BASE.governed * (silver.PRESCRIPTIONS?.copies ?? 0),
      V_PATIENT_360: BASE.patients * (silver.PATIENTS?.copies ?? 0),
    };
  }

  private answer(query: Pick<FakeQuery, 'sql'> & Partial<FakeQuery>): Plan {
    const sql = query.sql.trim();
    const s = this.state;
    let m: RegExpExecArray | null;

    // --- warehouse ---------------------------------------------------------------------------
    if ((m = /^USE WAREHOUSE (\w+)/i.exec(sql))) return s.warehouse?.name === m[1]!.toUpperCase() ? ok() : missing(m[1]!);
    if ((m = /^CREATE WAREHOUSE IF NOT EXISTS (\w+)[\s\S]*?WAREHOUSE_SIZE = (\w+)[\s\S]*?AUTO_SUSPEND = (\d+)/i.exec(sql))) {
      s.warehouse ??= { name: m[1]!.toUpperCase(), size: m[2]!.toUpperCase(), autoSuspend: Number(m[3]) };
      return ok(`Warehouse ${m[1]} successfully created.`);
    }
    if ((m = /^ALTER WAREHOUSE (IF EXISTS )?(\w+) SET[\s\S]*?WAREHOUSE_SIZE = (\w+)/i.exec(sql))) {
      if (!s.warehouse) return m[1] ? ok() : missing(m[2]!);
      s.warehouse.size = m[3]!.toUpperCase();
      const suspend = /AUTO_SUSPEND = (\d+)/i.exec(sql);
      if (suspend) s.warehouse.autoSuspend = Number(suspend[1]);
      return ok();
    }
    if (/^SHOW WAREHOUSES LIKE[\s\S]*->>\s*WITH sized/i.test(sql)) {
      const base = /'AT_BASE_SIZE', IFF\(SIZE = '(\w+)'/.exec(sql)![1];
      const scale = /'NOT_AT_SCALE_SIZE', IFF\(SIZE = '(\w+)'/.exec(sql)![1];
      const suspend = Number(/"auto_suspend" = (\d+)/.exec(sql)![1]);
      const w = s.warehouse;
      const shown = w ? SHOW_SIZE[w.size]! : null;
      return {
        columns: [{ name: 'CHECK_NAME', type: 'text' }, { name: 'VALUE', type: 'fixed' }, { name: 'ACTUAL', type: 'text' }],
        rows: [
          ['WAREHOUSE_EXISTS', w ? '1' : '0', w ? '1' : '0'],
          ...(w
            ? [
                ['AT_BASE_SIZE', w.size === base ? '1' : '0', shown],
                ['NOT_AT_SCALE_SIZE', w.size === scale ? '0' : '1', shown],
                ['AUTO_SUSPEND_AS_EXPECTED', w.autoSuspend === suspend ? '1' : '0', String(w.autoSuspend)],
                ['AUTO_RESUME_ON', '1', 'true'],
              ]
            : []),
        ],
      };
    }
    if (/^SHOW WAREHOUSES LIKE[\s\S]*->>\s*SELECT\s+"name" AS WAREHOUSE/i.test(sql)) {
      const w = s.warehouse;
      return {
        columns: ['WAREHOUSE', 'SIZE', 'AUTO_SUSPEND_SECONDS', 'AUTO_RESUME', 'STATE'].map((name): FakeColumn => ({ name, type: name === 'AUTO_SUSPEND_SECONDS' ? 'fixed' : 'text' })),
        rows: w ? [[w.name, SHOW_SIZE[w.size]!, String(w.autoSuspend), 'true', 'SUSPENDED']] : [],
      };
    }
    if (/CURRENT_ROLE\(\) AS ROLE_NAME/.test(sql)) {
      return {
        columns: [{ name: 'ROLE_NAME', type: 'text' }, { name: 'WAREHOUSE_NAME', type: 'text' }, { name: 'ON_DEMO_WAREHOUSE', type: 'fixed' }],
        rows: [['PHARMACY2U_DEMO_ROLE', s.warehouse?.name ?? null, s.warehouse ? '1' : '0']],
      };
    }

    // --- databases, seed, SILVER, GOLD -------------------------------------------------------
    if ((m = /^CREATE DATABASE IF NOT EXISTS (\w+)/i.exec(sql))) {
      s.databases.add(m[1]!.toUpperCase());
      return ok(`Database ${m[1]} successfully created.`);
    }
    if (/^CREATE SCHEMA IF NOT EXISTS/i.test(sql)) return ok('Schema successfully created.');
    if ((m = /^CREATE OR REPLACE TABLE \S+\.(REF_\w+)/i.exec(sql))) return ok(`Table ${m[1]} successfully created.`);
    if ((m = /^CREATE OR REPLACE TABLE \S+\.RAW_(PATIENTS|PRESCRIPTIONS) \(/i.exec(sql))) {
      s.bronze[m[1]!.toLowerCase() as 'patients' | 'prescriptions'] = 0;
      return ok(`Table RAW_${m[1]} successfully created.`);
    }
    if (/^CREATE OR REPLACE FUNCTION/i.test(sql)) return ok('Function successfully created.');
    if ((m = /^INSERT INTO \S+\.RAW_(PATIENTS|PRESCRIPTIONS)\b/i.exec(sql))) {
      const table = m[1]!.toLowerCase() as 'patients' | 'prescriptions';
      s.bronze[table] = 1;
      return { columns: [{ name: 'number of rows inserted', type: 'fixed' }], rows: [[String(BASE[table])]] };
    }
    if (/^CREATE OR REPLACE VIEW/i.test(sql)) return ok('View successfully created.');
    if ((m = /^CREATE OR REPLACE DYNAMIC TABLE \S+\.(PATIENTS|PRESCRIPTIONS)\b/i.exec(sql))) {
      const name = m[1]!.toUpperCase() as Silver;
      s.silver[name] = { scheduling: 'ACTIVE', copies: s.bronze[name === 'PATIENTS' ? 'patients' : 'prescriptions'] ?? 0 };
      return ok(`Dynamic table ${name} successfully created.`);
    }
    if ((m = /^ALTER DYNAMIC TABLE \S+\.(PATIENTS|PRESCRIPTIONS) (SUSPEND|RESUME|REFRESH)/i.exec(sql))) {
      const name = m[1]!.toUpperCase() as Silver;
      const table = s.silver[name];
      if (!table) return missing(name);
      const verb = m[2]!.toUpperCase();
      if (verb === 'REFRESH') table.copies = s.bronze[name === 'PATIENTS' ? 'patients' : 'prescriptions'] ?? 0;
      else table.scheduling = verb === 'SUSPEND' ? 'SUSPENDED' : 'ACTIVE';
      return ok();
    }
    if (/^SHOW DYNAMIC TABLES[\s\S]*->>[\s\S]*REFRESH_ACTION/i.test(sql)) {
      return {
        columns: ['DYNAMIC_TABLE', 'REFRESH_ACTION', 'STATE', 'SCHEDULING_STATE'].map((name): FakeColumn => ({ name, type: 'text' })),
        rows: (['PATIENTS', 'PRESCRIPTIONS'] as const).filter((n) => s.silver[n]).map((n) => [n, 'REINITIALIZE', 'SUCCEEDED', s.silver[n]!.scheduling]),
      };
    }
    if (/^SHOW DYNAMIC TABLES[\s\S]*->>\s*SELECT "name" AS DYNAMIC_TABLE, "scheduling_state"/i.test(sql)) {
      return {
        columns: [{ name: 'DYNAMIC_TABLE', type: 'text' }, { name: 'SCHEDULING_STATE', type: 'text' }],
        rows: (['PATIENTS', 'PRESCRIPTIONS'] as const).filter((n) => s.silver[n]).map((n) => [n, s.silver[n]!.scheduling]),
      };
    }

    // --- counts, quality, benchmarks ---------------------------------------------------------
    if (/^SELECT LAYER, "OBJECT", ROW_COUNT/i.test(sql)) {
      if (s.bronze.patients === undefined || !s.silver.PATIENTS) return missing('PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS');
      const c = this.counts();
      return {
        columns: [{ name: 'LAYER', type: 'text' }, { name: 'OBJECT', type: 'text' }, { name: 'ROW_COUNT', type: 'fixed' }],
        rows: [
          ['BRONZE', 'RAW_PATIENTS'], ['BRONZE', 'RAW_PRESCRIPTIONS'], ['SILVER', 'PATIENTS'], ['SILVER', 'PRESCRIPTIONS'], ['GOLD', 'V_PATIENT_360'],
        ].map(([layer, object]) => [layer!, object!, String(c[object!])]),
      };
    }
    const governed = s.silver.PRESCRIPTIONS?.copies ?? 0;
    const patients = s.silver.PATIENTS?.copies ?? 0;
    if (/FROM \S+\.V_QUALITY_REJECTS/i.test(sql)) {
      const rules: Array<[string, string, number]> = [
        ['NHS_NUMBER_CHECK_DIGIT', 'RAW_PATIENTS', 0], ['MISSING_DATE_OF_BIRTH', 'RAW_PATIENTS', 0], ['NULL_PATIENT_ID', 'RAW_PRESCRIPTIONS', 4200],
        ['ORPHAN_PATIENT_ID', 'RAW_PRESCRIPTIONS', 5700], ['NON_POSITIVE_QUANTITY', 'RAW_PRESCRIPTIONS', 6900], ['NEGATIVE_PRICE', 'RAW_PRESCRIPTIONS', 5300],
        ['MALFORMED_BNF_CODE', 'RAW_PRESCRIPTIONS', 3897], ['ANY_RULE', 'RAW_PRESCRIPTIONS', 23197],
      ];
      return {
        columns: [{ name: 'RULE_NAME', type: 'text' }, { name: 'SOURCE_TABLE', type: 'text' }, { name: 'REJECTED_ROWS', type: 'fixed' }],
        rows: rules.map(([rule, table, n]) => [rule, table, String(n * governed)]),
      };
    }
    if (/SELECT CHECK_NAME, "VALUE"[\s\S]*ORPHANED_PRESCRIPTIONS/i.test(sql)) {
      const checks: Array<[string, number]> = [
        ['ORPHANED_PRESCRIPTIONS', 0], ['DUPLICATE_PATIENT_IDS', 0], ['DUPLICATE_NHS_NUMBERS', 0], ['INVALID_NHS_NUMBERS', 0],
        ['DISTINCT_PRESCRIPTION_DATES', 2252], ['SILVER_PRESCRIPTIONS_VS_BASE', BASE.governed * governed],
      ];
      return { columns: [{ name: 'CHECK_NAME', type: 'text' }, { name: 'VALUE', type: 'fixed' }], rows: checks.map(([k, v]) => [k, String(v)]) };
    }
    if (/AS HIGH_VALUE_PATIENTS/i.test(sql)) return { columns: [{ name: 'HIGH_VALUE_PATIENTS', type: 'fixed' }], rows: [[String(974 * patients)]] };
    if (/AS PRESCRIPTIONS, SUM\(PRICE_GBP\) AS TOTAL_GBP/i.test(sql)) {
      return {
        columns: [{ name: 'DRUG_NAME', type: 'text' }, { name: 'PRESCRIPTIONS', type: 'fixed' }, { name: 'TOTAL_GBP', type: 'fixed', scale: 2 }],
        rows: [['Atorvastatin 20mg tablets', String(40579 * governed), (59536.05 * governed).toFixed(2)]],
      };
    }
    if (/AS AVG_LIFETIME_VALUE_GBP/i.test(sql)) {
      return {
        columns: [{ name: 'REGION', type: 'text' }, { name: 'PATIENTS', type: 'fixed' }, { name: 'AVG_LIFETIME_VALUE_GBP', type: 'fixed', scale: 2 }, { name: 'AVG_PRESCRIPTIONS', type: 'fixed', scale: 1 }],
        rows: [['London', String(25148 * patients), '97.88', '4.8']],
      };
    }

    // --- backups, scale, restore -------------------------------------------------------------
    if (/^EXECUTE IMMEDIATE \$\$[\s\S]*_ORIGINAL[\s\S]*RAISE not_base/i.test(sql)) {
      if (!s.originals && (s.bronze.patients !== 1 || s.bronze.prescriptions !== 1)) {
        return { error: { code: '-20001', sqlState: 'P0001', message: 'RAW_PATIENTS / RAW_PRESCRIPTIONS do not hold the 100,000 / 500,809 base rows' } };
      }
      s.originals = true;
      return { columns: [{ name: 'anonymous block', type: 'text' }], rows: [['originals in place']] };
    }
    if ((m = /^CREATE OR REPLACE TABLE \S+\.RAW_(PATIENTS|PRESCRIPTIONS) CLONE \S+_ORIGINAL$/i.exec(sql))) {
      if (!s.originals) return missing(`RAW_${m[1]}_ORIGINAL`);
      s.bronze[m[1]!.toLowerCase() as 'patients' | 'prescriptions'] = 1;
      return ok(`Table RAW_${m[1]} successfully created.`);
    }
    if (/^CREATE OR REPLACE (TABLE|DATABASE) \S+_BACKUP CLONE/i.test(sql)) return ok('successfully created.');
    if (/^SELECT "BACKUP", ROW_COUNT/i.test(sql)) {
      if (!s.originals) return missing('PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS_ORIGINAL');
      const backups = /RAW_PATIENTS_BACKUP/.test(sql);
      return {
        columns: [{ name: 'BACKUP', type: 'text' }, { name: 'ROW_COUNT', type: 'fixed' }],
        rows: [
          ['RAW_PATIENTS_ORIGINAL', String(BASE.patients)], ['RAW_PRESCRIPTIONS_ORIGINAL', String(BASE.prescriptions)],
          ...(backups ? [['RAW_PATIENTS_BACKUP', String(BASE.patients)], ['RAW_PRESCRIPTIONS_BACKUP', String(BASE.prescriptions)]] : []),
        ],
      };
    }
    if ((m = /^CREATE OR REPLACE TABLE \S+\.RAW_(PATIENTS|PRESCRIPTIONS) AS[\s\S]*?(?:PATIENT|PRESCRIPTION)_ID \* (\d+) \+ c\.COPY_NO/i.exec(sql))) {
      const effect: Effect = { table: m[1]!.toLowerCase() as Effect['table'], copies: Number(m[2]) };
      return { ...ok(`Table RAW_${m[1]} successfully created.`), runMs: this.scaleMs, states: ['QUEUED', 'RUNNING'], note: { effect } };
    }
    if (/^ALTER TABLE \S+ (ALTER COLUMN \w+ SET NOT NULL|SET CHANGE_TRACKING = TRUE)$/i.test(sql)) return ok();
    if (/^SELECT TABLE_NAME, ROW_COUNT/i.test(sql)) {
      const c = this.counts();
      return {
        columns: [{ name: 'TABLE_NAME', type: 'text' }, { name: 'ROW_COUNT', type: 'fixed' }],
        rows: [['RAW_PATIENTS', String(c.RAW_PATIENTS)], ['RAW_PRESCRIPTIONS', String(c.RAW_PRESCRIPTIONS)]],
      };
    }
    if (/^EXECUTE IMMEDIATE \$\$[\s\S]*SYSTEM\$CANCEL_QUERY/i.test(sql)) {
      const running = this.oursElsewhere(query.sessionId);
      for (const q of running) {
        q.abortedAt = Date.now();
        this.server.aborts.push(q.id);
      }
      const text = running.length ? `${running.length} statement(s) of ours were running elsewhere: cancelled` : 'nothing of ours was running elsewhere';
      return { columns: [{ name: 'anonymous block', type: 'text' }], rows: [[text]] };
    }

    // --- checklist ---------------------------------------------------------------------------
    if (/DYNAMIC_TABLE_GRAPH_HISTORY/i.test(sql)) {
      if (!s.databases.has('PHARMACY2U_SILVER')) return missing('PHARMACY2U_SILVER');
      const tables = Object.values(s.silver);
      return {
        columns: [{ name: 'CHECK_NAME', type: 'text' }, { name: 'VALUE', type: 'fixed' }],
        rows: [
          ['DYNAMIC_TABLES_FOUND', String(tables.length)], ['NOT_ACTIVE', String(tables.filter((t) => t?.scheduling !== 'ACTIVE').length)],
          ['LAST_REFRESH_NOT_SUCCEEDED', '0'], ['OVER_TARGET_LAG', '0'],
        ],
      };
    }
    const shown = /^SHOW DATABASES LIKE '(\w+)'\s*->>/i.exec(sql);
    if (shown) {
      return { columns: [{ name: 'DEMO_DATABASE_EXISTS', type: 'fixed' }], rows: [[s.databases.has(shown[1]!.toUpperCase()) ? '1' : '0']] };
    }
    const history = /FROM TABLE\((\w+)\.INFORMATION_SCHEMA\.QUERY_HISTORY_BY_USER/i.exec(sql);
    if (history) {
      if (!s.databases.has(history[1]!.toUpperCase())) return missing(history[1]!.toUpperCase());
      const running = this.oursElsewhere(query.sessionId);
      return {
        columns: [{ name: 'RUNNING_QUERIES', type: 'fixed' }, { name: 'QUERY_IDS', type: 'text' }],
        rows: [[String(running.length), running.map((q) => q.id).join(', ')]],
      };
    }
    return { error: { code: '000001', sqlState: '42000', message: `fake show: no answer scripted for: ${sql.slice(0, 100)}` } };
  }
}
