/** The answer matrix as a Markdown table ("Copy as Markdown"): the same words as the page. */
import { CATALOGUE } from '../catalogue';
import type { AnswerMatrix } from './matrix';
import { overallText } from './lines';

/** Pipes and line breaks would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * `title` names what the speeds are relative to when the reference's title does not say it all
 * (a comparison: 'Candidate "after" relative to baseline "before"').
 */
export function answerMarkdown(
  m: AnswerMatrix,
  lines: readonly string[] = [],
  title?: string,
): string {
  const ref = m.referenceTitle ?? 'the reference';
  const header = ['Target', ...m.benchmarks.map((b) => CATALOGUE[b].title), 'Overall (geo. mean)'];
  const out = [
    `${title ?? `Speed relative to ${ref}`} (95% interval; verdict)`,
    '',
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
  ];
  for (const r of m.rows) {
    const cells = r.cells.map((c) => {
      if (c.verdict === 'reference' || c.verdict === 'not-applicable' || c.verdict === 'missing')
        return c.word;
      return `${c.speed}${c.interval ? ` (${c.interval})` : ''}; ${c.word}`;
    });
    const overall = r.row.isReference ? 'reference' : overallText(r);
    out.push(`| ${[r.row.title, ...cells, overall].map(cell).join(' | ')} |`);
  }
  if (lines.length > 0) out.push('', ...lines.map((l) => `- ${cell(l)}`));
  return out.join('\n') + '\n';
}
