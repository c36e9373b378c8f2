import { UsageError } from '../../runbook/errors.js';
import type { EngineOptions } from '../create.js';
import type { Engine } from '../types.js';

export async function createLocalEngine(_options: EngineOptions): Promise<Engine> {
  throw new UsageError('the local engine (DuckDB) is not built yet: use --rehearse');
}
