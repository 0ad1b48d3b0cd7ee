import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../../logger.ts';
import { describeError, TelegramStartError } from './retry.ts';

/**
 * The HTTP server Telegram posts updates to. telegraf's webhookCallback checks the path and the
 * X-Telegram-Bot-Api-Secret-Token header (403 otherwise) and holds the response until the update
 * is handled; this wrapper adds what a public endpoint needs around it: a body-size cap, 503
 * while stopping (Telegram redelivers), and a close that waits for in-flight updates.
 */
export interface WebhookServer {
  readonly port: number;
  close(timeoutMs: number): Promise<void>;
}

export interface WebhookServerOptions {
  readonly port: number;
  readonly host: string | undefined;
  readonly maxBodyBytes: number;
  readonly isStopping: () => boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Replaces telegraf's default webhook filter (assign it to bot.webhookFilter). The default
 * creates a `debug` logger on every request (an isatty system call each time, a few percent of
 * the webhook's CPU) and, with DEBUG on, logs the expected secret when a caller gets it wrong.
 * This one compares fixed-length digests in constant time and logs nothing.
 */
export function webhookFilter(this: { path: string; secretToken?: string }, req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== this.path) return false;
  if (!this.secretToken) return true;
  const given = req.headers['x-telegram-bot-api-secret-token'];
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(this.secretToken));
}

export async function startWebhookServer(
  handle: Handler,
  options: WebhookServerOptions,
  logger: Logger,
): Promise<WebhookServer> {
  const active = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (options.isStopping()) {
      res.writeHead(503, { 'retry-after': '1' }).end();
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) {
      res.writeHead(413, { connection: 'close' }).end();
      return;
    }
    active.add(res);
    res.on('close', () => active.delete(res));
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: describeError(error) }, 'Webhook request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new TelegramStartError(
          error.code === 'EADDRINUSE'
            ? `TELEGRAM_WEBHOOK_PORT ${options.port} is already in use: pick another port or stop the other process.`
            : `Cannot listen for the Telegram webhook on port ${options.port}: ${error.message}`,
        ),
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (error) => logger.error({ err: describeError(error) }, 'Webhook server error'));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    port,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        // close() waits for requests in progress, i.e. updates still being answered.
        const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
        // Keep-alive connections would otherwise hold close() open after their last response.
        for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
