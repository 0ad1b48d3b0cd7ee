import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.ts';
import { telegramError } from './errors.ts';
import { RecentUpdates } from './recent-updates.ts';

/**
 * The HTTP server Telegram posts updates to. It checks path and secret before reading a byte of
 * the body, reads the body itself (capped while it streams, however it is encoded, and decoded
 * as a whole so a character split across TCP writes survives), recognises redelivered update
 * ids, and answers each request once the update's reply has settled, or at the reply deadline.
 *
 * Delivery is at most once: a request is always answered 200 once its update has started, even
 * when the reply is still being sent (the deadline passed, or the stop budget ran out), and a
 * redelivery of a remembered update id is answered 200 without a second reply. A reply can then
 * be lost if the process dies before it goes out, but the user never gets it twice.
 */
export interface WebhookServer {
  readonly port: number;
  /**
   * Refuses new updates (503, so Telegram redelivers them to the next instance), lets the
   * replies in flight settle, then answers their requests and closes; all within `budgetMs`.
   */
  close(budgetMs: number): Promise<void>;
  /** Updates whose replies have not settled yet. */
  inFlight(): number;
  /** Updates whose replies were still going out when close() ran out of budget. */
  abandoned(): number;
}

export interface WebhookEndpoint {
  /** Path and query Telegram posts to. */
  readonly path: string;
  readonly secretToken: string;
  /** Handles one update; settles once its reply has been sent or given up. */
  readonly handleUpdate: (update: Update) => Promise<void>;
}

export interface WebhookServerOptions {
  readonly port: number;
  readonly host: string;
  readonly maxBodyBytes: number;
  readonly replyDeadlineMs: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
  readonly rememberedUpdateIds: number;
  /**
   * Resolves true the first time any process of the bot sees this update id (a store shared
   * through Redis); absent, only this process's memory counts. A failing store resolves true:
   * answering, maybe twice, beats not answering at all.
   */
  readonly firstSeen?: (updateId: number) => Promise<boolean>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Accepts a request for `this.path` signed with `this.secretToken`. Unlike telegraf's default
 * filter it creates no `debug` logger per request and, with DEBUG on, never logs the expected
 * secret; it compares fixed-length digests in constant time.
 */
export function webhookFilter(this: { path: string; secretToken?: string }, req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== this.path) return false;
  if (!this.secretToken) return true;
  const given = req.headers['x-telegram-bot-api-secret-token'];
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(this.secretToken));
}

type Body =
  | { readonly kind: 'read'; readonly bytes: Buffer }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'aborted' };

/** Reads the whole body, giving up (and keeping nothing) as soon as it passes `maxBytes`. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (body: Body) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ kind: 'read', bytes: Buffer.concat(chunks, size) }));
    req.once('error', () => finish({ kind: 'aborted' }));
    req.once('close', () => finish({ kind: 'aborted' }));
  });
}

/** The update in a body, decoded as one UTF-8 text; undefined unless it has an update id. */
function parseUpdate(bytes: Buffer): Update | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const id = (parsed as { update_id?: unknown }).update_id;
  // The remaining fields are telegraf's to interpret, as they would be from getUpdates.
  return Number.isSafeInteger(id) && (id as number) >= 0 ? (parsed as Update) : undefined;
}

/** Resolves true if `promise` settles within `ms` (or before `cutShort` resolves), false otherwise. */
function settlesWithin(promise: Promise<unknown>, ms: number, cutShort: Promise<void>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    const settle = (value: boolean) => {
      clearTimeout(timer);
      resolve(value);
    };
    promise.then(
      () => settle(true),
      () => settle(true),
    );
    cutShort.then(() => settle(false));
  });
}

export async function startWebhookServer(
  endpoint: WebhookEndpoint,
  options: WebhookServerOptions,
  logger: Logger,
): Promise<WebhookServer> {
  const recent = new RecentUpdates<Promise<void>>(options.rememberedUpdateIds);
  const inFlight = new Map<number, Promise<void>>();
  /** Requests whose update has started (or is a redelivery of one): answered once it settles. */
  const held = new Set<ServerResponse>();
  let stopping = false;
  let abandoned = 0;
  let release = () => {};
  /** Resolves when stop() gives up waiting for replies: every held request is then answered. */
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });

  const answer = (res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}) => {
    if (res.headersSent || res.destroyed) return;
    // While stopping, a keep-alive connection would hold the server open after its last answer.
    res.writeHead(status, stopping ? { ...headers, connection: 'close' } : headers).end();
  };

  const start = (update: Update): Promise<void> => {
    const settled = endpoint.handleUpdate(update).catch((error: unknown) => {
      logger.error(
        { updateId: update.update_id, err: telegramError(error, 'handle update').describe() },
        'Webhook update failed',
      );
    });
    recent.remember(update.update_id, settled);
    inFlight.set(update.update_id, settled);
    void settled.then(() => inFlight.delete(update.update_id));
    return settled;
  };

  /** Resolves true if the reply settles before the deadline, false at the deadline or stop. */
  const holdFor = (res: ServerResponse, settled: Promise<void>, arrived: number): Promise<boolean> => {
    held.add(res);
    res.once('close', () => held.delete(res));
    return settlesWithin(settled, options.replyDeadlineMs - (performance.now() - arrived), released);
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrived = performance.now();
    // Strangers are refused before their body is read: they cost no memory.
    if (!webhookFilter.call(endpoint, req)) return answer(res, 403);
    if (Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) {
      return answer(res, 413, { connection: 'close' });
    }
    const body = await readBody(req, options.maxBodyBytes);
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') return answer(res, 413, { connection: 'close' });
    const update = parseUpdate(body.bytes);
    if (!update) return answer(res, 400);

    const updateId = update.update_id;
    const earlier = recent.get(updateId);
    if (earlier) {
      // Telegram thought an earlier delivery failed; its reply is already sent or on its way.
      logger.warn({ updateId }, 'Telegram redelivered an update already answered: not replying twice');
      await holdFor(res, earlier, arrived);
      return answer(res, 200);
    }
    // Not started here: the next instance gets it.
    if (stopping) return answer(res, 503, { 'retry-after': '1' });
    if (options.firstSeen && !(await options.firstSeen(updateId))) {
      // Another process of the bot took this update: it answers; Telegram must not send it again.
      logger.warn(
        { updateId },
        'Telegram redelivered an update another process answered: not replying twice',
      );
      return answer(res, 200);
    }
    // The shared check may take a while: a stop that began meanwhile leaves the update to another instance.
    if (stopping) return answer(res, 503, { 'retry-after': '1' });

    const inTime = await holdFor(res, start(update), arrived);
    if (!inTime && !stopping) {
      logger.warn(
        { updateId, deadlineMs: options.replyDeadlineMs },
        'Reply still being sent at the webhook deadline: answering Telegram now so it does not redeliver',
      );
    }
    answer(res, 200);
  };

  const server = createServer(
    {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      // Node checks both timeouts only this often (30 s by default), far too late for a slow loris.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(options.headersTimeoutMs / 4))),
    },
    (req, res) => {
      serve(req, res).catch((error: unknown) => {
        logger.error({ err: telegramError(error, 'webhook request').describe() }, 'Webhook request failed');
        answer(res, 500);
      });
    },
  );
  server.maxConnections = options.maxConnections;
  let droppedSinceLog = 0;
  let lastDropLog = Number.NEGATIVE_INFINITY;
  server.on('drop', () => {
    droppedSinceLog += 1;
    if (performance.now() - lastDropLog < 60_000) return;
    logger.warn(
      { dropped: droppedSinceLog, maxConnections: options.maxConnections },
      'Webhook connections refused: the connection cap is reached',
    );
    droppedSinceLog = 0;
    lastDropLog = performance.now();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        telegramError(error, 'listen').explained(
          error.code === 'EADDRINUSE'
            ? `TELEGRAM_WEBHOOK_PORT ${options.port} is already in use: pick another port or stop the other process.`
            : `Cannot listen for the Telegram webhook on ${options.host} port ${options.port}: ${error.message}`,
        ),
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (error) =>
    logger.error({ err: telegramError(error, 'webhook server').describe() }, 'Webhook server error'),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let closed: Promise<void> | undefined;
  const close = async (budgetMs: number) => {
    const began = performance.now();
    const left = () => budgetMs - (performance.now() - began);
    stopping = true;
    // Replies first, then their requests: answering (or resetting) a request before its reply is
    // out would let Telegram redeliver it to the next instance, which would answer it again.
    const answerReserveMs = Math.min(1000, budgetMs / 5);
    if (inFlight.size) {
      await settlesWithin(
        Promise.allSettled(inFlight.values()),
        left() - answerReserveMs,
        new Promise(() => {}),
      );
    }
    abandoned = inFlight.size;
    if (abandoned) {
      logger.warn(
        { updateIds: [...inFlight.keys()] },
        'Stop budget spent with replies still going out: answering Telegram anyway (no redelivery; these replies may be lost)',
      );
    }
    release();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), Math.max(0, left()));
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      // Once every held request is answered, what remains are idle connections and requests not
      // taken (headers or body still arriving): dropped, Telegram redelivers those elsewhere.
      const dropRest = () => {
        if (held.size === 0) server.closeAllConnections();
      };
      for (const res of held) res.once('close', dropRest);
      dropRest();
    });
  };

  return {
    port,
    inFlight: () => inFlight.size,
    abandoned: () => abandoned,
    close: (budgetMs) => {
      closed ??= close(budgetMs);
      return closed;
    },
  };
}
