import type { Command, CommandArgs } from '../../commands/types.ts';
import type { Reply } from '../core/reply.ts';
import type { PreviousTurn, QaService } from '../core/service.ts';
import { TEXTS } from '../core/texts.ts';
import { parseCommandText } from './command-text.ts';
import { type ContextBackend, ContextStore } from './context-store.ts';
import { type ConversationOptions, Conversations } from './conversations.ts';
import { CONVERSATION_DEFAULTS } from './defaults.ts';

/** A message that is only a number ("2", "#2", "2."): the pick of a numbered suggestion. */
const PICK = /^\s*#?(\d{1,2})[.)]?\s*$/;
/** Suggestions under "there is no suggestion 7" when the last reply offered none. */
const EXAMPLES_ON_MISS = 3;

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
    const number = PICK.exec(event.text)?.[1];
    if (number !== undefined) return this.pick(event.conversation, Number(number));
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

  /**
   * Whether an event counts against the user's rate limit. An informational command (help, about:
   * `Command.informational`), as a platform command or typed as text, does not; everything else
   * does. Adapters ask before taking a point from the limiter, so the rule is the same everywhere.
   */
  countsTowardsLimit(event: IncomingEvent): boolean {
    const name =
      event.kind === 'command'
        ? event.name
        : event.kind === 'text'
          ? parseCommandText(event.text)?.name
          : undefined;
    return !(name !== undefined && this.commands.get(name)?.informational === true);
  }

  /**
   * A number typed on its own picks that suggestion of the last reply, on every platform (the
   * console numbers them; elsewhere they are buttons in the same order). A number that is not
   * offered says so and offers the same suggestions again, rather than being read as a question.
   */
  private async pick(conversation: string, number: number): Promise<Turn> {
    const offered = await this.conversations.offered(conversation);
    const picked = offered[number - 1];
    if (picked) return this.conversations.choose(conversation, picked.entryId);
    const suggestions = offered.length ? offered : this.service.examples(EXAMPLES_ON_MISS);
    const reply: Reply = {
      kind: 'smalltalk',
      text: TEXTS.noSuchSuggestion(number, offered.length),
      suggestions,
    };
    return { reply, context: await this.conversations.offers(conversation, suggestions) };
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
    // A command other than /ask leaves the conversation as it was, but for what its reply offers.
    const reply = command.run(this.service, args);
    return { reply, context: await this.conversations.offers(conversation, reply.suggestions) };
  }
}
