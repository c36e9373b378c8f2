/**
 * One shared clock drives every timer and progress bar: one interval for the whole screen, fast
 * only while something runs, so an idle step costs almost no CPU. Spinners are ink-spinner's, each
 * on its own timer, mounted only while something runs (see README, "Benchmarks").
 */
import React, { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

const ClockContext = createContext<number>(Date.now());

export const FAST_TICK_MS = 100;
export const SLOW_TICK_MS = 1000;

export function ClockProvider({ fast, children, now = Date.now }: { fast: boolean; children: ReactNode; now?: () => number }) {
  const [time, setTime] = useState(now);
  useEffect(() => {
    setTime(now());
    const timer = setInterval(() => setTime(now()), fast ? FAST_TICK_MS : SLOW_TICK_MS);
    return () => clearInterval(timer);
  }, [fast, now]);
  return <ClockContext.Provider value={time}>{children}</ClockContext.Provider>;
}

export function useNow(): number {
  return useContext(ClockContext);
}
