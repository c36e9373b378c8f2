/**
 * Long statements keep running on Snowflake when the demo dies. Their query ids are saved here so
 * that a restarted demo reattaches to the same query instead of starting (and paying for) it again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface RunningQuery {
  queryId: string;
  stepId: string;
  index: number;
  /** The SQL itself is not stored: only enough to know it is the same statement. */
  sqlSha256: string;
  /** Likewise the account and connection: enough to know it is the same, nothing that names them. */
  connectionSha256: string;
  startedAt: string;
}

/** Snowflake keeps a query's result for 24 hours; past that there is nothing to reattach to. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function sqlHash(sql: string): string {
  return crypto.createHash('sha256').update(sql).digest('hex');
}

export function connectionHash(account: string, connection: string): string {
  return sqlHash(`${account.toLowerCase()}\0${connection}`);
}

export class RunningQueries {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'snowflake', 'running');
  }

  private file(stepId: string, index: number): string {
    return path.join(this.dir, `${stepId.replace(/[^A-Za-z0-9_.-]/g, '_')}.${index}.json`);
  }

  /** The saved query for this statement, if it is the same SQL on the same connection and recent. */
  find(stepId: string, index: number, sql: string, connectionSha256: string): RunningQuery | undefined {
    try {
      const saved = JSON.parse(fs.readFileSync(this.file(stepId, index), 'utf8')) as RunningQuery;
      const fresh = Date.now() - Date.parse(saved.startedAt) < MAX_AGE_MS;
      const same = saved.sqlSha256 === sqlHash(sql) && saved.connectionSha256 === connectionSha256;
      return fresh && same && typeof saved.queryId === 'string' ? saved : undefined;
    } catch {
      return undefined;
    }
  }

  save(query: RunningQuery): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = this.file(query.stepId, query.index);
    // Write then rename, so a crash mid-write never leaves a half file to trip over on restart.
    fs.writeFileSync(`${target}.tmp`, JSON.stringify(query, null, 2), { mode: 0o600 });
    fs.renameSync(`${target}.tmp`, target);
  }

  forget(stepId: string, index: number): void {
    fs.rmSync(this.file(stepId, index), { force: true });
  }
}
