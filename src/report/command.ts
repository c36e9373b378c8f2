import { UsageError } from '../runbook/errors.js';
import type { CliOptions } from '../cli/args.js';

/** `demo report [RECORDING] [--out FILE]`. */
export async function reportCommand(_options: CliOptions): Promise<number> {
  throw new UsageError('demo report is not built yet (recordings come first)');
}
