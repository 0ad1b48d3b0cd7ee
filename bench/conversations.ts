import { commands } from '../commands/index.ts';
import { ConversationLayer } from '../src/conversation/layer.ts';
import { loadKnowledge } from '../src/core/knowledge.ts';
import { createQaService } from '../src/core/service.ts';
import { mb, ms, summarize } from './stats.ts';

/**
 * Conversation context at scale: 10,000 conversations of two turns each (a question, then a
 * follow-up), heap before and after, and the per-turn time; then 30,000 more conversations with the
 * default bound of 10,000, to show the memory stays flat.
 */
export async function benchConversations(): Promise<void> {
  const service = createQaService(loadKnowledge());
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = () => {
    gc?.();
    return process.memoryUsage().heapUsed;
  };
  const layer = new ConversationLayer(service, commands);
  const openers = ['who is kirby', 'who is zelensky', 'what did putin say', 'how many years in prison'];
  const followUps = ['what did he say about biden', 'where did he go', 'why?', 'source?'];
  const before = heap();
  const samples: number[] = [];
  const turn = async (key: string, text: string) => {
    const t0 = performance.now();
    await layer.handle({ kind: 'text', platform: 'bench', user: key, conversation: key, text });
    samples.push(performance.now() - t0);
  };
  for (let i = 0; i < 10_000; i++) {
    await turn(`c${i}`, openers[i % openers.length] ?? '');
    await turn(`c${i}`, followUps[i % followUps.length] ?? '');
  }
  const after10k = heap();
  for (let i = 10_000; i < 40_000; i++) await turn(`c${i}`, openers[i % openers.length] ?? '');
  const after40k = heap();
  const s = summarize(samples);
  console.log('\n== Conversations: context for many readers ==');
  console.log(
    `10,000 two-turn conversations: per turn median ${ms(s.median)}, p99 ${ms(s.p99)}; heap ${mb(before)} -> ${mb(after10k)} (+${mb(after10k - before)}, ${((after10k - before) / 10_000 / 1024).toFixed(2)} KiB a conversation)`,
  );
  console.log(
    `40,000 conversations with the default bound (10,000 kept): ${layer.conversations.size} held, heap ${mb(after40k)} (${(((after40k - after10k) / Math.max(1, after10k)) * 100).toFixed(1)}% more than at 10,000)${gc ? '' : ' [run with --expose-gc for exact heap figures]'}`,
  );
}
