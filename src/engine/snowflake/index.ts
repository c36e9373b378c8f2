import { UsageError } from '../../runbook/errors.js';
import type { EngineOptions } from '../create.js';
import type { Engine } from '../types.js';

export async function createSnowflakeEngine(_options: EngineOptions): Promise<Engine> {
  throw new UsageError('the Snowflake engine is not built yet: use --rehearse');
}
