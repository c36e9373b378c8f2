/**
 * SQL with syntax highlighting, as exact rows. lowlight (highlight.js grammars, as a syntax tree
 * rather than ANSI text) gives the tokens; colours come from our theme, so NO_COLOR is respected
 * and Ink measures every row itself. Loaded on the first `s`, so start-up never pays for it.
 */
import { Text } from 'ink';
import React, { useEffect, useState } from 'react';
import { oneLine } from '../text.js';
import { color, type ThemeColor } from '../theme.js';
import type { Line } from './ResultLines.js';

export interface Segment {
  text: string;
  role?: ThemeColor;
}

type Highlighter = (sql: string) => Segment[][];

let loaded: Highlighter | undefined;
let loading: Promise<Highlighter> | undefined;

const ROLES: Record<string, ThemeColor> = {
  'hljs-keyword': 'sqlKeyword',
  'hljs-built_in': 'sqlKeyword',
  'hljs-type': 'sqlKeyword',
  'hljs-literal': 'sqlNumber',
  'hljs-string': 'sqlString',
  'hljs-number': 'sqlNumber',
  'hljs-comment': 'sqlComment',
  'hljs-variable': 'sqlName',
  'hljs-symbol': 'sqlName',
};

interface HastNode {
  type: string;
  value?: string;
  properties?: { className?: unknown };
  children?: HastNode[];
}

/** Flattens the syntax tree into rows of coloured segments, split at line breaks. */
export function segmentsOf(tree: HastNode): Segment[][] {
  const rows: Segment[][] = [[]];
  const visit = (node: HastNode, role: ThemeColor | undefined) => {
    if (node.type === 'text') {
      (node.value ?? '').split('\n').forEach((piece, i) => {
        if (i > 0) rows.push([]);
        if (piece) rows.at(-1)!.push({ text: oneLine(piece), role });
      });
      return;
    }
    const classes = Array.isArray(node.properties?.className) ? (node.properties.className as string[]) : [];
    const own = classes.map((c) => ROLES[c]).find(Boolean) ?? role;
    for (const child of node.children ?? []) visit(child, own);
  };
  visit(tree, undefined);
  return rows;
}

export function loadHighlighter(): Promise<Highlighter> {
  loading ??= import('lowlight').then(({ common, createLowlight }) => {
    const lowlight = createLowlight({ sql: common.sql! });
    loaded = (sql) => segmentsOf(lowlight.highlight('sql', sql) as HastNode);
    return loaded;
  });
  return loading;
}

/** Plain rows until the highlighter is loaded (a few tens of ms, once); comments are greyed even then. */
function plain(sql: string): Segment[][] {
  return sql.split('\n').map((l) => [{ text: oneLine(l), role: l.trimStart().startsWith('--') ? 'sqlComment' : undefined }]);
}

/** Re-renders once the highlighter has loaded. */
export function useHighlighter(): Highlighter {
  const [, setReady] = useState(loaded !== undefined);
  useEffect(() => {
    if (loaded) return;
    let live = true;
    loadHighlighter().then(
      () => live && setReady(true),
      () => undefined, // without the highlighter the SQL stays plain, which is still correct
    );
    return () => {
      live = false;
    };
  }, []);
  return loaded ?? plain;
}

export function sqlRow(key: string, segments: readonly Segment[]): Line {
  return (
    <Text key={key} wrap="truncate">
      {segments.length === 0 ? ' ' : segments.map((s, i) => (s.role ? <Text key={i} color={color(s.role)} bold={s.role === 'sqlKeyword'}>{s.text}</Text> : s.text))}
    </Text>
  );
}
