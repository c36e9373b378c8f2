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
import { codeOnly } from '../../runbook/sql.js';
import type { EngineOptions } from '../create.js';
import { assertAllowed } from '../guard.js';
import { CancelledError, EngineError, type Cell, type Column, type Engine, type RunOptions, type StatementRequest, type StatementResult } from '../types.js';
import { macroFor, NOTICE, translate, type Action } from './dialect.js';
import { resolveResources } from './resources.js';
import { privateDir } from '../../cli/state-dir.js';
import { columnType, toCell } from './values.js';

export const LOCAL_DB_ENV = 'DEMO_LOCAL_DB';

/** The main database file: $DEMO_LOCAL_DB, else `local.duckdb` in the state directory. */
export function localDatabasePath(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[LOCAL_DB_ENV] || path.join(stateDir, 'local.duckdb'));
}

export async function createLocalEngine(options: EngineOptions): Promise<Engine> {
  const { memoryMb, threads } = resolveResources(options.runbook.local, options.local);
  return new LocalEngine({ file: localDatabasePath(options.stateDir), threads, memoryMb, spillDir: path.join(options.stateDir, 'tmp') });
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

/** Rows a pipe stage may hand to the next one ($1): SHOW results, not tables. */
const PIPE_MAX_ROWS = 10_000;

/** An earlier result as a relation a later statement can select from. */
function asRelation(outcome: Outcome): string {
  const names = outcome.columns.map((c) => `"${c.name.replace(/"/g, '""')}"`);
  if (outcome.rows.length === 0) {
    return `(SELECT ${names.map((n) => `CAST(NULL AS VARCHAR) AS ${n}`).join(', ')} WHERE FALSE)`;
  }
  const value = (cell: Cell) =>
    cell === null ? 'NULL' : typeof cell === 'number' ? String(cell) : typeof cell === 'boolean' ? String(cell).toUpperCase() : literal(cell);
  return `(SELECT * FROM (VALUES ${outcome.rows.map((row) => `(${row.map(value).join(', ')})`).join(', ')}) AS piped (${names.join(', ')}))`;
}

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
    hint: missing ? 'the local database does not have this yet: run the step that creates it on the local engine first' : undefined,
    cause: error,
  });
}

export class LocalEngine implements Engine {
  readonly kind = 'local' as const;
  private readonly file: string;
  private readonly threads: number;
  /** DuckDB's memory_limit in MB; undefined: DuckDB's own default (80% of the memory). */
  private readonly memoryMb?: number;
  /** Where DuckDB spills what does not fit in memory_limit; undefined: DuckDB's default, beside the file. */
  private readonly spillDir?: string;
  private instance?: DuckDBInstance;
  private connection?: DuckDBConnection;
  private mainCatalog = '';
  private opening?: Promise<void>;
  /** One statement at a time on the one connection, whoever calls. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The process's file-creation mask before this engine made its files owner-only. */
  private savedUmask?: number;

  constructor(options: { file: string; threads?: number; memoryMb?: number; spillDir?: string }) {
    this.file = path.resolve(options.file);
    this.threads = options.threads ?? availableParallelism();
    this.memoryMb = options.memoryMb;
    this.spillDir = options.spillDir && path.resolve(options.spillDir);
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
      // Spilled data is the show's data: owner-only, like the rest of the state dir.
      if (this.spillDir) privateDir(this.spillDir);
      this.instance = await DuckDBInstance.create(this.file, {
        threads: String(this.threads),
        preserve_insertion_order: 'false',
        ...(this.memoryMb !== undefined ? { memory_limit: `${this.memoryMb}MiB` } : {}),
        ...(this.spillDir ? { temp_directory: this.spillDir } : {}),
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
      // Added after the first release: databases made before it get the column, every table ACTIVE.
      await connection.run(`ALTER TABLE ${this.definitions()} ADD COLUMN IF NOT EXISTS scheduling_state VARCHAR DEFAULT 'ACTIVE'`);
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
        } else if ((action.kind === 'refresh-dynamic-table' || action.kind === 'dynamic-table-state') && !dynamic.has(action.name.toUpperCase())) {
          problems.push(
            `${action.name} is not a dynamic table on the local engine: its definition is kept in ${path.basename(this.file)}, which does not have it (was it deleted or replaced?); run the step that creates it again${where(statement)}`,
          );
        } else if (action.kind === 'clone-table') {
          const source = action.source.toUpperCase();
          if (source.split('.').length === 3 && !tables.has(source)) {
            problems.push(`table ${action.source}, which ${action.name} is cloned from, does not exist on the local engine${where(statement)}`);
          }
          tables.add(action.name.toUpperCase());
        } else if (action.kind === 'sql') {
          for (const object of changedObjects(action.sql, 'duckdb').objects) {
            if (object.kind === 'table' && /^(create|replace)/.test(object.action)) tables.add(object.name.toUpperCase());
          }
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
      case 'dynamic-table-state':
        return this.setDynamicTableState(action.name, action.state);
      case 'show-dynamic-tables':
        return this.showDynamicTables(action, options);
      case 'create-function':
        return this.createFunction(action, options);
      case 'clone-table':
        return this.cloneTable(action, options);
      case 'pipe':
        return this.pipe(action.stages, options);
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
    return status(`Database ${name} successfully created.`, NOTICE.clone);
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
    await this.connection!.run(`INSERT OR REPLACE INTO ${this.definitions()} (name, query, scheduling_state) VALUES ($1, $2, 'ACTIVE')`, [name, query]);
    const table = name.split('.').pop();
    return status(`Dynamic table ${table} successfully created (${rows.toLocaleString('en-GB')} rows).`, NOTICE.dynamic);
  }

  private async refreshDynamicTable(name: string, options: RunOptions): Promise<Outcome> {
    const query = await this.definition(name);
    if (query === undefined) {
      throw new EngineError(`${name} is not a dynamic table on the local engine`, {
        hint: 'create it with CREATE DYNAMIC TABLE first (run the step that does)',
      });
    }
    const rows = await this.rebuild(name, 'CREATE OR REPLACE TABLE', query, options);
    const table = name.split('.').pop();
    return status(`Dynamic table ${table} refreshed: full rebuild, ${rows.toLocaleString('en-GB')} rows.`, NOTICE.dynamic);
  }

  private async setDynamicTableState(name: string, state: 'SUSPENDED' | 'ACTIVE'): Promise<Outcome> {
    if ((await this.definition(name)) === undefined) {
      throw new EngineError(`Dynamic table '${name}' does not exist or not authorized.`, {
        hint: 'create it with CREATE DYNAMIC TABLE first (run the step that does)',
      });
    }
    await this.connection!.run(`UPDATE ${this.definitions()} SET scheduling_state = $1 WHERE name = $2`, [state, name]);
    return status('Statement executed successfully.', NOTICE.schedule);
  }

  /** SHOW DYNAMIC TABLES, with the columns of Snowflake's the show reads, from the stored definitions. */
  private async showDynamicTables(action: Extract<Action, { kind: 'show-dynamic-tables' }>, options: RunOptions): Promise<Outcome> {
    const filters = [
      action.like === undefined ? undefined : `split_part(name, '.', 3) ILIKE ${literal(action.like)}`,
      action.database === undefined ? undefined : `split_part(name, '.', 1) = ${literal(action.database)}`,
      action.schema === undefined ? undefined : `split_part(name, '.', 2) = ${literal(action.schema)}`,
    ].filter(Boolean);
    const outcome = await this.execute(
      `SELECT split_part(name, '.', 3) AS "name", split_part(name, '.', 1) AS "database_name", split_part(name, '.', 2) AS "schema_name",
              scheduling_state AS "scheduling_state", query AS "text"
       FROM ${this.definitions()} ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY name`,
      options,
    );
    return { ...outcome, notice: NOTICE.schedule };
  }

  private async cloneTable(action: Extract<Action, { kind: 'clone-table' }>, options: RunOptions): Promise<Outcome> {
    const table = action.name.split('.').pop();
    // DuckDB keeps the case names were written in, and compares them without it.
    const where = 'upper(database_name) = upper($1) AND upper(schema_name) = upper($2) AND upper(table_name) = upper($3)';
    const parts = (name: string) => {
      const [d = '', s = '', t = ''] = name.split('.');
      return [d, s, t];
    };
    const exists = async (name: string) =>
      Number((await this.connection!.runAndReadAll(`SELECT COUNT(*) FROM duckdb_tables() WHERE ${where}`, parts(name))).getRows()[0]![0]) > 0;
    if (!(await exists(action.source))) throw new EngineError(`Object '${action.source}' does not exist or not authorized.`);
    if (action.ifNotExists && (await exists(action.name))) return status(`${table} already exists, statement succeeded.`);
    const create = action.replace ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE';
    await this.execute(`${create} ${quoteName(action.name)} AS SELECT * FROM ${quoteName(action.source)}`, options);
    // CREATE TABLE AS keeps the types but not NOT NULL; a Snowflake clone keeps both.
    const required = await this.connection!.runAndReadAll(
      `SELECT column_name FROM duckdb_columns() WHERE ${where} AND NOT is_nullable ORDER BY column_index`,
      parts(action.source),
    );
    for (const [column] of required.getRows()) {
      await this.connection!.run(`ALTER TABLE ${quoteName(action.name)} ALTER COLUMN ${quoteName(String(column))} SET NOT NULL`);
    }
    return status(`Table ${table} successfully created.`, NOTICE.clone);
  }

  private async createFunction(action: Extract<Action, { kind: 'create-function' }>, options: RunOptions): Promise<Outcome> {
    let macro: string;
    try {
      macro = macroFor(action);
    } catch (error) {
      throw new EngineError(`CREATE FUNCTION ${action.name}: ${(error as Error).message}`, { code: 'UNSUPPORTED' });
    }
    await this.execute(macro, options);
    return status(`Function ${action.name.split('.').pop()} successfully created.`, NOTICE.function);
  }

  /**
   * `A ->> B ->> C`: each statement runs in turn; `$1`, `$2`, … in a later one read the results of
   * the earlier ones, as Snowflake's pipe operator does. Results of a pipe stage are small (SHOW).
   */
  private async pipe(stages: string[], options: RunOptions): Promise<Outcome> {
    const results: Outcome[] = [];
    for (const stage of stages) {
      const code = codeOnly(stage);
      let sql = '';
      let last = 0;
      for (const m of code.matchAll(/\$(\d+)\b/g)) {
        const earlier = results[Number(m[1]) - 1];
        if (!earlier) throw new EngineError(`$${m[1]} refers to no earlier statement of the pipe`);
        sql += `${stage.slice(last, m.index)}${asRelation(earlier)}`;
        last = m.index + m[0].length;
      }
      sql += stage.slice(last);
      results.push(await this.perform(translate(sql), { ...options, maxRows: PIPE_MAX_ROWS }));
    }
    const final = results.at(-1)!;
    const rows = final.rows.slice(0, options.maxRows);
    return { ...final, rows, truncated: final.rowCount > rows.length, notice: results.map((r) => r.notice).find(Boolean) };
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
