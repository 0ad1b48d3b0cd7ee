import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type Analytics, openAnalytics } from '../src/analytics/index.ts';
import { produceReport, renderText } from '../src/analytics/report/index.ts';
import type { AnalyticsConfig } from '../src/config.ts';
import { loadKnowledge } from '../src/core/knowledge.ts';
import { createQaService, type QaService } from '../src/core/service.ts';
import { createLogger } from '../src/logger.ts';
import { groundedIn, loadDataset } from '../test/eval/evaluate.ts';
import { mb } from './stats.ts';

const PLATFORMS = ['telegram', 'discord', 'console'] as const;
/** The event loop gets a turn every this many replies, as it does between real messages. */
const REPLIES_PER_TURN = 50;

/**
 * The question log's cost: replies per second through the real QaService with recording on and
 * off (recording into a real SQLite file in WAL mode, batched off the reply path), and the
 * database size per 100,000 events. Then the curators' report of the events it recorded.
 */
export async function benchAnalytics(): Promise<void> {
  const service = createQaService(loadKnowledge());
  const dataset = loadDataset();
  // Labelled questions, so a simulated reader's vote says whether the answer was right.
  const pool: Question[] = [
    ...dataset.inScope.map((c) => ({ q: c.q, evidence: c.evidence })),
    ...dataset.outOfScope.map((c) => ({ q: c.q, evidence: [] })),
    ...dataset.smalltalk.map((q) => ({ q, evidence: [] })),
  ];
  const dir = await mkdtemp(join(tmpdir(), 'bench-analytics-'));
  const logger = createLogger('warn');
  try {
    console.log('\n== Question log: recording cost and database size (SQLite, WAL) ==');
    const throughput = await openAnalytics(config(join(dir, 'throughput.sqlite')), {
      logger,
      retention: false,
    });
    const rounds = 5;
    const perRound = 10_000;
    const off: Run[] = [];
    const on: Run[] = [];
    await replies(service, pool, 2_000, throughput, 0); // warm-up: JIT, statement cache, the writer thread
    await replies(service, pool, 2_000, undefined, 0);
    for (let round = 0; round < rounds; round += 1) {
      off.push(await replies(service, pool, perRound, undefined, 0));
      on.push(await replies(service, pool, perRound, throughput, 0));
    }
    const qpsOff = median(off.map((r) => r.qps));
    const qpsOn = median(on.map((r) => r.qps));
    const cpuOff = median(off.map((r) => r.cpuUs));
    const cpuOn = median(on.map((r) => r.cpuUs));
    const recordUs = median(on.map((r) => r.recordUs));
    console.log(
      `replies per second (median of ${rounds} alternating rounds of ${perRound.toLocaleString('en-US')}): recording off ${qpsOff.toFixed(0)}, on ${qpsOn.toFixed(0)}: recording costs ${((1 - qpsOn / qpsOff) * 100).toFixed(1)}% of throughput (target < 10%)`,
    );
    console.log(
      `CPU per reply, every thread: off ${cpuOff.toFixed(0)} µs, on ${cpuOn.toFixed(0)} µs (+${((cpuOn / cpuOff - 1) * 100).toFixed(1)}%); on the reply path (pseudonyms and record()) ${recordUs.toFixed(1)} µs a reply (${((recordUs / cpuOff) * 100).toFixed(1)}%); the SQLite writes run in their own thread; ${throughput.stats().writtenEvents.toLocaleString('en-US')} events written, ${throughput.stats().dropped} dropped`,
    );
    await throughput.close();

    const path = join(dir, 'size.sqlite');
    const sized = await openAnalytics(config(path), { logger, retention: false });
    const t0 = performance.now();
    await replies(service, pool, 100_000, sized, 0.1);
    const elapsed = (performance.now() - t0) / 1000;
    const stats = sized.stats();
    const store = sized.store;
    const report = store
      ? await produceReport(store, { from: 0, to: Date.now() + 1, tokens: (text) => service.tokens(text) })
      : undefined;
    await sized.close(); // checkpoints the WAL into the file
    const bytes = (await stat(path)).size;
    console.log(
      `100,000 events (and ${stats.writtenVotes.toLocaleString('en-US')} votes) recorded in ${elapsed.toFixed(1)} s with their replies: database ${mb(bytes)} (${(bytes / 100_000).toFixed(0)} bytes an event, indexes included)`,
    );
    if (report) {
      console.log("\n== The curators' report of those 100,000 events (`npm run report`) ==");
      process.stdout.write(renderText(report.report));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Question {
  readonly q: string;
  /** Article text a right answer quotes; empty when no answer is right. */
  readonly evidence: readonly string[];
}

function config(path: string): AnalyticsConfig {
  return {
    questionLog: true,
    database: { kind: 'sqlite', path },
    secret: 'bench-secret-0123456789abcdef',
    retentionDays: 90,
  };
}

/**
 * Answers `count` questions as the conversation layer would, recording each when `analytics` is
 * given (pseudonyms, event, and a vote on a share of the answers); returns replies per second,
 * counting the final write of what was queued.
 */
async function replies(
  service: QaService,
  pool: readonly Question[],
  count: number,
  analytics: Analytics | undefined,
  voteShare: number,
): Promise<Run> {
  let seed = 12_345;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const cpu0 = process.cpuUsage();
  let recordMs = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i += 1) {
    const item = pool[i % pool.length] ?? { q: 'who is kirby', evidence: [] };
    const question = item.q;
    const started = performance.now();
    const { reply, followUp } = service.askInContext(question);
    const answered = performance.now();
    const latencyMs = answered - started;
    if (analytics) {
      // What the conversation layer does per message: two pseudonyms and one record().
      const platform = PLATFORMS[i % PLATFORMS.length] ?? 'console';
      const userId = String(100_000 + Math.floor(random() * 500));
      const user = analytics.keys.user(platform, userId);
      const id = analytics.recorder.record({
        platform,
        user,
        conversation: analytics.keys.conversation(platform, userId),
        question,
        kind: reply.kind,
        ...(reply.kind === 'answer' ? { entryId: reply.entryId } : {}),
        ...('confidence' in reply ? { confidence: reply.confidence } : {}),
        followUp,
        latencyMs,
      });
      recordMs += performance.now() - answered;
      // A reader votes on a share of the answers: 👍 when it quotes the labelled evidence.
      if (id && reply.kind === 'answer' && random() < voteShare) {
        const right = groundedIn(
          reply.quotes.map((quote) => quote.text),
          item.evidence,
        );
        analytics.votes.cast(id, user, right && item.evidence.length ? 1 : -1);
      }
    }
    if (i % REPLIES_PER_TURN === REPLIES_PER_TURN - 1) await yieldToLoop();
  }
  await analytics?.flush();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    qps: count / seconds,
    cpuUs: (cpu.user + cpu.system) / count,
    recordUs: (recordMs * 1000) / count,
  };
}

interface Run {
  readonly qps: number;
  /** CPU time of every thread (the SQLite writer's too), per reply. */
  readonly cpuUs: number;
  /** Time on the reply path spent recording, per reply. */
  readonly recordUs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
