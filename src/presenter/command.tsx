import { UsageError } from '../runbook/errors.js';
import type { CliOptions } from '../cli/args.js';

/** `demo presenter`: attach to the running show from a second terminal. */
export async function presenterCommand(_options: CliOptions): Promise<number> {
  throw new UsageError('demo presenter is not built yet');
}
