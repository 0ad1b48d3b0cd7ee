import { readFileSync } from 'node:fs';
import { Conversations } from '../../src/conversation/conversations.ts';
import type { QuestionReply } from '../../src/core/reply.ts';
import type { QaService } from '../../src/core/service.ts';
import { groundedIn } from './evaluate.ts';

/** One turn: answerable (evidence), unanswerable (why), or smalltalk. */
export interface Turn {
  readonly q: string;
  readonly evidence?: readonly string[];
  readonly why?: string;
  readonly smalltalk?: boolean;
}
export interface ConversationSet {
  readonly conversations: readonly { readonly id: string; readonly turns: readonly Turn[] }[];
}

export interface ConversationReport {
  readonly followUps: { total: number; correct: number };
  readonly unanswerableFollowUps: { total: number; declined: number };
  readonly firstTurns: { total: number; correct: number };
  readonly conversations: { total: number; right: number };
  readonly turns: number;
  readonly confidentlyWrong: number;
  readonly failures: readonly { id: string; turn: number; q: string; got: string; expected: string }[];
}

/** A count out of a total as the reports print it: "61.6% (53/86)". */
export function share(count: number, total: number): string {
  return `${((100 * count) / Math.max(1, total)).toFixed(1)}% (${count}/${total})`;
}

/** One report over several (the folds of a cross-validation): counts summed, failures in order. */
export function mergeReports(reports: readonly ConversationReport[]): ConversationReport {
  const sum = (pick: (r: ConversationReport) => number) => reports.reduce((a, r) => a + pick(r), 0);
  return {
    followUps: { total: sum((r) => r.followUps.total), correct: sum((r) => r.followUps.correct) },
    unanswerableFollowUps: {
      total: sum((r) => r.unanswerableFollowUps.total),
      declined: sum((r) => r.unanswerableFollowUps.declined),
    },
    firstTurns: { total: sum((r) => r.firstTurns.total), correct: sum((r) => r.firstTurns.correct) },
    conversations: { total: sum((r) => r.conversations.total), right: sum((r) => r.conversations.right) },
    turns: sum((r) => r.turns),
    confidentlyWrong: sum((r) => r.confidentlyWrong),
    failures: reports.flatMap((r) => r.failures),
  };
}

/**
 * Conversation sets the decision is fitted on. conversations8 is the development set: scored
 * (`npm run eval -- conversations8`, a floor in eval.test.ts), not fitted on. The
 * conversations-holdout sets are never among either.
 */
export const CONVERSATION_TUNING_SETS = [
  'conversations',
  'conversations2',
  'conversations3',
  'conversations4',
  'conversations5',
  'conversations6',
  'conversations7',
] as const;
export const CONVERSATION_DEVELOPMENT_SETS = ['conversations8'] as const;

export function loadConversations(path: URL): ConversationSet {
  return JSON.parse(readFileSync(path, 'utf8')) as ConversationSet;
}

const describe = (r: QuestionReply) =>
  r.kind === 'answer'
    ? `answer ${r.entryId} (${r.confidence})`
    : `${r.kind}${'reason' in r ? ` (${r.reason})` : ''}${r.kind === 'clarify' ? `: ${r.suggestions.map((s) => s.label).join(' | ')}` : ''}`;

/**
 * Plays each conversation through the conversation layer (`inContext` false: every turn alone, the
 * baseline) and scores every turn: an answerable one must be answered from its evidence, an
 * unanswerable one declined, a smalltalk one recognised.
 */
export async function evaluateConversations(
  service: QaService,
  set: ConversationSet,
  inContext = true,
): Promise<ConversationReport> {
  const followUps = { total: 0, correct: 0 };
  const unanswerableFollowUps = { total: 0, declined: 0 };
  const firstTurns = { total: 0, correct: 0 };
  const conversations = { total: 0, right: 0 };
  const failures: { id: string; turn: number; q: string; got: string; expected: string }[] = [];
  let turns = 0;
  let confidentlyWrong = 0;
  for (const conversation of set.conversations) {
    const layer = new Conversations(service);
    conversations.total++;
    let allRight = true;
    for (const [i, turn] of conversation.turns.entries()) {
      turns++;
      const reply = inContext ? (await layer.ask(conversation.id, turn.q)).reply : service.ask(turn.q);
      let ok: boolean;
      if (turn.smalltalk) ok = reply.kind === 'smalltalk';
      else if (turn.evidence) {
        ok =
          reply.kind === 'answer' &&
          groundedIn(
            reply.quotes.map((q) => q.text),
            turn.evidence,
          );
        if (reply.kind === 'answer' && !ok) confidentlyWrong++;
        if (i === 0) {
          firstTurns.total++;
          if (ok) firstTurns.correct++;
        } else {
          followUps.total++;
          if (ok) followUps.correct++;
        }
      } else {
        ok = reply.kind === 'decline';
        if (reply.kind === 'answer') confidentlyWrong++;
        if (i > 0) {
          unanswerableFollowUps.total++;
          if (ok) unanswerableFollowUps.declined++;
        }
      }
      if (!ok) {
        allRight = false;
        failures.push({
          id: conversation.id,
          turn: i + 1,
          q: turn.q,
          got: describe(reply),
          expected: turn.smalltalk
            ? 'smalltalk'
            : turn.evidence
              ? turn.evidence.join(' | ')
              : `decline (${turn.why})`,
        });
      }
    }
    if (allRight) conversations.right++;
  }
  return { followUps, unanswerableFollowUps, firstTurns, conversations, turns, confidentlyWrong, failures };
}
