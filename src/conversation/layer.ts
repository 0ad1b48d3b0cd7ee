import type { Command, CommandArgs } from '../../commands/types.ts';
import type { Reply } from '../core/reply.ts';
import type { PreviousTurn, QaService } from '../core/service.ts';
import { parseCommandText } from './command-text.ts';
import { type ContextBackend, ContextStore } from './context-store.ts';
import { type ConversationOptions, Conversations } from './conversations.ts';
import { CONVERSATION_DEFAULTS } from './defaults.ts';

/** What an adapter hands the layer: platform-neutral, already keyed by conversation. */
export type IncomingEvent =
  | {
      readonly kind: 'text';
      /** Who is talking where: a private chat, or one user in one group channel. */
      readonly conversation: string;
      readonly text: string;
      /** The bot reply this message answers (a platform reply), to resume that reply's context. */
      readonly replyTo?: string;
    }
  | {
      readonly kind: 'command';
      readonly conversation: string;
      readonly name: string;
      readonly args: CommandArgs;
    }
  | {
      /** A pressed suggestion: the entry it names is answered directly. */
      readonly kind: 'choice';
      readonly conversation: string;
      readonly entryId: string;
    };

/** A reply, and the conversation's context as its turn left it. */
export interface Turn {
  readonly reply: Reply;
  readonly context?: PreviousTurn;
}

export interface LayerOptions extends ConversationOptions {
  /** Where the context of each sent reply is kept for "reply to this message" (default: memory). */
  readonly replies?: ContextBackend<PreviousTurn>;
}

/**
 * The neutral layer between adapters and the core: turns incoming events into replies, with
 * conversation context, one reading of command text for every platform, and the context of each
 * bot reply, so replying to an older answer resumes what it was about.
 */
export class ConversationLayer {
  readonly conversations: Conversations;
  private readonly commands: ReadonlyMap<string, Command>;
  private readonly replies: ContextBackend<PreviousTurn>;
  private readonly onStoreError: (error: unknown, operation: 'get' | 'set' | 'delete') => void;

  constructor(
    private readonly service: QaService,
    commands: readonly Command[],
    options: LayerOptions = {},
  ) {
    this.conversations = new Conversations(service, options);
    this.onStoreError = options.onStoreError ?? (() => {});
    this.commands = new Map(commands.map((c) => [c.name, c]));
    this.replies =
      options.replies ??
      new ContextStore<PreviousTurn>({
        ttlMs: options.contextTtlMs ?? CONVERSATION_DEFAULTS.contextTtlMs,
        maxEntries: options.maxConversations ?? CONVERSATION_DEFAULTS.maxConversations,
        now: options.now ?? Date.now,
      });
  }

  async handle(event: IncomingEvent): Promise<Reply> {
    return (await this.handleTurn(event)).reply;
  }

  /**
   * The reply, and the conversation's context as this turn left it: hand that context to `sent`
   * once the reply is delivered, so a later message of the conversation, answered meanwhile,
   * cannot put its context under this reply.
   */
  async handleTurn(event: IncomingEvent): Promise<Turn> {
    if (event.kind === 'command') return this.command(event.conversation, event.name, event.args);
    if (event.kind === 'choice') return this.conversations.choose(event.conversation, event.entryId);
    const typed = parseCommandText(event.text);
    if (typed) {
      const command = this.commands.get(typed.name);
      // An unknown command gets the help, on every platform.
      if (!command) return this.command(event.conversation, typed.name, {});
      return this.command(event.conversation, command.name, command.parseText(this.service, typed.rest));
    }
    const resumed = event.replyTo
      ? await this.replies.get(event.replyTo).catch(this.storeFailed('get'))
      : undefined;
    return this.conversations.ask(event.conversation, event.text, resumed);
  }

  /**
   * Remembers what a sent reply was about, under the platform's id for it, so a later reply to
   * that message resumes there. Call after the platform confirmed the message, with the turn's
   * context (`handleTurn`); without one, the conversation's context now is kept.
   */
  async sent(conversation: string, replyId: string, context?: PreviousTurn): Promise<void> {
    const kept = context ?? (await this.conversations.current(conversation));
    if (kept) await this.replies.set(replyId, kept).catch(this.storeFailed('set'));
  }

  /** A failing shared store costs the reply its context, never the reply itself. */
  private storeFailed(operation: 'get' | 'set') {
    return (error: unknown): undefined => {
      this.onStoreError(error, operation);
      return undefined;
    };
  }

  private async command(conversation: string, name: string, args: CommandArgs): Promise<Turn> {
    const command = this.commands.get(name);
    if (!command) {
      // A command list without /help (a test's, another deployment's) still answers: as smalltalk.
      return this.commands.has('help')
        ? this.command(conversation, 'help', {})
        : this.conversations.ask(conversation, 'help');
    }
    if (command.question) {
      const turn = await this.conversations.ask(conversation, command.question(args));
      return args.private === true ? { ...turn, reply: { ...turn.reply, private: true } } : turn;
    }
    // A command other than /ask leaves the conversation as it was.
    const context = await this.conversations.current(conversation);
    return { reply: command.run(this.service, args), ...(context ? { context } : {}) };
  }
}
