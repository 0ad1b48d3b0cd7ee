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
