import type { Table } from './model.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A GitHub-flavoured Markdown table, with its title as a bold line above it. */
export function renderTable(t: Table): string {
  const lines = [
    `| ${t.headers.map(cell).join(' | ')} |`,
    `|${t.headers.map(() => '---').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return `${t.title ? `**${t.title}**\n\n` : ''}${lines.join('\n')}\n`;
}

/** A bullet list; items that are fenced code blocks are indented under the previous bullet. */
export const bullets = (items: string[]) => `${items.map((i) => (i.startsWith('```') ? i.replace(/^/gm, '  ') : `- ${i}`)).join('\n')}\n`;
