import { useStdout } from 'ink';
import { useEffect, useReducer } from 'react';

/**
 * Columns and rows, read from the terminal on every render and re-rendered on resize (Ink 6.8
 * has no hook for it). Reading them at render time, not from state, lets the full-screen runner
 * re-render synchronously before Ink redraws for the new size (see screen.ts), so no frame of the
 * old height is ever drawn on a smaller terminal.
 */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const [, resized] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}
