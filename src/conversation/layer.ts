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
    if (event.kind === 'command') return this.command(event.conversation, event.name, event.args);
    if (event.kind === 'choice')
      return (await this.conversations.choose(event.conversation, event.entryId)).reply;
    const typed = parseCommandText(event.text);
    if (typed) {
      const command = this.commands.get(typed.name);
      // An unknown command gets the help, on every platform.
      const chosen = command ?? this.commands.get('help');
      if (!chosen) return (await this.conversations.ask(event.conversation, event.text)).reply;
      return this.command(event.conversation, chosen.name, chosen.parseText(this.service, typed.rest));
    }
    const resumed = event.replyTo
      ? await this.replies.get(event.replyTo).catch(this.storeFailed('get'))
      : undefined;
    return (await this.conversations.ask(event.conversation, event.text, resumed)).reply;
  }

  /**
   * Remembers what a sent reply was about, under the platform's id for it, so a later reply to
   * that message resumes there. Call after the platform confirmed the message.
   */
  async sent(conversation: string, replyId: string): Promise<void> {
    const context = await this.conversations.current(conversation);
    if (context) await this.replies.set(replyId, context).catch(this.storeFailed('set'));
  }

  /** A failing shared store costs the reply its context, never the reply itself. */
  private storeFailed(operation: 'get' | 'set') {
    return (error: unknown): undefined => {
      this.onStoreError(error, operation);
      return undefined;
    };
  }

  private async command(conversation: string, name: string, args: CommandArgs): Promise<Reply> {
    const command = this.commands.get(name);
    if (!command) return this.command(conversation, 'help', {});
    if (command.question) {
      const { reply } = await this.conversations.ask(conversation, command.question(args));
      return args.private === true ? { ...reply, private: true } : reply;
    }
    return command.run(this.service, args);
  }
}
