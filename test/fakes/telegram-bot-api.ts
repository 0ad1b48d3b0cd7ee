import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chat, Update, User } from 'telegraf/types';

/**
 * A small Telegram Bot API fake on 127.0.0.1 (port 0), for running the real telegraf over HTTP.
 * It answers POST /bot<token>/<method> with JSON like Telegram, records every call with its JSON
 * body, long-polls getUpdates (holds the request until an update is queued or a short timeout,
 * never a busy loop), and can be told to fail the next call(s) with 429 {retry_after}, 5xx, a
 * dropped connection before or after processing, a truncated answer or none, or to fail every
 * call for a set time (an outage). `delivered` records what users see.
 */

export interface RecordedCall {
  readonly method: string;
  // Bodies are whatever the bot sent: tests narrow them with toMatchObject / toEqual.
  readonly body: Record<string, unknown>;
  /** performance.now() when the fake received the call. */
  readonly at: number;
}

export interface FakeFailure {
  /** Fail only this method (any method when omitted). */
  readonly method?: string;
  /** Fail only calls for this chat (body.chat_id). */
  readonly chatId?: number;
  /**
   * 'reset' drops the connection without an answer (a network failure) and does nothing.
   * After the call was processed (a message sent is in the chat): 'processed-reset' drops the
   * connection without an answer; 'truncate' answers 200 with a Content-Length larger than the
   * body, sends its first bytes, then closes. 'hang' never answers (until the client gives up).
   */
  readonly status: 401 | 429 | 500 | 502 | 503 | 409 | 'reset' | 'processed-reset' | 'truncate' | 'hang';
  /** Seconds, for 429. */
  readonly retryAfter?: number;
}

/** A message as the chat shows it: sent or edited by the bot, whether or not its answer got back. */
export interface DeliveredMessage {
  readonly method: string;
  readonly chatId: number;
  /** What the bot sent (HTML when parse_mode is HTML). */
  readonly text: string;
  /** What the chat shows: the text as Telegram parsed it, and its entities (formatting, tappable commands). */
  readonly shown: ParsedText;
  /** The message's id in its chat (what a reply to it names). */
  readonly messageId: number;
  /** performance.now() when the fake processed it. */
  readonly at: number;
}

/** getMe's answer: a bot user with the settings @BotFather controls. */
export type FakeBotUser = User & {
  username: string;
  can_join_groups: boolean;
  /** False while privacy mode is on (@BotFather /setprivacy). */
  can_read_all_group_messages: boolean;
  /** True once inline mode is on (@BotFather /setinline). */
  supports_inline_queries: boolean;
};

export interface FakeBotApiOptions {
  readonly token?: string;
  readonly botUser?: Partial<FakeBotUser>;
  /** Longest time getUpdates holds a request open with no updates. */
  readonly maxPollMs?: number;
  /**
   * A request arriving on a keep-alive connection idle longer than this is swallowed, never
   * answered, as by a NAT or load balancer that silently forgot the connection.
   */
  readonly forgetIdleConnectionsAfterMs?: number;
}

export const FAKE_TOKEN = '123456789:AAFakeTokenForTheLocalBotApiFake_0123';

interface Waiter {
  readonly offset: number;
  readonly limit: number;
  readonly res: ServerResponse;
  readonly timer: NodeJS.Timeout;
}

type Json = Record<string, unknown>;

export class FakeBotApi {
  readonly token: string;
  readonly botUser: FakeBotUser;
  readonly calls: RecordedCall[] = [];
  readonly #events = new EventEmitter();
  readonly #updates: Update[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #failures: FakeFailure[] = [];
  readonly #outages: { readonly failure: FakeFailure; readonly until: number }[] = [];
  /** What users see, in order. */
  readonly delivered: DeliveredMessage[] = [];
  readonly #delays: { method: string; ms: number }[] = [];
  readonly #maxPollMs: number;
  readonly #server: Server;
  #nextUpdateId = 1;
  #nextMessageId = 1000;
  #url = '';

  private constructor(options: FakeBotApiOptions) {
    this.token = options.token ?? FAKE_TOKEN;
    this.botUser = {
      id: Number(this.token.split(':')[0]),
      is_bot: true,
      first_name: 'Article Bot',
      username: 'ArticleQaBot',
      // A bot set up as the README says: inline mode on, privacy mode off.
      can_join_groups: true,
      can_read_all_group_messages: true,
      supports_inline_queries: true,
      ...options.botUser,
    };
    this.#maxPollMs = options.maxPollMs ?? 500;
    const forgetAfter = options.forgetIdleConnectionsAfterMs;
    this.#events.setMaxListeners(0);
    const lastAnswered = new WeakMap<object, number>();
    this.#server = createServer((req, res) => {
      const idleSince = lastAnswered.get(req.socket);
      if (
        forgetAfter !== undefined &&
        idleSince !== undefined &&
        performance.now() - idleSince > forgetAfter
      ) {
        req.resume();
        return;
      }
      res.on('finish', () => lastAnswered.set(req.socket, performance.now()));
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  }

  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const fake = new FakeBotApi(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The apiRoot to give telegraf. */
  get url(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    for (const waiter of this.#waiters) this.#release(waiter, []);
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /** Queues an update (update_id assigned here) and wakes a pending getUpdates. */
  push(update: Omit<Update, 'update_id'> | Json): number {
    const updateId = this.#nextUpdateId++;
    this.#updates.push({ update_id: updateId, ...update } as Update);
    for (const waiter of this.#waiters) {
      const ready = this.#pending(waiter.offset, waiter.limit);
      if (ready.length) this.#release(waiter, ready);
    }
    return updateId;
  }

  /** Makes the next matching call(s) fail, in order. */
  failNext(...failures: FakeFailure[]): void {
    this.#failures.push(...failures);
  }

  /** Every matching call fails like `failure` for the next `ms` (an outage of a set length). */
  failFor(ms: number, failure: FakeFailure): void {
    this.#outages.push({ failure, until: performance.now() + ms });
  }

  /** The messages a chat has received, in order. */
  deliveredTo(chatId: number): DeliveredMessage[] {
    return this.delivered.filter((message) => message.chatId === chatId);
  }

  /** Makes the next call to `method` answer only after `ms` (a slow Telegram, for time limits and stop). */
  slowNext(method: string, ms: number): void {
    this.#delays.push({ method, ms });
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves with the first call (already recorded or future) matching, or rejects after `timeoutMs`. */
  waitFor(
    method: string,
    match: (body: Json) => boolean = () => true,
    timeoutMs = 3000,
  ): Promise<RecordedCall> {
    const found = this.calls.find((call) => call.method === method && match(call.body));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall) => {
        if (call.method !== method || !match(call.body)) return;
        clearTimeout(timer);
        this.#events.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.#events.off('call', onCall);
        reject(new Error(`FakeBotApi: no ${method} call within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#events.on('call', onCall);
    });
  }

  /** Resolves once `count` calls to `method` have been recorded in total. */
  waitForCount(method: string, count: number, timeoutMs = 5000): Promise<RecordedCall[]> {
    if (this.callsTo(method).length >= count) return Promise.resolve(this.callsTo(method));
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall) => {
        if (call.method !== method || this.callsTo(method).length < count) return;
        clearTimeout(timer);
        this.#events.off('call', onCall);
        resolve(this.callsTo(method));
      };
      const timer = setTimeout(() => {
        this.#events.off('call', onCall);
        reject(
          new Error(
            `FakeBotApi: ${this.callsTo(method).length}/${count} ${method} calls after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.#events.on('call', onCall);
    });
  }

  #pending(offset: number, limit: number): Update[] {
    // Telegram forgets updates below the offset: they are confirmed.
    while (this.#updates[0] && this.#updates[0].update_id < offset) this.#updates.shift();
    return this.#updates.slice(0, limit);
  }

  #release(waiter: Waiter, updates: Update[]): void {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
    send(waiter.res, 200, { ok: true, result: updates });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    if (req.method !== 'POST' || !match)
      return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method = ''] = match;
    const body = raw ? (JSON.parse(raw) as Json) : {};
    const call: RecordedCall = { method, body, at: performance.now() };
    this.calls.push(call);
    this.#events.emit('call', call);

    const delayIndex = this.#delays.findIndex((d) => d.method === method);
    const delay = delayIndex >= 0 ? this.#delays.splice(delayIndex, 1)[0] : undefined;
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay.ms));

    if (token !== this.token)
      return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const matches = (f: FakeFailure) =>
      (f.method === undefined || f.method === method) &&
      (f.chatId === undefined || f.chatId === body.chat_id);
    const failureIndex = this.#failures.findIndex(matches);
    const failure =
      failureIndex >= 0
        ? this.#failures.splice(failureIndex, 1)[0]
        : this.#outages.find((o) => o.until > performance.now() && matches(o.failure))?.failure;
    if (failure?.status === 429) {
      const retryAfter = failure.retryAfter ?? 1;
      return send(res, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
    }
    if (failure?.status === 'reset') {
      req.socket.destroy();
      return;
    }
    if (failure?.status === 'hang') return;
    if (failure?.status === 'processed-reset' || failure?.status === 'truncate') {
      const result =
        method === 'getUpdates' ? this.#pending(Number(body.offset ?? 0), 100) : this.#process(method, body);
      if (failure.status === 'processed-reset') {
        req.socket.destroy();
        return;
      }
      const full = JSON.stringify({ ok: true, result });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(full.length + 500) });
      res.write(full.slice(0, 26), () => req.socket.destroy());
      return;
    }
    if (failure?.status === 409) {
      return send(res, 409, {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      });
    }
    if (failure?.status === 401)
      return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    if (failure)
      return send(res, failure.status, { ok: false, error_code: failure.status, description: 'Bad Gateway' });

    switch (method) {
      case 'getMe':
        return send(res, 200, { ok: true, result: this.botUser });
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setMyCommands':
      case 'answerCallbackQuery':
      case 'answerInlineQuery':
        return send(res, 200, { ok: true, result: true });
      case 'getUpdates':
        return this.#getUpdates(body, res);
      case 'sendMessage':
      case 'editMessageText': {
        const refused = refusal(body);
        if (refused) return send(res, 400, { ok: false, error_code: 400, description: refused });
        return send(res, 200, { ok: true, result: this.#process(method, body) });
      }
      default:
        return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  #getUpdates(body: Json, res: ServerResponse): void {
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    const limit = typeof body.limit === 'number' ? body.limit : 100;
    const timeoutMs = typeof body.timeout === 'number' ? Math.min(body.timeout * 1000, this.#maxPollMs) : 0;
    const ready = this.#pending(offset, limit);
    if (ready.length || timeoutMs === 0) {
      send(res, 200, { ok: true, result: ready });
      return;
    }
    const waiter: Waiter = {
      offset,
      limit,
      res,
      timer: setTimeout(() => this.#release(waiter, []), timeoutMs),
    };
    this.#waiters.add(waiter);
    // telegraf aborts the pending poll on stop(): forget it.
    res.on('close', () => {
      clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
    });
  }

  /** Carries out a sendMessage or editMessageText: the chat shows it from now on. */
  #process(method: string, body: Json) {
    const shown = parseMessageText(body);
    const message = this.#message(method, body, shown);
    if (method === 'sendMessage' || method === 'editMessageText') {
      this.delivered.push({
        method,
        chatId: message.chat.id,
        text: String(body.text),
        shown,
        messageId: message.message_id,
        at: performance.now(),
      });
    }
    return message;
  }

  #message(method: string, body: Json, shown: ParsedText) {
    const chatId = body.chat_id as number;
    const { id, is_bot, first_name, username } = this.botUser;
    return {
      message_id: method === 'editMessageText' ? (body.message_id as number) : this.#nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: chatId < 0 ? 'supergroup' : 'private' },
      from: { id, is_bot, first_name, username },
      text: shown.text,
      ...(shown.entities.length ? { entities: shown.entities } : {}),
    };
  }
}

/* What Telegram makes of a message's text: HTML parsed into plain text and entities, plus the
 * entities it detects on its own (commands, mentions, links), which make them tappable. */

export interface FakeEntity {
  readonly type: string;
  /** UTF-16 code units, as the Bot API counts. */
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
}

export interface ParsedText {
  readonly text: string;
  readonly entities: readonly FakeEntity[];
}

/** The tags Telegram's HTML parse mode accepts, and the entity each makes. */
const HTML_TAGS: Readonly<Record<string, string>> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  code: 'code',
  pre: 'pre',
  a: 'text_link',
  blockquote: 'blockquote',
};

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

class HtmlRefused extends Error {}

/** Telegram's parse of parse_mode HTML; throws HtmlRefused with its wording on markup it rejects. */
export function parseTelegramHtml(html: string): ParsedText {
  let text = '';
  const entities: FakeEntity[] = [];
  const open: { tag: string; type: string; offset: number; url?: string }[] = [];
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === '&') {
      const entity = /^&(#x[0-9a-f]+|#\d+|[a-z]+);/i.exec(html.slice(i));
      const name = entity?.[1] ?? '';
      const decoded = name.startsWith('#')
        ? String.fromCodePoint(
            name[1]?.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)),
          )
        : NAMED_ENTITIES[name.toLowerCase()];
      // An unknown entity stays as written, as Telegram leaves it.
      if (entity && decoded !== undefined) {
        text += decoded;
        i += entity[0].length;
      } else {
        text += c;
        i++;
      }
      continue;
    }
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    const end = html.indexOf('>', i);
    if (end < 0) throw new HtmlRefused(`Unclosed start tag at byte offset ${i}`);
    const tag = html.slice(i + 1, end);
    const closing = tag.startsWith('/');
    const name = (/^\/?([a-z-]+)/i.exec(tag)?.[1] ?? '').toLowerCase();
    const type =
      HTML_TAGS[name] ?? (name === 'span' && /class="tg-spoiler"/.test(tag) ? 'spoiler' : undefined);
    if (!type)
      throw new HtmlRefused(`Unsupported ${closing ? 'end' : 'start'} tag "${name}" at byte offset ${i}`);
    if (closing) {
      const top = open.pop();
      if (top?.tag !== name)
        throw new HtmlRefused(
          `Unmatched end tag at byte offset ${i}, expected "</${top?.tag}>", found "</${name}>"`,
        );
      if (text.length > top.offset)
        entities.push({
          type: top.type,
          offset: top.offset,
          length: text.length - top.offset,
          ...(top.url ? { url: top.url } : {}),
        });
    } else {
      const href = /href="([^"]*)"/.exec(tag)?.[1];
      if (name === 'a' && !href) throw new HtmlRefused(`Can't find the URL of the link at byte offset ${i}`);
      open.push({
        tag: name,
        type,
        offset: text.length,
        ...(href ? { url: href.replace(/&amp;/g, '&') } : {}),
      });
    }
    i = end + 1;
  }
  const unclosed = open.pop();
  if (unclosed) throw new HtmlRefused(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text, entities: withDetectedEntities(text, entities) };
}

/**
 * Adds what Telegram detects by itself in any message (tdlib's match_bot_commands and
 * match_mentions, and plain http(s) links), except inside code, pre and links.
 */
function withDetectedEntities(text: string, formatting: readonly FakeEntity[]): FakeEntity[] {
  const detected: FakeEntity[] = [];
  const patterns: [string, RegExp][] = [
    [
      'bot_command',
      /(?<![\p{L}\p{N}_/<>])\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\p{L}\p{N}_/<>])/gu,
    ],
    ['mention', /(?<![\p{L}\p{N}_])@[A-Za-z0-9_]{2,32}(?![\p{L}\p{N}_])/gu],
    ['url', /\bhttps?:\/\/[^\s<>"]+[^\s<>".,:;!?'()]/g],
  ];
  const shielded = formatting.filter((e) => e.type === 'code' || e.type === 'pre' || e.type === 'text_link');
  for (const [type, pattern] of patterns) {
    for (const match of text.matchAll(pattern)) {
      const offset = match.index;
      const length = match[0].length;
      if (shielded.some((e) => offset < e.offset + e.length && e.offset < offset + length)) continue;
      if (detected.some((e) => offset < e.offset + e.length && e.offset < offset + length)) continue;
      detected.push({ type, offset, length });
    }
  }
  return [...formatting, ...detected].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

function parseMessageText(body: Json): ParsedText {
  const raw = String(body.text ?? '');
  return body.parse_mode === 'HTML'
    ? parseTelegramHtml(raw)
    : { text: raw, entities: withDetectedEntities(raw, []) };
}

/** Why Telegram would refuse this text (400), or undefined. */
function refusal(body: Json): string | undefined {
  let parsed: ParsedText;
  try {
    parsed = parseMessageText(body);
  } catch (error) {
    if (error instanceof HtmlRefused) return `Bad Request: can't parse entities: ${error.message}`;
    throw error;
  }
  if (!parsed.text.trim()) return 'Bad Request: message text is empty';
  if (parsed.text.length > 4096) return 'Bad Request: message is too long';
  return undefined;
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  if (res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
}

/* Update builders: the smallest objects Telegram would send, with entities where it adds them. */

export const alice: User = { id: 1001, is_bot: false, first_name: 'Alice', username: 'alice' };
export const bob: User = { id: 1002, is_bot: false, first_name: 'Bob' };
export const otherBot: User = { id: 999, is_bot: true, first_name: 'Other', username: 'OtherBot' };
export const privateChat = (user: User = alice): Chat.PrivateChat => ({
  id: user.id,
  type: 'private',
  first_name: user.first_name,
});
export const groupChat: Chat.SupergroupChat = { id: -100_123, type: 'supergroup', title: 'Readers' };

let nextMessageId = 1;

/** Telegram marks "/cmd" at the start and "@name" mentions with entities; so does this. */
function entitiesFor(text: string) {
  const entities: Json[] = [];
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const mention of text.matchAll(/(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}/g)) {
    entities.push({ type: 'mention', offset: mention.index, length: mention[0].length });
  }
  return entities.length ? { entities } : {};
}

export function textMessage(
  text: string,
  options: { from?: User; chat?: Chat; replyTo?: Json; extra?: Json } = {},
): { message: Json } {
  const from = options.from ?? alice;
  return {
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      from,
      chat: options.chat ?? privateChat(from),
      text,
      ...entitiesFor(text),
      ...(options.replyTo ? { reply_to_message: options.replyTo } : {}),
      ...options.extra,
    },
  };
}

export function callbackQuery(data: string, message: Json, from: User = alice): { callback_query: Json } {
  return { callback_query: { id: `cb${nextMessageId++}`, from, chat_instance: '42', data, message } };
}

/** An edit of a message sent earlier: the same message id, its new text, and when it was edited. */
export function editedMessage(
  original: { message: Json },
  text: string,
  editDate = Math.floor(Date.now() / 1000),
): { edited_message: Json } {
  const { entities: _old, ...message } = original.message;
  return { edited_message: { ...message, text, ...entitiesFor(text), edit_date: editDate } };
}

export function inlineQuery(query: string, from: User = alice): { inline_query: Json } {
  return { inline_query: { id: `iq${nextMessageId++}`, from, query, offset: '' } };
}
