/**
 * The answer, first: the matrix target × benchmark with the speed relative to the reference, its
 * 95% interval and the verdict as a colour and a word, the overall geometric mean per row, and
 * one plain line per target. The same panel shows a run (relative to its reference) and a
 * comparison (candidate relative to baseline).
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { CATALOGUE } from '../../../shared/catalogue';
import {
  answerMarkdown,
  overallText,
  settleText,
  type AnswerCell,
  type AnswerLine,
  type AnswerMatrix,
} from '../../../shared/answer';
import './answer.css';

function cellTitle(c: AnswerCell): string | undefined {
  if (c.reason) return c.reason;
  if (c.verdict === 'inconclusive') return settleText(c.moreRepetitions, c.moreUnit);
  if (c.verdict === 'too-few') return 'at least 2 successful repetitions per side are needed';
  return undefined;
}

function MatrixCell({ c, rowKey }: { c: AnswerCell; rowKey: string }): ReactNode {
  const plain =
    c.verdict === 'reference' || c.verdict === 'not-applicable' || c.verdict === 'missing';
  return (
    <td
      className={`answer-cell answer-${c.verdict}`}
      data-testid={`answer-cell-${rowKey}-${c.benchmark}`}
      data-verdict={c.verdict}
      title={cellTitle(c)}
    >
      {plain ? (
        <span className="answer-plain">{c.word}</span>
      ) : (
        <>
          <span className="answer-speed">{c.speed}</span>
          {c.interval ? <span className="answer-ci">{c.interval}</span> : null}
          <span className="answer-word" data-testid={`answer-word-${rowKey}-${c.benchmark}`}>
            {c.word}
          </span>
        </>
      )}
    </td>
  );
}

export function AnswerPanel({
  matrix,
  lines,
  heading,
  testId = 'answer',
  rowHeader = 'Target',
  markdownTitle,
}: {
  matrix: AnswerMatrix;
  lines: readonly AnswerLine[];
  heading: string;
  testId?: string;
  rowHeader?: string;
  /** The Markdown copy's heading (default: "Speed relative to <reference>"). */
  markdownTitle?: string;
}): ReactNode {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (): Promise<void> => {
    const text = answerMarkdown(
      matrix,
      lines.map((l) => l.text),
      markdownTitle,
    );
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied as Markdown');
    } catch {
      setCopied('The browser refused the clipboard: select the table and copy it');
    }
  };
  return (
    <section className="answer" data-testid={testId} aria-labelledby={`${testId}-heading`}>
      <div className="answer-head">
        <h2 id={`${testId}-heading`} data-testid={`${testId}-heading`}>
          {heading}
        </h2>
        <button type="button" data-testid={`${testId}-copy`} onClick={() => void copy()}>
          Copy as Markdown
        </button>
        {copied ? (
          <span className="muted small" data-testid={`${testId}-copied`}>
            {copied}
          </span>
        ) : null}
      </div>
      <table className="answer-matrix" data-testid={`${testId}-matrix`}>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            {matrix.benchmarks.map((b) => (
              <th key={b} scope="col">
                {CATALOGUE[b].title}
              </th>
            ))}
            <th scope="col" title="Geometric mean of the row's speeds across the benchmarks">
              Overall (geo. mean)
            </th>
          </tr>
        </thead>
        <tbody>
          {matrix.rows.map((r) => (
            <tr
              key={r.row.key}
              data-testid={`answer-row-${r.row.key}`}
              data-kind={r.row.kind}
              className={r.row.isReference ? 'answer-reference-row' : ''}
            >
              <th scope="row">{r.row.title}</th>
              {r.cells.map((c) => (
                <MatrixCell key={c.benchmark} c={c} rowKey={r.row.key} />
              ))}
              <td className="answer-overall" data-testid={`answer-overall-${r.row.key}`}>
                {r.row.isReference
                  ? 'reference'
                  : r.overall === null
                    ? '—'
                    : `${overallText(r)} (${r.overallCount} benchmark${r.overallCount === 1 ? '' : 's'})`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {lines.length > 0 ? (
        <ul className="answer-lines" data-testid={`${testId}-lines`}>
          {lines.map((l) => (
            <li key={l.key} data-testid={`${testId}-line-${l.key}`}>
              {l.text}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
