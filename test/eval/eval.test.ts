import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';
import { evaluateConversations, loadConversations } from './conversations.ts';
import { evaluate, loadDataset, reliability } from './evaluate.ts';

/**
 * Floors agreed for our labelled sets: a change that makes matching worse fails here.
 * Raise them as matching improves; `npm run eval` prints the current figures and every failure.
 */
const FLOORS = {
  // Fitted on (TUNING_SETS). As casual2, train1 and train2 and four conversation sets joined the
  // fit, the model answers these less often and is wrong less often: casual3 and conversations4
  // (then not fitted on) said that is the better trade. casual3 and conversations4 joined the fit
  // when casual4 and conversations7 replaced them; with them it answers a little more off-article
  // here (holdout, train1, train2), and casual4 said that is the better trade again. casual4 and
  // conversations7 joined it when casual5 and conversations8 replaced them.
  dataset: { inScope: 0.82, outOfScope: 0.91, smalltalk: 0.97, wrongRate: 0.02, ece: 0.09 },
  holdout: { inScope: 0.78, outOfScope: 0.83, smalltalk: 0.97, wrongRate: 0.04, ece: 0.07 },
  holdout2: { inScope: 0.77, outOfScope: 0.86, smalltalk: 0.97, wrongRate: 0.045, ece: 0.07 },
  casual: { inScope: 0.71, outOfScope: 0.85, smalltalk: 0.97, wrongRate: 0.04, ece: 0.08 },
  casual2: { inScope: 0.7, outOfScope: 0.79, smalltalk: 0.97, wrongRate: 0.045, ece: 0.07 },
  train1: { inScope: 0.69, outOfScope: 0.81, smalltalk: 0.97, wrongRate: 0.045, ece: 0.07 },
  train2: { inScope: 0.6, outOfScope: 0.81, smalltalk: 0.97, wrongRate: 0.055, ece: 0.06 },
  casual3: { inScope: 0.69, outOfScope: 0.84, smalltalk: 0.97, wrongRate: 0.04, ece: 0.07 },
  casual4: { inScope: 0.7, outOfScope: 0.84, smalltalk: 0.97, wrongRate: 0.03, ece: 0.075 },
  // Not fitted on (DEVELOPMENT_SETS); its failures are read, so it is not held out.
  casual5: { inScope: 0.71, outOfScope: 0.85, smalltalk: 0.93, wrongRate: 0.035, ece: 0.05 },
} as const;

describe.each(Object.entries(FLOORS))('evaluation set %s', (name, floor) => {
  const errors: unknown[] = [];
  const service = createQaService(loadKnowledge(), { onError: (e) => errors.push(e) });
  const report = evaluate(service, loadDataset(new URL(`./${name}.json`, import.meta.url)));

  it('is big enough to mean something', () => {
    expect(report.inScope.total).toBeGreaterThanOrEqual(name === 'dataset' ? 200 : 100);
    expect(report.outOfScope.total).toBeGreaterThanOrEqual(name === 'dataset' ? 60 : 40);
    expect(report.smalltalk.total).toBeGreaterThanOrEqual(15);
  });

  it('keeps accuracy above the agreed floors', () => {
    expect(errors).toEqual([]);
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(floor.inScope);
    expect(report.outOfScopeDeclined).toBeGreaterThanOrEqual(floor.outOfScope);
    expect(report.smalltalkRecognised).toBeGreaterThanOrEqual(floor.smalltalk);
    expect(report.confidentlyWrongRate).toBeLessThanOrEqual(floor.wrongRate);
  });

  it('claims confidences that match how often its answers are right', () => {
    expect(reliability(report.answers).ece).toBeLessThanOrEqual(floor.ece);
  });
});

/**
 * Conversations read in context must beat the same turns read alone, and stay above floors.
 * conversations, conversations2 to 7 are fitted on; conversations8 (written cold, like them) is
 * not, though its failures are read.
 */
const CONVERSATION_FLOORS = {
  conversations: { followUps: 0.55, unanswerable: 0.6, whole: 0.3, wrongTurns: 0.1 },
  conversations2: { followUps: 0.45, unanswerable: 0.65, whole: 0.2, wrongTurns: 0.1 },
  conversations3: { followUps: 0.43, unanswerable: 0.55, whole: 0.2, wrongTurns: 0.1 },
  conversations4: { followUps: 0.44, unanswerable: 0.68, whole: 0.24, wrongTurns: 0.1 },
  conversations5: { followUps: 0.55, unanswerable: 0.53, whole: 0.28, wrongTurns: 0.12 },
  conversations6: { followUps: 0.5, unanswerable: 0.55, whole: 0.26, wrongTurns: 0.11 },
  conversations7: { followUps: 0.56, unanswerable: 0.6, whole: 0.28, wrongTurns: 0.1 },
  conversations8: { followUps: 0.56, unanswerable: 0.75, whole: 0.4, wrongTurns: 0.07 },
} as const;

describe.each(Object.entries(CONVERSATION_FLOORS))('conversation set %s', (name, floors) => {
  const service = createQaService(loadKnowledge());
  const set = loadConversations(new URL(`./${name}.json`, import.meta.url));
  const reports = Promise.all([
    evaluateConversations(service, set),
    evaluateConversations(service, set, false),
  ]);

  it('is big enough to mean something', async () => {
    const [inContext] = await reports;
    expect(set.conversations.length).toBeGreaterThanOrEqual(40);
    expect(inContext.unanswerableFollowUps.total).toBeGreaterThanOrEqual(10);
  });

  it('keeps follow-ups above the agreed floors, and context helps', async () => {
    const [inContext, alone] = await reports;
    const share = (a: { correct: number; total: number }) => a.correct / Math.max(1, a.total);
    expect(share(inContext.followUps)).toBeGreaterThanOrEqual(floors.followUps);
    expect(share(inContext.followUps)).toBeGreaterThan(share(alone.followUps));
    expect(
      inContext.unanswerableFollowUps.declined / inContext.unanswerableFollowUps.total,
    ).toBeGreaterThanOrEqual(floors.unanswerable);
    expect(inContext.conversations.right / inContext.conversations.total).toBeGreaterThanOrEqual(
      floors.whole,
    );
    expect(inContext.confidentlyWrong / inContext.turns).toBeLessThanOrEqual(floors.wrongTurns);
  });
});
