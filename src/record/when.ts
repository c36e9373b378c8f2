/** Recording times as the presenter reads them: local time, to the minute ("2026-11-20 14:03"). */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** "live" for Snowflake, "local" for DuckDB: how a recording's origin is named on screen. */
export function originName(engine: 'snowflake' | 'local'): string {
  return engine === 'snowflake' ? 'live' : 'local';
}
