/**
 * How much of the machine the local engine takes: DuckDB's memory_limit and threads. The laptop
 * running the show also drives a projector and the show itself, so the defaults leave room: a
 * quarter of the memory, at most 512 MB (past it DuckDB spills to the state dir), and every core but
 * one. The runbook's `local:` settings override the defaults, and --memory-limit / --threads both.
 */
import { availableParallelism, totalmem } from 'node:os';
import type { LocalResources } from '../../runbook/model.js';

const MB = 1024 * 1024;
/** The default's ceiling: DuckDB's buffers, not the process (the show at multiplier 10 peaks near 0.9 GB with it, against 1.4 GB without). */
export const DEFAULT_MEMORY_CAP_MB = 512;
export const DEFAULT_MEMORY_SHARE = 0.25;

const UNIT_MB: Record<string, number> = { MB: 1e6 / MB, GB: 1e9 / MB, TB: 1e12 / MB, MIB: 1, GIB: 1024, TIB: 1024 * 1024 };

/** "2GB", "512MiB" or "25%" (of this machine's memory) in MB; undefined for anything else. */
export function memoryMb(text: string, total = totalmem()): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(MB|GB|TB|MiB|GiB|TiB|%)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const mb = m[2] === '%' ? ((total / MB) * value) / 100 : value * UNIT_MB[m[2]!.toUpperCase()]!;
  return Number.isFinite(mb) ? Math.max(1, Math.floor(mb)) : undefined;
}

export interface ResolvedResources {
  memoryMb: number;
  threads: number;
  /** Where each came from, for messages: "default", "runbook" or "flag". */
  from: { memory: 'default' | 'runbook' | 'flag'; threads: 'default' | 'runbook' | 'flag' };
}

/** The settings in force: the flags over the runbook over the defaults. */
export function resolveResources(runbook: LocalResources | undefined, flags: LocalResources | undefined, machine = { totalBytes: totalmem(), cores: availableParallelism() }): ResolvedResources {
  const defaultMb = Math.min(DEFAULT_MEMORY_CAP_MB, Math.floor((machine.totalBytes / MB) * DEFAULT_MEMORY_SHARE));
  const memoryText = flags?.memoryLimit ?? runbook?.memoryLimit;
  const memory = memoryText === undefined ? defaultMb : (memoryMb(memoryText, machine.totalBytes) ?? defaultMb);
  const threads = flags?.threads ?? runbook?.threads ?? Math.max(1, machine.cores - 1);
  return {
    memoryMb: memory,
    threads,
    from: {
      memory: flags?.memoryLimit !== undefined ? 'flag' : runbook?.memoryLimit !== undefined ? 'runbook' : 'default',
      threads: flags?.threads !== undefined ? 'flag' : runbook?.threads !== undefined ? 'runbook' : 'default',
    },
  };
}
