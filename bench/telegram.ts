import { commands } from '../commands/index.ts';

import type { PlatformDeps } from '../src/adapters/platform.ts';

import { startTelegram } from '../src/adapters/telegram/index.ts';
import { loadKnowledge } from '../src/core/knowledge.ts';
import { createQaService } from '../src/core/service.ts';
import { createLogger } from '../src/logger.ts';
import { Peer } from './peer.ts';
import { percentile, round } from './stats.ts';

import type { PeerReply, PeerRequest } from './telegram-peer.ts';

/**
 * Telegram adapter benchmark: the real telegraf against the local Bot API fake over loopback,
 * with the fake and the load generator in a separate process (bench/telegram-peer.ts), as
 * Telegram would be.
 * - update-to-sendMessage latency, long polling, one update at a time: from the update being
 *   queued at the fake to the fake receiving the reply;
 * - sustained updates per second in webhook mode with many updates in flight, checking that each
 *   got exactly its reply;
 * - resident memory of the bot's process after the run.
 * Targets (issue 3): median < 10 ms, ≥ 1,000 updates/s without a lost reply.
 */

const QUESTIONS = [
  'who is kirby',
  'how many years in prison',
  'what did putin say',
  'will biden talk to putin',
];
const LATENCY_SAMPLES = 1000;
const WARM_UP = 100;
const WEBHOOK_UPDATES = 10_000;
const CONCURRENCY = 64;

export async function benchTelegram(): Promise<Record<string, unknown>> {
  const deps: PlatformDeps = {
    service: createQaService(loadKnowledge()),
    commands,
    logger: createLogger('silent'),
    // The production default; every simulated user is distinct, so nobody is limited.
    rateLimitPerMinute: 12,
  };
  const peer = new Peer<PeerRequest, PeerReply>(new URL('./telegram-peer.ts', import.meta.url));
  try {
    const { url, token } = await peer.ask({ cmd: 'start' });

    const polling = await startTelegram({ token, apiRoot: url }, deps);
    const { latenciesMs } = await peer
      .ask({ cmd: 'latency', samples: LATENCY_SAMPLES, warmUp: WARM_UP, questions: QUESTIONS })
      .finally(() => polling.stop('benchmark done'));
    latenciesMs.sort((a, b) => a - b);

    const secret = 'bench-secret';
    const hook = await startTelegram(
      { token, apiRoot: url, webhook: { url: 'https://bench.example.test/hook', port: 0, secret } },
      deps,
      { webhookHost: '127.0.0.1' },
    );
    const cpuBefore = process.cpuUsage();
    const load = await peer
      .ask({
        cmd: 'webhook',
        port: hook.webhookPort ?? 0,
        path: '/hook',
        secret,
        updates: WEBHOOK_UPDATES,
        concurrency: CONCURRENCY,
        questions: QUESTIONS,
      })
      .finally(() => hook.stop('benchmark done'));
    const cpu = process.cpuUsage(cpuBefore);
    await peer.ask({ cmd: 'close' });
    // CPU time the bot's process spent per update: unlike updates/s, barely affected by other
    // load on the machine (the peer shares the CPUs), and 1000 / it is the one-core ceiling.
    const cpuMsPerUpdate = (cpu.user + cpu.system) / 1000 / WEBHOOK_UPDATES;

    const medianMs = round(percentile(latenciesMs, 50));
    const updatesPerSecond = Math.round(WEBHOOK_UPDATES / (load.elapsedMs / 1000));
    const memory = process.memoryUsage();
    return {
      pollingLatency: { samples: latenciesMs.length, medianMs, p99Ms: round(percentile(latenciesMs, 99)) },
      webhook: {
        updates: WEBHOOK_UPDATES,
        concurrency: CONCURRENCY,
        updatesPerSecond,
        botCpuMsPerUpdate: round(cpuMsPerUpdate, 3),
        oneCoreCeilingPerSecond: Math.round(1000 / cpuMsPerUpdate),
        lostReplies: load.lostReplies,
        extraReplies: load.extraReplies,
        httpStatuses: load.httpStatuses,
      },
      botProcessRssMiB: round(memory.rss / 2 ** 20, 1),
      botProcessHeapUsedMiB: round(memory.heapUsed / 2 ** 20, 1),
      targetsMet: {
        medianUnder10ms: medianMs < 10,
        atLeast1000UpdatesPerSecond: updatesPerSecond >= 1000,
        noLostReply: load.lostReplies === 0 && load.extraReplies === 0,
      },
    };
  } finally {
    peer.kill();
  }
}

// `npx tsx bench/telegram.ts` runs this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ telegram: await benchTelegram() }, null, 2));
}
