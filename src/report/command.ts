/** `demo report [RECORDING] [--out FILE]`: Markdown from a recording (default: the latest show). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CliOptions } from '../cli/args.js';
import { listRecordings, readRecording, writeAtomically, type RecordingRef } from '../record/store.js';
import type { Recording } from '../record/types.js';
import { loadRunbookCached } from '../runbook/cache.js';
import { UsageError } from '../runbook/errors.js';
import { renderReport, stepsMeasured } from './markdown.js';

/** Runs of the show this close to the newest one count as recent when picking what to report. */
export const RECENT_MS = 24 * 60 * 60_000;

/**
 * Without a RECORDING: the most complete recent run of the show — the one that measured the most
 * steps among those started within a day of the newest (the newest on a tie) — so a show opened
 * and quit after one step does not hide the full run before it. Else the newest of any kind.
 */
function mostComplete(refs: readonly RecordingRef[]): { ref: RecordingRef; recording: Recording; newest: { ref: RecordingRef; measured: number } } | undefined {
  const walks = refs
    .filter((r) => r.command === 'walk')
    .map((ref) => ({ ref, recording: readRecording(ref.file) }))
    .filter((w): w is { ref: RecordingRef; recording: Recording } => w.recording !== undefined);
  const newest = walks[0];
  if (!newest) return undefined;
  const recent = walks.filter((w) => Date.parse(newest.recording.startedAt) - Date.parse(w.recording.startedAt) <= RECENT_MS);
  // Newest first, so the first of the best is the newest of them.
  const best = recent.reduce((a, b) => (stepsMeasured(b.recording) > stepsMeasured(a.recording) ? b : a));
  return { ...best, newest: { ref: newest.ref, measured: stepsMeasured(newest.recording) } };
}

/**
 * RECORDING is a file path, a recording id, or the start of one (e.g. "2026-11-20T14"). Without
 * it: the most complete recent run of the show (`demo`), else the newest recording of any kind.
 */
export function pickRecording(stateDir: string, wanted?: string): { ref?: RecordingRef; recording: Recording; note?: string } {
  const refs = listRecordings(stateDir);
  if (!wanted) {
    const picked = mostComplete(refs);
    if (picked) {
      const note =
        picked.ref.id === picked.newest.ref.id
          ? undefined
          : `Reporting ${picked.ref.id} (${stepsMeasured(picked.recording)} steps measured), the most complete run of the show in the day before the newest; ` +
            `the newest, ${picked.newest.ref.id}, measured ${picked.newest.measured}. Pass a recording id to report another.`;
      return { ref: picked.ref, recording: picked.recording, note };
    }
  }
  if (wanted && (wanted.endsWith('.json') || wanted.includes(path.sep))) {
    const recording = readRecording(path.resolve(wanted));
    if (!recording) throw new UsageError(`${wanted}: not a demo recording (expected a file from ${path.join(stateDir, 'recordings')})`);
    return { recording };
  }
  const matches = wanted ? refs.filter((r) => r.id.startsWith(wanted)) : [];
  const ref = matches[0] ?? (wanted ? undefined : refs[0]);
  if (!ref) {
    const known = refs.slice(0, 5).map((r) => r.id).join(', ');
    throw new UsageError(
      wanted
        ? `no recording '${wanted}' in ${path.join(stateDir, 'recordings')}${known ? ` (newest: ${known})` : ''}`
        : `no recordings yet in ${path.join(stateDir, 'recordings')}: run the show on the local or Snowflake engine first`,
    );
  }
  if (wanted && matches.length > 1 && !matches.some((m) => m.id === wanted)) {
    throw new UsageError(`'${wanted}' matches ${matches.length} recordings (${matches.slice(0, 3).map((m) => m.id).join(', ')}, …): give more of the id`);
  }
  const recording = readRecording(ref.file);
  if (!recording) throw new UsageError(`${ref.file}: unreadable recording`);
  return { ref, recording };
}

/** Writes the report to --out FILE (atomically) or through `write` (stdout, from the CLI). */
export async function reportCommand(
  options: CliOptions,
  io: { stateDir: string; write: (text: string) => void; say: (line: string) => void },
): Promise<number> {
  const dir = io.stateDir;
  const { recording, note } = pickRecording(dir, options.positional);
  if (note) io.say(note);
  const runbook = await loadRunbookCached(options.runbook, [recording.engine], path.join(dir, 'cache'));
  const markdown = renderReport(recording, runbook);
  if (!options.out) {
    io.write(markdown);
    return 0;
  }
  const file = path.resolve(options.out);
  mkdirSync(path.dirname(file), { recursive: true });
  writeAtomically(file, markdown);
  io.say(`Report of ${recording.id} written to ${options.out}`);
  return 0;
}
