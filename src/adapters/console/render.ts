import { commandHelpText } from '../../conversation/command-text.ts';
import { quoteAttribution } from '../../conversation/quote-text.ts';
import type { Reply } from '../../core/reply.ts';

/**
 * Plain-text rendering for a terminal: quotes indented, suggestions numbered so "1" asks the first.
 * `helpNote` follows the command list of the help (what only the console can do).
 */
export function renderPlain(reply: Reply, options: { readonly helpNote?: string } = {}): string {
  const lines: string[] = [];
  if (reply.kind === 'info') lines.push(reply.title, '');
  lines.push(reply.text);
  if (reply.kind === 'info' && reply.commands?.length) {
    lines.push(commandHelpText(reply.commands));
    if (options.helpNote) lines.push('', options.helpNote);
  }
  const quotes = reply.kind === 'answer' || reply.kind === 'info' ? reply.quotes : [];
  for (const quote of quotes) {
    lines.push('', `  > ${quote.text}`, `    ${quoteAttribution(quote)}`);
  }
  if (reply.suggestions.length) {
    const heading = reply.kind === 'answer' ? 'Related:' : reply.kind === 'clarify' ? '' : 'Try:';
    lines.push('');
    if (heading) lines.push(heading);
    reply.suggestions.forEach((s, i) => {
      lines.push(`  ${i + 1}. ${s.label}`);
    });
  }
  return lines.join('\n');
}
