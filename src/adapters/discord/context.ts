import type { Command } from '../../../commands/types.ts';
import type { ConversationLayer } from '../../conversation/layer.ts';
import type { RateLimiter } from '../../conversation/rate-limit.ts';
import type { QaService } from '../../core/service.ts';
import type { Logger } from '../../logger.ts';
import type { RetrySettings } from './delivery.ts';
import type { RenderContext } from './render.ts';

/** What the event handlers share; built once by startDiscord and passed in (no globals). */
export interface HandlerContext {
  readonly service: QaService;
  /** Conversation context and command text: questions go through it, never straight to the core. */
  readonly layer: ConversationLayer;
  readonly commands: ReadonlyMap<string, Command>;
  readonly logger: Logger;
  /** The per-user question budget (shared with Telegram, and across processes with REDIS_URL). */
  readonly limiter: RateLimiter;
  readonly render: RenderContext;
  /**
   * Acknowledge with a deferral when an answer is not ready after this many ms, to stay within
   * Discord's 3-second window; 0 defers every command.
   */
  readonly deferAfterMs: number;
  /** How long an interaction's first response may be retried (Discord's window is 3 s). */
  readonly interactionWindowMs: number;
  /** Retries of message creates and edits after ambiguous failures. */
  readonly retry: RetrySettings;
}
