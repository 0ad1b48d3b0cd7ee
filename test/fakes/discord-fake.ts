import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayOpcodes,
  InteractionType,
  SnowflakeUtil,
} from 'discord.js';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A local stand-in for Discord: REST over HTTP and the gateway over WebSocket on one port on
 * 127.0.0.1. It speaks just enough of the real protocol for an unmodified discord.js Client to log
 * in, receive events and answer them, and it records every REST request so tests can assert the
 * exact payloads Discord would receive.
 */

export interface RecordedRequest {
  readonly method: string;
  /** Path as sent, without the `/api/v10` prefix and without the query (e.g. `/channels/1/messages`). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** Parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  /** When the request arrived (performance.now()), for latency measurements. */
  readonly at: number;
}

export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A fault's answer: a response, or `'reset'` to destroy the connection without any response. */
export type FakeFault = FakeResponse | 'reset';

export interface FaultOptions {
  /**
   * Apply the request's effect first (create the message, acknowledge the interaction), then
   * answer with the fault: Discord processed it but the client never learns so (a 502 from the
   * edge, a connection reset after processing).
   */
  readonly afterProcessing?: boolean;
}

interface Override {
  readonly method: string;
  readonly path: RegExp;
  remaining: number;
  /** performance.now() after which the override no longer applies. */
  readonly until: number;
  readonly fault: FakeFault;
  readonly afterProcessing: boolean;
}

/** Something a user would see: a message created, an interaction answered or its answer edited. */
export interface Delivery {
  readonly kind: 'message' | 'callback' | 'edit' | 'followup';
  /** The triggering message a channel message replies to, or the interaction id. */
  readonly replyTo: string | undefined;
  readonly body: unknown;
  readonly at: number;
}

interface InteractionState {
  readonly id: string;
  readonly dispatchedAt: number;
  readonly channelId: string;
  /** The message a component interaction was on (what an update or a deferred update edits). */
  readonly componentMessageId: string | undefined;
  acknowledged: boolean;
  /** The id of the interaction's original response (`@original`), once its callback made one. */
  originalId?: string;
}

interface Waiter {
  readonly predicate: (request: RecordedRequest) => boolean;
  readonly resolve: (request: RecordedRequest) => void;
}

export interface DiscordFakeOptions {
  /** Keep every request in `requests` (off for benchmarks, so the fake's memory stays flat). */
  readonly record?: boolean;
  /** Gateway heartbeat interval sent in HELLO. */
  readonly heartbeatInterval?: number;
  /** How long after dispatch an interaction accepts its initial response (Discord: 3 s). */
  readonly interactionWindowMs?: number;
  /** How long a message nonce with `enforce_nonce` is remembered (Discord: "a few minutes"). */
  readonly nonceWindowMs?: number;
}

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly global_name: string | null;
  readonly discriminator: string;
  readonly avatar: null;
  readonly bot?: boolean;
}

export const snowflake = (): string => SnowflakeUtil.generate().toString();

export function fakeUser(username = 'alice', extra: Partial<FakeUser> = {}): FakeUser {
  return { id: snowflake(), username, global_name: username, discriminator: '0', avatar: null, ...extra };
}

const API_PREFIX = '/api/v10';

export class DiscordFake {
  readonly applicationId = snowflake();
  /** As on Discord for every application made since bots became applications: the bot's id is the application's. */
  readonly botUser: FakeUser = fakeUser('qa-bot', { bot: true, id: this.applicationId });
  readonly requests: RecordedRequest[] = [];
  /** Registered commands by scope: 'global' or a guild id. */
  readonly registered = new Map<string, unknown[]>();
  /** Counts of gateway opcodes received from the client, by name. */
  readonly gatewayStats = { connections: 0, identify: 0, resume: 0, heartbeat: 0 };
  /** The `d` of every IDENTIFY received (intents, properties, shard). */
  readonly identifies: Record<string, unknown>[] = [];
  /** When set, every bot-authenticated REST call answers 401, as Discord does for a bad token. */
  rejectToken = false;
  /** When set, the gateway closes with 4004 (authentication failed) on IDENTIFY. */
  rejectIdentify = false;
  /** What users saw, in order (only when recording). */
  readonly delivered: Delivery[] = [];
  /** Messages created through the REST API, as Discord echoed them (with their ids), in order. */
  readonly created: Record<string, unknown>[] = [];
  /** Called for every delivery, recording or not (benchmarks count with it). */
  onDelivery: ((delivery: Delivery) => void) | undefined;
  /** Called for every REST request, recording or not. */
  onRequest: ((request: RecordedRequest) => void) | undefined;

  #http: Server;
  #wss: WebSocketServer;
  #socket: WebSocket | undefined;
  #sequence = 0;
  #sessionId = '';
  #overrides: Override[] = [];
  #waiters = new Set<Waiter>();
  #gatewayWaiters = new Set<{ op: 'identify' | 'resume'; resolve: () => void }>();
  #record: boolean;
  #heartbeatInterval: number;
  #interactionWindowMs: number;
  #nonceWindowMs: number;
  /** By interaction token; pruned as entries age past the token's 15-minute lifetime. */
  #interactions = new Map<string, InteractionState>();
  /** Messages created with `enforce_nonce`, by nonce (the author is always the bot), oldest first. */
  #nonces = new Map<string, { at: number; message: Record<string, unknown> }>();
  #port = 0;

  private constructor(options: DiscordFakeOptions) {
    this.#record = options.record ?? true;
    this.#heartbeatInterval = options.heartbeatInterval ?? 41_250;
    this.#interactionWindowMs = options.interactionWindowMs ?? 3_000;
    this.#nonceWindowMs = options.nonceWindowMs ?? 180_000;
    this.#http = createServer((req, res) => {
      void this.#handleHttp(req, res);
    });
    this.#wss = new WebSocketServer({ server: this.#http, path: '/gateway' });
    this.#wss.on('connection', (socket) => this.#handleSocket(socket));
  }

  static async start(options: DiscordFakeOptions = {}): Promise<DiscordFake> {
    const fake = new DiscordFake(options);
    fake.#http.listen(0, '127.0.0.1');
    await once(fake.#http, 'listening');
    fake.#port = (fake.#http.address() as AddressInfo).port;
    return fake;
  }

  /** What to pass as discord.js `rest.api` (and as DISCORD_API_ROOT). */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}/gateway`;
  }

  get connected(): boolean {
    return this.#socket !== undefined;
  }

  /** The next `times` requests matching method and path get `fault` instead of the normal answer. */
  failNext(method: string, path: RegExp, fault: FakeFault, times = 1, options: FaultOptions = {}): void {
    this.#overrides.push({
      method,
      path,
      remaining: times,
      until: Number.POSITIVE_INFINITY,
      fault,
      afterProcessing: options.afterProcessing ?? false,
    });
  }

  /** Every request matching method and path gets `fault` for the next `durationMs` (an outage). */
  failFor(
    method: string,
    path: RegExp,
    fault: FakeFault,
    durationMs: number,
    options: FaultOptions = {},
  ): void {
    this.#overrides.push({
      method,
      path,
      remaining: Number.POSITIVE_INFINITY,
      until: performance.now() + durationMs,
      fault,
      afterProcessing: options.afterProcessing ?? false,
    });
  }

  /** Removes every pending fault. */
  clearFaults(): void {
    this.#overrides = [];
  }

  /** Resolves with the first request (already recorded or still to come) that matches. */
  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = 5_000,
  ): Promise<RecordedRequest> {
    const seen = this.requests.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`DiscordFake: no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (request) => {
          clearTimeout(timer);
          resolve(request);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Resolves when the client next sends IDENTIFY or RESUME. */
  waitForGateway(op: 'identify' | 'resume', timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#gatewayWaiters.delete(entry);
        reject(new Error(`DiscordFake: no ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry = {
        op,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.#gatewayWaiters.add(entry);
    });
  }

  /** Sends a dispatch event (op 0) to the connected client. */
  dispatch(event: string, data: unknown): void {
    const socket = this.#socket;
    if (!socket) throw new Error(`DiscordFake: cannot dispatch ${event}, no gateway connection`);
    this.#sequence += 1;
    if (event === 'INTERACTION_CREATE') this.#trackInteraction(data);
    socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: this.#sequence, d: data }));
  }

  /** Remembers an interaction's token so its callback, edits and follow-ups follow Discord's rules. */
  #trackInteraction(data: unknown): void {
    const { id, token, channel_id, message } = (data ?? {}) as {
      id?: unknown;
      token?: unknown;
      channel_id?: unknown;
      message?: { id?: unknown };
    };
    if (typeof id !== 'string' || typeof token !== 'string') return;
    const now = performance.now();
    for (const [key, state] of this.#interactions) {
      if (now - state.dispatchedAt < 15 * 60_000) break;
      this.#interactions.delete(key);
    }
    this.#interactions.set(token, {
      id,
      dispatchedAt: now,
      channelId: typeof channel_id === 'string' ? channel_id : snowflake(),
      componentMessageId: typeof message?.id === 'string' ? message.id : undefined,
      acknowledged: false,
    });
  }

  /**
   * Dispatches INTERACTION_CREATE and resolves with the interaction's first callback request
   * (`POST /interactions/{id}/{token}/callback`).
   */
  async interact(interaction: FakeInteraction, timeoutMs = 5_000): Promise<RecordedRequest> {
    const callback = this.waitForRequest(
      (r) =>
        r.method === 'POST' && r.path === `/interactions/${interaction.id}/${interaction.token}/callback`,
      timeoutMs,
    );
    this.dispatch('INTERACTION_CREATE', interaction);
    return callback;
  }

  /** The id of the message an interaction's response shows (`@original`), once it has one. */
  responseMessageId(interaction: FakeInteraction): string | undefined {
    return this.#interactions.get(interaction.token)?.originalId;
  }

  /** Closes the gateway socket from the server side, as Discord does during restarts. */
  async closeGateway(code: number): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = undefined;
    const closed = once(socket, 'close');
    socket.close(code, 'closed by DiscordFake');
    await closed;
  }

  /** Drops the connection without a close frame (code 1006 on the client), like a network failure. */
  dropGateway(): void {
    this.#socket?.terminate();
    this.#socket = undefined;
  }

  /** Tells the connected client about a guild with one text channel, as after READY. */
  addGuild(guild: FakeGuild): void {
    this.dispatch('GUILD_CREATE', {
      id: guild.id,
      name: guild.name,
      icon: null,
      owner_id: snowflake(),
      unavailable: false,
      member_count: 2,
      large: false,
      joined_at: new Date().toISOString(),
      features: [],
      roles: [{ id: guild.id, name: '@everyone', permissions: '0', position: 0, color: 0 }],
      emojis: [],
      stickers: [],
      members: [],
      presences: [],
      voice_states: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      channels: [
        {
          id: guild.channelId,
          type: ChannelType.GuildText,
          name: 'general',
          guild_id: guild.id,
          position: 0,
          permission_overwrites: [],
          nsfw: false,
        },
      ],
    });
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#socket = undefined;
    this.#wss.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  // ---- gateway -------------------------------------------------------------------------------

  #handleSocket(socket: WebSocket): void {
    this.gatewayStats.connections += 1;
    this.#socket?.terminate();
    this.#socket = socket;
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
    });
    socket.on('message', (raw) => {
      let payload: { op?: number; d?: unknown };
      try {
        payload = JSON.parse(String(raw)) as { op?: number; d?: unknown };
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      this.#handleOp(socket, payload);
    });
    socket.send(
      JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.#heartbeatInterval } }),
    );
  }

  #handleOp(socket: WebSocket, payload: { op?: number; d?: unknown }): void {
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.gatewayStats.heartbeat += 1;
        socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
        return;
      case GatewayOpcodes.Identify:
        this.gatewayStats.identify += 1;
        this.identifies.push((payload.d ?? {}) as Record<string, unknown>);
        if (this.rejectIdentify) {
          socket.close(4004, 'Authentication failed.');
          return;
        }
        this.#sequence = 0;
        this.#sessionId = snowflake();
        this.dispatch('READY', {
          v: 10,
          user: { ...this.botUser, verified: true, mfa_enabled: false, flags: 0 },
          application: { id: this.applicationId, flags: 0 },
          guilds: [],
          session_id: this.#sessionId,
          resume_gateway_url: this.gatewayUrl,
          shard: [0, 1],
        });
        this.#notifyGateway('identify');
        return;
      case GatewayOpcodes.Resume: {
        this.gatewayStats.resume += 1;
        const d = payload.d as { session_id?: string } | undefined;
        if (d?.session_id !== this.#sessionId) {
          socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
          return;
        }
        this.dispatch('RESUMED', {});
        this.#notifyGateway('resume');
        return;
      }
      default:
        // Presence updates, voice state updates, request guild members: nothing to do here.
        return;
    }
  }

  #notifyGateway(op: 'identify' | 'resume'): void {
    for (const waiter of this.#gatewayWaiters) {
      if (waiter.op !== op) continue;
      this.#gatewayWaiters.delete(waiter);
      waiter.resolve();
    }
  }

  // ---- REST ----------------------------------------------------------------------------------

  async #handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: req.headers,
      body,
      at: performance.now(),
    };
    if (this.#record) this.requests.push(request);
    this.onRequest?.(request);
    const fault = this.#override(request);
    // Routing is what applies the request's effects; a fault before processing skips it.
    const routed = !fault || fault.afterProcessing ? this.#route(request) : undefined;
    const response = fault ? fault.fault : routed;
    if (response === 'reset' || response === undefined) {
      // Drop the connection without a response: the client cannot tell whether it was processed.
      req.socket.destroy();
      this.#notifyWaiters(request);
      return;
    }
    const payload = response.body === undefined ? '' : JSON.stringify(response.body);
    res.writeHead(response.status, {
      ...(response.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...response.headers,
    });
    res.end(payload);
    this.#notifyWaiters(request);
  }

  #notifyWaiters(request: RecordedRequest): void {
    for (const waiter of this.#waiters) {
      if (!waiter.predicate(request)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(request);
    }
  }

  #override(request: RecordedRequest): Override | undefined {
    const now = performance.now();
    this.#overrides = this.#overrides.filter((o) => o.until > now);
    const match = this.#overrides.find((o) => o.method === request.method && o.path.test(request.path));
    if (!match) return undefined;
    match.remaining -= 1;
    if (match.remaining <= 0) this.#overrides = this.#overrides.filter((o) => o !== match);
    return match;
  }

  #deliver(kind: Delivery['kind'], replyTo: string | undefined, body: unknown): void {
    const delivery: Delivery = { kind, replyTo, body, at: performance.now() };
    if (this.#record) this.delivered.push(delivery);
    this.onDelivery?.(delivery);
  }

  #route(request: RecordedRequest): FakeResponse {
    const { method, path } = request;
    // Interaction callbacks and webhooks authenticate with the token in the path, not the bot token.
    const tokenInPath = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!tokenInPath && (this.rejectToken || !request.headers.authorization?.startsWith('Bot '))) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }
    if (method === 'GET' && path === '/gateway/bot') {
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      };
    }
    let match = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (method === 'POST' && match) {
      const refused = this.#acknowledge(match[1] ?? '', match[2] ?? '');
      if (refused) return refused;
      const callback = request.body as { type?: number; data?: unknown } | undefined;
      if (callback?.type === 4) this.#deliver('callback', match[1], callback.data);
      const original = this.#originalResponse(match[2] ?? '', callback?.type);
      if (request.query.get('with_response') !== 'true') return { status: 204 };
      // Discord returns the message only for CHANNEL_MESSAGE_WITH_SOURCE (4) and UPDATE_MESSAGE (7).
      const shown = (callback?.type === 4 || callback?.type === 7) && original;
      return {
        status: 200,
        body: {
          interaction: { id: match[1], type: 2 },
          resource: {
            type: callback?.type,
            ...(shown ? { message: this.#message(callback.data, original.channelId, original.id) } : {}),
          },
        },
      };
    }
    match = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(%40original|@original|\d+))?$/.exec(path);
    if (match) {
      const interaction = this.#interactions.get(match[2] ?? '');
      // Edits and follow-ups need an acknowledged interaction (tokens not dispatched here pass).
      if (interaction && !interaction.acknowledged) {
        return match[3]
          ? { status: 404, body: { message: 'Unknown Message', code: 10008 } }
          : { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
      }
      if (method === 'DELETE') return { status: 204 };
      // An edit may only (un)suppress embeds or mark components v2; ephemeral is set at creation.
      const flags = (request.body as { flags?: number } | undefined)?.flags ?? 0;
      if (method === 'PATCH' && (flags & ~(1 << 2) & ~(1 << 15)) !== 0)
        return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
      if (method === 'PATCH' || method === 'POST') {
        this.#deliver(method === 'PATCH' ? 'edit' : 'followup', interaction?.id, request.body);
        // An edit echoes the message it edited (`@original`: the interaction's response); a follow-up is new.
        const target = match[3];
        const id =
          method === 'POST' || !target
            ? snowflake()
            : /^\d+$/.test(target)
              ? target
              : interaction?.originalId;
        return { status: 200, body: this.#message(request.body, interaction?.channelId, id) };
      }
    }
    match = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (method === 'POST' && match) return this.#createMessage(request.body, match[1] ?? '');
    match = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (match && match[1] !== this.applicationId) {
      // What Discord answers a token for another application's commands.
      return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    }
    if (match) {
      const scope = match[2] ?? 'global';
      if (method === 'GET') return { status: 200, body: this.registered.get(scope) ?? [] };
      if (method === 'PUT' && Array.isArray(request.body)) {
        const stored = request.body.map((command: Record<string, unknown>) => ({
          id: snowflake(),
          application_id: this.applicationId,
          version: snowflake(),
          default_member_permissions: null,
          type: ApplicationCommandType.ChatInput,
          nsfw: false,
          ...(match?.[2] ? { guild_id: match[2] } : {}),
          ...command,
        }));
        this.registered.set(scope, stored);
        return { status: 200, body: stored };
      }
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  /**
   * The first response to an interaction wins; a second gets 40060, and after the 3-second
   * window the token no longer answers (10062), as on Discord. Returns the refusal, if any.
   */
  #acknowledge(id: string, token: string): FakeResponse | undefined {
    const interaction = this.#interactions.get(token);
    if (!interaction) return undefined;
    if (interaction.id !== id || performance.now() - interaction.dispatchedAt > this.#interactionWindowMs) {
      return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    }
    if (interaction.acknowledged) {
      return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    }
    interaction.acknowledged = true;
    return undefined;
  }

  /**
   * Which message an accepted callback made the interaction's original response: a new one for a
   * reply or a deferred reply (4, 5), the component's own message for an update (6, 7).
   */
  #originalResponse(token: string, type: number | undefined): { id: string; channelId: string } | undefined {
    const interaction = this.#interactions.get(token);
    if (!interaction) return undefined;
    if (type === 4 || type === 5) interaction.originalId ??= snowflake();
    if ((type === 6 || type === 7) && interaction.componentMessageId)
      interaction.originalId ??= interaction.componentMessageId;
    return interaction.originalId
      ? { id: interaction.originalId, channelId: interaction.channelId }
      : undefined;
  }

  /**
   * POST /channels/{id}/messages. With `enforce_nonce`, a nonce seen within the window returns
   * the message already created instead of creating another (Discord's documented behaviour).
   */
  #createMessage(body: unknown, channelId: string): FakeResponse {
    const sent = (body && typeof body === 'object' ? body : {}) as {
      nonce?: unknown;
      enforce_nonce?: unknown;
      message_reference?: { message_id?: string };
    };
    const nonce = sent.nonce;
    if (
      nonce !== undefined &&
      !(typeof nonce === 'string' && nonce.length <= 25) &&
      !(typeof nonce === 'number' && Number.isInteger(nonce))
    ) {
      return invalidForm('nonce', 'Must be 25 or fewer in length.');
    }
    if (sent.enforce_nonce === true && nonce === undefined) {
      return invalidForm('nonce', 'A nonce is required when enforce_nonce is set.');
    }
    const now = performance.now();
    for (const [key, entry] of this.#nonces) {
      if (now - entry.at < this.#nonceWindowMs) break;
      this.#nonces.delete(key);
    }
    const key = String(nonce);
    if (sent.enforce_nonce === true) {
      const existing = this.#nonces.get(key);
      if (existing) return { status: 200, body: existing.message };
    }
    const created = this.#message(body, channelId);
    this.created.push(created);
    if (sent.enforce_nonce === true) this.#nonces.set(key, { at: now, message: created });
    this.#deliver('message', sent.message_reference?.message_id, body);
    return { status: 200, body: created };
  }

  /** A message object built from a create/edit body, as Discord echoes it back. */
  #message(body: unknown, channelId = snowflake(), id = snowflake()): Record<string, unknown> {
    const sent = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    return botMessage(this.botUser, channelId, {
      id,
      type: sent.message_reference ? 19 : 0,
      content: typeof sent.content === 'string' ? sent.content : '',
      embeds: Array.isArray(sent.embeds) ? sent.embeds : [],
      components: Array.isArray(sent.components) ? sent.components : [],
      flags: typeof sent.flags === 'number' ? sent.flags : 0,
      ...(sent.nonce === undefined ? {} : { nonce: sent.nonce }),
      ...(sent.message_reference ? { message_reference: sent.message_reference } : {}),
    });
  }
}

function invalidForm(field: string, message: string): FakeResponse {
  return {
    status: 400,
    body: {
      message: 'Invalid Form Body',
      code: 50035,
      errors: { [field]: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message }] } },
    },
  };
}

// ---- payload builders ----------------------------------------------------------------------

/** A message the bot sent, as Discord describes it: the given fields over empty defaults. */
function botMessage(
  author: FakeUser,
  channelId: unknown,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id: snowflake(),
    channel_id: channelId,
    type: 0,
    author,
    content: '',
    embeds: [],
    components: [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: 0,
    ...fields,
  };
}

export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly channelId: string;
}

export function fakeGuild(name = 'Test server'): FakeGuild {
  return { id: snowflake(), name, channelId: snowflake() };
}

export interface FakeInteraction {
  readonly id: string;
  readonly token: string;
  readonly [key: string]: unknown;
}

interface Where {
  readonly user?: FakeUser;
  /** In a guild channel (member.user) when set, else in a DM with the bot (user). */
  readonly guild?: FakeGuild;
}

export type FakeOptionValue = string | boolean;

let tokenCounter = 0;

function baseInteraction(fake: DiscordFake, type: InteractionType, where: Where): FakeInteraction {
  const user = where.user ?? fakeUser();
  const id = snowflake();
  tokenCounter += 1;
  const dmChannel = snowflake();
  const place = where.guild
    ? {
        guild_id: where.guild.id,
        channel_id: where.guild.channelId,
        channel: {
          id: where.guild.channelId,
          type: ChannelType.GuildText,
          guild_id: where.guild.id,
          name: 'general',
        },
        member: {
          user,
          roles: [],
          permissions: '2248473465835073',
          joined_at: new Date(0).toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
        },
        guild_locale: 'en-US',
        context: 0,
      }
    : {
        channel_id: dmChannel,
        channel: { id: dmChannel, type: ChannelType.DM, recipients: [user] },
        user,
        context: 1,
      };
  return {
    id,
    application_id: fake.applicationId,
    type,
    token: `fake-token-${tokenCounter}-${id}`,
    version: 1,
    locale: 'en-US',
    app_permissions: '2248473465835073',
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: 10_485_760,
    ...place,
  };
}

function commandOptions(options: Readonly<Record<string, FakeOptionValue>>, focused?: string) {
  return Object.entries(options).map(([name, value]) => ({
    name,
    type:
      typeof value === 'boolean' ? ApplicationCommandOptionType.Boolean : ApplicationCommandOptionType.String,
    value,
    ...(name === focused ? { focused: true } : {}),
  }));
}

export function chatInput(
  fake: DiscordFake,
  name: string,
  options: Readonly<Record<string, FakeOptionValue>> = {},
  where: Where = {},
): FakeInteraction {
  return {
    ...baseInteraction(fake, InteractionType.ApplicationCommand, where),
    data: { id: snowflake(), name, type: ApplicationCommandType.ChatInput, options: commandOptions(options) },
  };
}

export function autocomplete(
  fake: DiscordFake,
  name: string,
  options: Readonly<Record<string, string>>,
  focused: string,
  where: Where = {},
): FakeInteraction {
  return {
    ...baseInteraction(fake, InteractionType.ApplicationCommandAutocomplete, where),
    data: {
      id: snowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      options: commandOptions(options, focused),
    },
  };
}

export function buttonPress(
  fake: DiscordFake,
  customId: string,
  where: Where & { readonly ephemeral?: boolean } = {},
): FakeInteraction {
  const base = baseInteraction(fake, InteractionType.MessageComponent, where);
  return {
    ...base,
    data: { custom_id: customId, component_type: ComponentType.Button },
    message: botMessage(fake.botUser, base.channel_id, { type: 20, flags: where.ephemeral ? 64 : 0 }),
  };
}

export interface FakeMessage {
  readonly id: string;
  readonly channel_id: string;
  readonly [key: string]: unknown;
}

/** A MESSAGE_CREATE payload: in `guild`'s channel when given (mentioning `mentions`), else a DM. */
export function message(
  content: string,
  options: {
    readonly author?: FakeUser;
    readonly guild?: FakeGuild;
    readonly mentions?: readonly FakeUser[];
  } = {},
): FakeMessage {
  const author = options.author ?? fakeUser();
  return {
    id: snowflake(),
    channel_id: options.guild?.channelId ?? snowflake(),
    ...(options.guild
      ? {
          guild_id: options.guild.id,
          member: { roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
        }
      : { channel_type: ChannelType.DM }),
    type: 0,
    author,
    content,
    mentions: (options.mentions ?? []).map((user) => ({ ...user })),
    mention_roles: [],
    mention_everyone: false,
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: 0,
  };
}
