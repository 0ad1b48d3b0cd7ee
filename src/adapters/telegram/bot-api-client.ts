import { type ClientRequest, Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { TelegramError } from 'telegraf';

/**
 * The HTTP side of Bot API calls, replacing telegraf's client (which the adapter's calls would
 * otherwise go through). Telegraf's client gives every request a fixed 500 s timeout and, through
 * node-fetch, never notices a response cut short under a Content-Length: a dropped long poll
 * left the bot deaf for minutes. It also cannot say how far a failed request got, which decides
 * whether a send may be retried without showing the user a duplicate. This client:
 * - limits each attempt (connect, request, headers and body) to `timeoutMs`;
 * - fails at once when the connection closes before the answer is complete;
 * - says, on every transport failure, whether the Bot API may have acted on the request.
 * JSON bodies only: the adapter sends no files.
 */

/**
 * How far a failed request got:
 * - 'not-sent': it was never fully written, so the Bot API cannot have acted on it;
 * - 'unknown': fully written, but no answer came (reset, timeout): it may have been acted on;
 * - 'processed': the Bot API answered with a success or client-error status, but the body was lost.
 */
export type Delivery = 'not-sent' | 'unknown' | 'processed';

export class BotApiTransportError extends Error {
  override readonly name = 'BotApiTransportError';
  constructor(
    message: string,
    readonly method: string,
    readonly delivery: Delivery,
    /** A Node error code (ECONNREFUSED, ECONNRESET...) or ETIMEDOUT for our own time limit. */
    readonly code: string,
    /** The HTTP status, when the headers arrived. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** stop() aborted the call: not a failure, nothing to log or retry. */
export class BotApiAbortError extends Error {
  override readonly name = 'AbortError';
}

export interface CallOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export interface BotApiClient {
  call(method: string, payload: object, options: CallOptions): Promise<unknown>;
  /** Closes idle keep-alive connections. */
  close(): void;
}

// Like telegraf's: null fields are left out of the body.
const dropNulls = (_key: string, value: unknown) => (value === null ? undefined : value);

interface BotApiAnswer {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error_code?: number;
  readonly description?: string;
  readonly parameters?: { readonly retry_after?: number; readonly migrate_to_chat_id?: number };
}

export interface BotApiClientOptions {
  /**
   * Keep-alive connections idle this long are closed rather than reused. A send is not retried
   * once written, so it must not go out on a connection a NAT or load balancer may have
   * silently dropped while idle (the request would vanish, its reply lost).
   */
  readonly idleConnectionMs: number;
}

export function createBotApiClient(
  token: string,
  apiRoot: string,
  options: BotApiClientOptions,
): BotApiClient {
  const root = new URL(apiRoot);
  const secure = root.protocol === 'https:';
  // The agent's `timeout` applies to idle pooled sockets (closed when it fires); a request in
  // progress ignores it and runs under its own time limit below.
  const pool = { keepAlive: true, timeout: options.idleConnectionMs };
  const agent = secure ? new HttpsAgent(pool) : new HttpAgent(pool);
  const send = secure ? httpsRequest : httpRequest;

  return {
    async call(method, payload, options) {
      // Same URL rule as telegraf: a root with a path keeps it when it ends with a slash.
      const url = new URL(`./bot${token}/${method}`, root);
      const body = JSON.stringify(payload, dropNulls);
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const answer = await exchange(
        () => send(url, { method: 'POST', agent, headers }),
        body,
        method,
        options,
      );
      if (answer.status >= 500) {
        throw new TelegramError({ error_code: answer.status, description: answer.statusText }, { method });
      }
      let data: BotApiAnswer;
      try {
        data = JSON.parse(answer.text) as BotApiAnswer;
      } catch {
        throw new BotApiTransportError(
          `${method}: the Bot API answered ${answer.status} with a body that is not JSON`,
          method,
          answer.status === 429 ? 'not-sent' : 'processed',
          'EBADBODY',
          answer.status,
        );
      }
      if (!data.ok) {
        throw new TelegramError(
          {
            error_code: data.error_code ?? answer.status,
            description: data.description ?? answer.statusText,
            ...(data.parameters ? { parameters: data.parameters } : {}),
          },
          { method },
        );
      }
      return data.result;
    },
    close() {
      agent.destroy();
    },
  };
}

interface RawAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly text: string;
}

/** One POST, tracking how far it got. The URL, with its token, never appears in an error. */
function exchange(
  open: () => ClientRequest,
  body: string,
  method: string,
  { timeoutMs, signal }: CallOptions,
): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new BotApiAbortError(`${method} aborted`));
      return;
    }
    let written = false;
    let status: number | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (code: string, reason: string) =>
      settle(() => {
        req.destroy();
        const delivery: Delivery =
          status !== undefined
            ? status === 429
              ? 'not-sent'
              : 'processed'
            : written
              ? 'unknown'
              : 'not-sent';
        const stage =
          status !== undefined
            ? `after a ${status} answer began`
            : written
              ? 'after it was sent'
              : 'before it was sent';
        reject(
          new BotApiTransportError(`${method} failed ${stage}: ${reason}`, method, delivery, code, status),
        );
      });
    const onAbort = () =>
      settle(() => {
        req.destroy();
        reject(new BotApiAbortError(`${method} aborted`));
      });
    const req = open();
    const timer = setTimeout(() => fail('ETIMEDOUT', `no complete answer within ${timeoutMs} ms`), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    // 'finish': the whole request has been handed to the operating system.
    req.on('finish', () => {
      written = true;
    });
    req.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'EIO', error.message));
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      if (status >= 500) {
        // The status says it all (telegraf reads no 5xx body either).
        res.resume();
        res.on('error', () => {});
        settle(() => resolve({ status: status ?? 0, statusText: res.statusMessage ?? '', text: '' }));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) =>
        fail(error.code ?? 'ECONNRESET', 'the connection closed before the answer was complete'),
      );
      res.on('close', () => {
        if (!res.complete) fail('ECONNRESET', 'the connection closed before the answer was complete');
      });
      res.on('end', () =>
        settle(() =>
          resolve({
            status: status ?? 0,
            statusText: res.statusMessage ?? '',
            // Decoded once as a whole: a character split across chunks stays intact.
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        ),
      );
    });
    req.end(body);
  });
}
