/** Patterns shared by the schema and the code that runs without loading it (start-up time). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** "90s", "1.5 s", "2m", "19m 42s", "1h", "500ms". */
export const DURATION = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h)\s*)+$/;
export const ENGINE_NAMES = ['snowflake', 'local', 'rehearsal'] as const;
/** A `may_change` entry or `--allow-object` value: a name, or a pattern with * for any characters. */
export const OBJECT_PATTERN = /^[A-Za-z0-9_$.*]+$/;
/** DuckDB's memory_limit: a size ("2GB", "512MiB") or a share of this machine's memory ("25%"). */
export const MEMORY_SIZE = /^\s*\d+(?:\.\d+)?\s*(?:MB|GB|TB|MiB|GiB|TiB|%)\s*$/;
