/** `demo report [RECORDING] [--out FILE]`: Markdown from a recording (default: the latest show). */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CliOptions } from '../cli/args.js';
import { writeAtomically } from '../cli/state-dir.js';
import { safeText } from '../format/safe-text.js';
import { inspectRecording, isOfRunbook, listRecordings, skippedWarning, type RecordingRef } from '../record/store.js';
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
function mostComplete(refs: readonly RecordingRef[], runbookFile: string, stateDir: string, warn: (line: string) => void): { ref: RecordingRef; recording: Recording; newest: { ref: RecordingRef; measured: number } } | undefined {
  const walks = refs
    .filter((r) => r.command === 'walk')
    .map((ref) => {
      const inspected = inspectRecording(ref.file);
      if ('problem' in inspected) warn(`warning: ${skippedWarning(ref.file, inspected.problem)}`);
      return { ref, recording: 'recording' in inspected ? inspected.recording : undefined };
    })
    .filter((w): w is { ref: RecordingRef; recording: Recording } => w.recording !== undefined && isOfRunbook(w.recording, runbookFile, stateDir));
  const newest = walks[0];
  if (!newest) return undefined;
  const recent = walks.filter((w) => Date.parse(newest.recording.startedAt) - Date.parse(w.recording.startedAt) <= RECENT_MS);
  // Newest first, so the first of the best is the newest of them.
  const best = recent.reduce((a, b) => (stepsMeasured(b.recording) > stepsMeasured(a.recording) ? b : a));
  return { ...best, newest: { ref: newest.ref, measured: stepsMeasured(newest.recording) } };
}

/**
 * RECORDING is a file path, a recording id, or the start of one (e.g. "2026-11-20T14"). Without
 * it: the most complete recent run of the show (`demo`), else the newest recording of any kind. A
 * recording that is not valid is skipped with a warning when none was named, and refused when it was.
 */
export function pickRecording(stateDir: string, runbookFile: string, wanted?: string, warn: (line: string) => void = () => {}): { ref?: RecordingRef; recording: Recording; note?: string } {
  const refs = listRecordings(stateDir);
  if (!wanted) {
    const picked = mostComplete(refs, runbookFile, stateDir, warn);
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
    const inspected = inspectRecording(path.resolve(wanted));
    if ('problem' in inspected) throw new UsageError(`${wanted}: not a demo recording (${inspected.problem}); recordings are in ${path.join(stateDir, 'recordings')}`);
    return { recording: inspected.recording };
  }
  const matches = wanted ? refs.filter((r) => r.id.startsWith(wanted)) : [];
  if (wanted && matches.length > 1 && !matches.some((m) => m.id === wanted)) {
    throw new UsageError(`'${wanted}' matches ${matches.length} recordings (${matches.slice(0, 3).map((m) => m.id).join(', ')}, …): give more of the id`);
  }
  const exact = wanted ? matches.filter((m) => m.id === wanted) : [];
  const candidates = wanted ? (exact.length ? exact : matches) : [...matches, ...refs.filter((r) => r.command !== 'walk')];
  for (const ref of candidates) {
    const inspected = inspectRecording(ref.file);
    // Unnamed, only a run of this runbook will do; a recording named on the command line is the one asked for.
    if ('recording' in inspected && (wanted || isOfRunbook(inspected.recording, runbookFile, stateDir))) return { ref, recording: inspected.recording };
    if ('recording' in inspected) continue;
    if (wanted) throw new UsageError(`${ref.file}: not a valid demo recording (${inspected.problem})`);
    warn(`warning: ${skippedWarning(ref.file, inspected.problem)}`);
  }
  const known = refs.slice(0, 5).map((r) => r.id).join(', ');
  throw new UsageError(
    wanted
      ? `no recording '${wanted}' in ${path.join(stateDir, 'recordings')}${known ? ` (newest: ${known})` : ''}`
      : refs.length > 0
        ? `no valid recording of ${runbookFile} in ${path.join(stateDir, 'recordings')}: run the show on the local or Snowflake engine (again), or name a recording`
        : `no recordings yet in ${path.join(stateDir, 'recordings')}: run the show on the local or Snowflake engine first`,
  );
}

/** Writes the report to --out FILE (atomically) or through `write` (stdout, from the CLI). */
export async function reportCommand(
  options: CliOptions,
  io: { stateDir: string; write: (text: string) => void; say: (line: string) => void },
): Promise<number> {
  const dir = io.stateDir;
  const out = options.out;
  const file = out ? path.resolve(out) : undefined;
  if (file && out && isFolder(file)) throw new UsageError(`--out ${out}: that is a folder; give a file name, e.g. --out ${path.join(out, 'report.md')}`);
  const { recording, note } = pickRecording(dir, options.runbook, options.positional, io.say);
  if (note) io.say(note);
  const runbook = await loadRunbookCached(options.runbook, [recording.engine], path.join(dir, 'cache'));
  // Recordings come from other machines: nothing in one may act on the terminal or the reader's viewer.
  const markdown = safeText(renderReport(recording, runbook));
  if (!file) {
    io.write(markdown);
    return 0;
  }
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeAtomically(file, markdown, 0o666);
  } catch (error) {
    throw new UsageError(`--out ${out}: cannot write the report: ${(error as Error).message}`);
  }
  io.say(`Report of ${recording.id} written to ${out}`);
  return 0;
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
