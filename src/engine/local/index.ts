/**
 * The local engine: the runbook's SQL, for real, on an embedded DuckDB.
 *
 * State lives beside one main database file (`.demo/local.duckdb`, or $DEMO_LOCAL_DB): each
 * Snowflake database the SQL creates is a DuckDB file next to it (`local.PHARMACY2U_BRONZE.duckdb`,
 * ...), attached under its own name so that three-part names work unchanged. The main file keeps
 * the definitions of the dynamic tables, which are plain tables here, rebuilt on REFRESH.
 *
 * DuckDB is imported on first connect, never at module load: rehearsal must not pay for it.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { DuckDBConnection, DuckDBInstance, DuckDBResult } from '@duckdb/node-api';
import { throwIfAborted } from '../../core/abort.js';
import { changedObjects } from '../../runbook/objects.js';
import type { EngineOptions } from '../create.js';
import { assertAllowed } from '../guard.js';
import { CancelledError, EngineError, type Cell, type Column, type Engine, type RunOptions, type StatementRequest, type StatementResult } from '../types.js';
import { translate, type Action } from './dialect.js';
import { columnType, toCell } from './values.js';

export const LOCAL_DB_ENV = 'DEMO_LOCAL_DB';

/** The main database file: $DEMO_LOCAL_DB, else `local.duckdb` in the state directory. */
export function localDatabasePath(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[LOCAL_DB_ENV] || path.join(stateDir, 'local.duckdb'));
}

export async function createLocalEngine(options: EngineOptions): Promise<Engine> {
  return new LocalEngine({ file: localDatabasePath(options.stateDir) });
}

type Outcome = Omit<StatementResult, 'elapsedMs' | 'source'>;

const RESERVED_CATALOGS = new Set(['SYSTEM', 'TEMP', 'MEMORY']);
/** How often a long statement reports its progress. */
const PROGRESS_EVERY_MS = 1000;
/** While counting the rows of a large result, collect the chunks already counted this often. */
const COLLECT_EVERY_CHUNKS = 64;

let collector: ((options: { type: 'minor' }) => void) | undefined;
/**
 * Each chunk DuckDB hands over holds native memory that V8 cannot see, and counting rows allocates
 * almost nothing on the JS heap, so no collection ever runs: a 10-million-row result would keep
 * ~300 MB of spent chunks alive. A young-generation collection every few dozen chunks frees them
 * (the peak stays near 100 MB). `gc` is taken from a fresh context, so the app's global is untouched.
 */
function collectSpentChunks(): void {
  if (!collector) {
    v8.setFlagsFromString('--expose-gc');
    collector = vm.runInNewContext('gc') as typeof collector;
  }
  collector!({ type: 'minor' });
}

/** Snowflake functions the runbook's SQL uses, as DuckDB macros (JSON stands in for VARIANT). */
const SNOWFLAKE_FUNCTIONS = [
  `CREATE OR REPLACE TEMP MACRO PARSE_JSON(text) AS CAST(text AS JSON)`,
  `CREATE OR REPLACE TEMP MACRO GET_PATH(value, json_path) AS json_extract_string(value, '$.' || json_path)`,
  // Snowflake's REGEXP_LIKE matches the whole subject.
  `CREATE OR REPLACE TEMP MACRO REGEXP_LIKE(subject, pattern) AS regexp_full_match(subject, pattern)`,
];

function quoteName(normalized: string): string {
  return normalized
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function status(message: string, notice?: string): Outcome {
  return { columns: [{ name: 'status', type: 'text' }], rows: [[message]], rowCount: 1, truncated: false, notice };
}

function toEngineError(error: unknown): EngineError {
  const text = error instanceof Error ? error.message : String(error);
  const message = text.split(/\n\s*\n/)[0]!.trim();
  const kind = /^(\w[\w ]*?) Error:/.exec(message)?.[1];
  const missing = (kind === 'Catalog' || kind === 'Binder') && /does not exist/.test(message);
  return new EngineError(message, {
    code: kind ? kind.toUpperCase().replace(/ /g, '_') : undefined,
    hint: missing ? 'the local database does not have this yet: build the pipeline on the local engine first' : undefined,
    cause: error,
  });
}

export class LocalEngine implements Engine {
  readonly kind = 'local' as const;
  private readonly file: string;
  private readonly threads: number;
  private instance?: DuckDBInstance;
  private connection?: DuckDBConnection;
  private mainCatalog = '';
  private opening?: Promise<void>;
  /** One statement at a time on the one connection, whoever calls. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The process's file-creation mask before this engine made its files owner-only. */
  private savedUmask?: number;

  constructor(options: { file: string; threads?: number }) {
    this.file = path.resolve(options.file);
    this.threads = options.threads ?? availableParallelism();
  }

  async connect(signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async open(): Promise<void> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // DuckDB creates its files (databases, WAL, spill) with the process's mask: owner-only, like
    // everything else under .demo/. Only the main thread may set it (tests run engines in workers).
    try {
      this.savedUmask ??= process.umask(0o077);
    } catch {
      // a worker thread: the files keep the default mode
    }
    try {
      // Insertion order is what makes CREATE TABLE AS single-threaded at the sink; nothing here
      // relies on it (every query that shows rows in an order says ORDER BY).
      this.instance = await DuckDBInstance.create(this.file, {
        threads: String(this.threads),
        preserve_insertion_order: 'false',
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new EngineError(`cannot open the local database ${this.file}: ${reason}`, {
        hint: `another demo may be using it; or point ${LOCAL_DB_ENV} at another file`,
        cause: error,
      });
    }
    try {
      const connection = await this.instance.connect();
      const rows = (await connection.runAndReadAll('SELECT current_database()')).getRows();
      this.mainCatalog = String(rows[0]![0]);
      for (const name of this.databaseFiles()) {
        await connection.run(`ATTACH ${literal(this.databaseFile(name))} AS ${quoteName(name)}`);
      }
      await connection.run(`CREATE TABLE IF NOT EXISTS ${this.definitions()} (name VARCHAR PRIMARY KEY, query VARCHAR NOT NULL)`);
      for (const sql of SNOWFLAKE_FUNCTIONS) await connection.run(sql);
      // The runbook's SQL may touch only the databases beside the main file: no reading or writing
      // other files (read_text('/etc/…'), COPY … TO), no extensions from disk. DuckDB cannot turn
      // this back on while the database is open.
      await connection.run(`SET allowed_directories = [${literal(`${path.dirname(this.file)}${path.sep}`)}]`);
      await connection.run('SET enable_external_access = false');
      this.connection = connection;
    } catch (error) {
      this.instance.closeSync();
      this.instance = undefined;
      throw toEngineError(error);
    }
  }

  run(request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    const next = this.queue.then(async () => {
      throwIfAborted(options.signal);
      assertAllowed(request, 'duckdb');
      await this.connect(options.signal);
      const started = performance.now();
      const outcome = await this.perform(translate(request.sql), options);
      return { ...outcome, elapsedMs: performance.now() - started, source: 'local' as const };
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    this.connection?.closeSync();
    this.instance?.closeSync();
    this.connection = undefined;
    this.instance = undefined;
    this.opening = undefined;
    if (this.savedUmask !== undefined) process.umask(this.savedUmask);
    this.savedUmask = undefined;
  }

  /**
   * What would stop a step halfway on this machine's database, checked before it changes anything:
   * a refresh of a dynamic table whose definition is not here (the main file was lost or replaced),
   * a clone whose source table or database does not exist. Objects the step itself creates first count.
   */
  async preflight(statements: readonly StatementRequest[], signal: AbortSignal): Promise<string[]> {
    await this.connect(signal);
    const next = this.queue.then(async () => {
      const connection = this.connection!;
      const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRows().map((r) => r.map((v) => String(v).toUpperCase()));
      const tables = new Set((await rows('SELECT database_name, schema_name, table_name FROM duckdb_tables()')).map((r) => r.join('.')));
      const dynamic = new Set((await rows(`SELECT name FROM ${this.definitions()}`)).map((r) => r[0]!));
      const databases = await this.attachedDatabases();
      const problems: string[] = [];
      const where = (s: StatementRequest) => (s.file ? ` (${s.file})` : '');
      for (const statement of statements) {
        const action = translate(statement.sql);
        if (action.kind === 'create-database') {
          if (action.cloneOf && !databases.has(action.cloneOf)) problems.push(`database ${action.cloneOf}, which ${action.name} is cloned from, does not exist on the local engine${where(statement)}`);
          databases.add(action.name);
        } else if (action.kind === 'drop-database') {
          databases.delete(action.name);
        } else if (action.kind === 'create-dynamic-table') {
          dynamic.add(action.name.toUpperCase());
          tables.add(action.name.toUpperCase());
        } else if (action.kind === 'refresh-dynamic-table' && !dynamic.has(action.name.toUpperCase())) {
          problems.push(
            `${action.name} is not a dynamic table on the local engine: its definition is kept in ${path.basename(this.file)}, which does not have it (was it deleted or replaced?); run the step that creates it (build-pipeline) again${where(statement)}`,
          );
        } else if (action.kind === 'sql') {
          const source = action.clone?.source.toUpperCase();
          if (source && source.split('.').length === 3 && !tables.has(source)) {
            problems.push(`table ${action.clone!.source}, which ${action.clone!.name} is cloned from, does not exist on the local engine${where(statement)}`);
          }
          for (const object of changedObjects(action.sql, 'duckdb').objects) {
            if (object.kind === 'table' && /^(create|replace)/.test(object.action)) tables.add(object.name.toUpperCase());
          }
          if (action.clone) tables.add(action.clone.name.toUpperCase());
        }
      }
      return [...new Set(problems)];
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async perform(action: Action, options: RunOptions): Promise<Outcome> {
    switch (action.kind) {
      case 'noop':
        return status(`Skipped: ${action.what} is a no-op on DuckDB.`, action.notice);
      case 'unsupported':
        throw new EngineError(`${action.message}`, {
          code: 'UNSUPPORTED',
          hint: 'give this SQL file a DuckDB twin under sql/duckdb/ (same path)',
        });
      case 'sql': {
        const outcome = await this.execute(action.sql, options);
        return action.notice ? { ...outcome, notice: action.notice } : outcome;
      }
      case 'create-database':
        return this.createDatabase(action, options);
      case 'drop-database':
        return this.dropDatabase(action);
      case 'create-dynamic-table':
        return this.createDynamicTable(action, options);
      case 'refresh-dynamic-table':
        return this.refreshDynamicTable(action.name, options);
    }
  }

  /** Runs one statement, streaming its result: only `maxRows` rows are ever converted and kept. */
  private async execute(sql: string, options: RunOptions): Promise<Outcome> {
    const connection = this.connection!;
    const { signal } = options;
    // Interrupt again until the statement gives up: an interrupt that lands before DuckDB has
    // started executing is forgotten when execution starts.
    let insisting: ReturnType<typeof setInterval> | undefined;
    const interrupt = () => {
      connection.interrupt();
      insisting = setInterval(() => connection.interrupt(), 250);
    };
    signal.addEventListener('abort', interrupt, { once: true });
    options.onProgress?.({ state: 'RUNNING' });
    const ticker = options.onProgress
      ? setInterval(() => {
          const { percentage } = connection.progress;
          options.onProgress!({ state: 'RUNNING', detail: percentage >= 0 ? `${Math.floor(percentage)}%` : undefined });
        }, PROGRESS_EVERY_MS)
      : undefined;
    try {
      throwIfAborted(signal);
      const result = await connection.stream(sql);
      return await this.read(result, options);
    } catch (error) {
      if (signal.aborted || error instanceof CancelledError) throw new CancelledError();
      throw toEngineError(error);
    } finally {
      clearInterval(ticker);
      clearInterval(insisting);
      signal.removeEventListener('abort', interrupt);
    }
  }

  private async read(result: DuckDBResult, options: RunOptions): Promise<Outcome> {
    const { JsonDuckDBValueConverter, ResultReturnType, StatementType } = await import('@duckdb/node-api');
    const columns: Column[] = result.columnNames().map((name, i) => ({ name, type: columnType(result.columnType(i)) }));
    const rows: Cell[][] = [];
    let rowCount = 0;
    for (let chunks = 1; ; chunks++) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      if (options.signal.aborted) throw new CancelledError();
      if (chunks % COLLECT_EVERY_CHUNKS === 0) collectSpentChunks();
      if (rows.length < options.maxRows) {
        for (const row of chunk.convertRows(JsonDuckDBValueConverter).slice(0, options.maxRows - rows.length)) {
          rows.push(row.map((value, i) => toCell(value, columns[i]!.type)));
        }
      }
      rowCount += chunk.rowCount;
    }
    // Statements that are not queries answer as Snowflake does: a count of rows written, or a status.
    if (result.returnType === ResultReturnType.CHANGED_ROWS) {
      const changed = Number(rows[0]?.[0] ?? result.rowsChanged);
      const verb = { [StatementType.UPDATE]: 'updated', [StatementType.DELETE]: 'deleted' }[result.statementType as number] ?? 'inserted';
      return { columns: [{ name: `number of rows ${verb}`, type: 'number' }], rows: [[changed]], rowCount: 1, truncated: false };
    }
    if (result.statementType === StatementType.CREATE && columns.length === 1 && columns[0]!.name === 'Count' && rows.length === 1) {
      return status(`Table successfully created (${Number(rows[0]![0]).toLocaleString('en-GB')} rows).`);
    }
    if (result.statementType !== StatementType.SELECT && rowCount === 0) return status('Statement executed successfully.');
    return { columns, rows, rowCount, truncated: rowCount > rows.length };
  }

  private async createDatabase(action: Extract<Action, { kind: 'create-database' }>, options: RunOptions): Promise<Outcome> {
    const { name, cloneOf } = action;
    if (RESERVED_CATALOGS.has(name) || name === this.mainCatalog.toUpperCase()) {
      throw new EngineError(`'${name}' is reserved on the local engine: choose another database name`);
    }
    const attached = await this.attachedDatabases();
    if (attached.has(name)) {
      if (action.ifNotExists) return status(`${name} already exists, statement succeeded.`);
      if (!action.replace) throw new EngineError(`Object '${name}' already exists.`);
    }
    if (cloneOf && !attached.has(cloneOf)) throw new EngineError(`Database '${cloneOf}' does not exist.`);
    if (attached.has(name)) await this.forgetDatabase(name);
    await this.connection!.run(`ATTACH ${literal(this.databaseFile(name))} AS ${quoteName(name)}`);
    if (!cloneOf) return status(`Database ${name} successfully created.`);
    await this.execute(`COPY FROM DATABASE ${quoteName(cloneOf)} TO ${quoteName(name)}`, options);
    return status(`Database ${name} successfully created.`, 'zero-copy clone: a full copy on DuckDB');
  }

  private async dropDatabase(action: Extract<Action, { kind: 'drop-database' }>): Promise<Outcome> {
    if (!(await this.attachedDatabases()).has(action.name)) {
      if (action.ifExists) return status(`Drop statement executed successfully (${action.name} already dropped).`);
      throw new EngineError(`Database '${action.name}' does not exist.`);
    }
    await this.forgetDatabase(action.name);
    return status(`${action.name} successfully dropped.`);
  }

  /** Detaches a database, deletes its file and the definitions of its dynamic tables. */
  private async forgetDatabase(name: string): Promise<void> {
    await this.connection!.run(`DETACH DATABASE ${quoteName(name)}`);
    const file = this.databaseFile(name);
    rmSync(file, { force: true });
    rmSync(`${file}.wal`, { force: true });
    await this.connection!.run(`DELETE FROM ${this.definitions()} WHERE starts_with(name, ${literal(`${name}.`)})`);
  }

  private async createDynamicTable(action: Extract<Action, { kind: 'create-dynamic-table' }>, options: RunOptions): Promise<Outcome> {
    const { name, query } = action;
    if (action.ifNotExists && (await this.definition(name)) !== undefined) {
      return status(`${name} already exists, statement succeeded.`);
    }
    const rows = await this.rebuild(name, action.replace ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE', query, options);
    await this.connection!.run(`INSERT OR REPLACE INTO ${this.definitions()} VALUES ($1, $2)`, [name, query]);
    const table = name.split('.').pop();
    return status(`Dynamic table ${table} successfully created (${rows.toLocaleString('en-GB')} rows).`, 'dynamic table: a plain table on DuckDB, rebuilt in full on REFRESH');
  }

  private async refreshDynamicTable(name: string, options: RunOptions): Promise<Outcome> {
    const query = await this.definition(name);
    if (query === undefined) {
      throw new EngineError(`${name} is not a dynamic table on the local engine`, {
        hint: 'create it with CREATE DYNAMIC TABLE first (the SILVER step of build-pipeline)',
      });
    }
    const rows = await this.rebuild(name, 'CREATE OR REPLACE TABLE', query, options);
    const table = name.split('.').pop();
    return status(`Dynamic table ${table} refreshed: full rebuild, ${rows.toLocaleString('en-GB')} rows.`, 'dynamic table: a plain table on DuckDB, rebuilt in full on REFRESH');
  }

  /** Builds a table from a query; returns its row count. */
  private async rebuild(name: string, create: string, query: string, options: RunOptions): Promise<number> {
    await this.execute(`${create} ${quoteName(name)} AS ${query}`, options);
    const reader = await this.connection!.runAndReadAll(`SELECT COUNT(*) FROM ${quoteName(name)}`);
    return Number(reader.getRows()[0]![0]);
  }

  private async definition(name: string): Promise<string | undefined> {
    const reader = await this.connection!.runAndReadAll(`SELECT query FROM ${this.definitions()} WHERE name = $1`, [name]);
    const row = reader.getRows()[0];
    return row ? String(row[0]) : undefined;
  }

  private async attachedDatabases(): Promise<Set<string>> {
    const reader = await this.connection!.runAndReadAll('SELECT database_name FROM duckdb_databases() WHERE NOT internal');
    return new Set(reader.getRows().map((row) => String(row[0]).toUpperCase()));
  }

  private definitions(): string {
    return `${quoteName(this.mainCatalog)}.main.demo_dynamic_tables`;
  }

  /** `.demo/local.duckdb` → `.demo/local.PHARMACY2U_BRONZE.duckdb`. */
  private databaseFile(name: string): string {
    const { dir, name: stem } = path.parse(this.file);
    return path.join(dir, `${stem}.${name}.duckdb`);
  }

  private databaseFiles(): string[] {
    const { dir, name: stem } = path.parse(this.file);
    if (!existsSync(dir)) return [];
    const prefix = `${stem}.`;
    return readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && f.endsWith('.duckdb'))
      .map((f) => f.slice(prefix.length, -'.duckdb'.length))
      .filter((name) => /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name))
      .sort();
  }
}
