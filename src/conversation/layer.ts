import type { Command, CommandArgs } from '../../commands/types.ts';
import { type Analytics, disabledAnalytics } from '../analytics/index.ts';
import type { Reply } from '../core/reply.ts';
import type { ContextualReply, PreviousTurn, QaService } from '../core/service.ts';
import { withoutMentions } from '../core/text.ts';
import type { FeedbackVote } from './buttons.ts';
import { parseCommandText } from './command-text.ts';
import { type ContextBackend, ContextStore } from './context-store.ts';
import { type ConversationOptions, Conversations } from './conversations.ts';
import { CONVERSATION_DEFAULTS } from './defaults.ts';
import { LAYER_TEXTS } from './texts.ts';

/** A message that is only a number ("2", "#2", "2."): the pick of a numbered suggestion. */
const PICK = /^\s*#?(\d{1,2})[.)]?\s*$/;
/** Suggestions under "there is no suggestion 7" when the last reply offered none. */
const EXAMPLES_ON_MISS = 3;
/** The command that says what the bot can do: for a bare mention and an unknown command. */
const HELP = 'help';

/** Who sent an event, as the platform knows them: the question log keys its pseudonyms on it. */
export interface Sender {
  /** "telegram", "discord", "console": also the first half of every pseudonym. */
  readonly platform: string;
  /** The platform's own id of the user (never stored: the question log keeps an HMAC of it). */
  readonly user: string;
  /** Who is talking where: a private chat, or one user in one group channel. */
  readonly conversation: string;
}

/** What an adapter hands the layer: platform-neutral, already keyed by conversation. */
export type IncomingEvent =
  | (Sender & {
      readonly kind: 'text';
      readonly text: string;
      /** The bot reply this message answers (a platform reply), to resume that reply's context. */
      readonly replyTo?: string;
    })
  | (Sender & {
      readonly kind: 'command';
      readonly name: string;
      readonly args: CommandArgs;
    })
  | (Sender & {
      /** The bot addressed with nothing else (a bare mention): answered with the help. */
      readonly kind: 'greeting';
    })
  | (Sender & {
      /** A pressed suggestion: the entry it names is answered directly. */
      readonly kind: 'choice';
      readonly entryId: string;
    })
  | (Sender & {
      /**
       * A pressed 👍 / 👎 (or the console's + / -) under the answer to a recorded question. Its
       * reply is a short private note: a toast or an ephemeral message, never a chat message.
       */
      readonly kind: 'feedback';
      readonly eventId: string;
      readonly vote: FeedbackVote;
    });

/** A reply, and the conversation's context as its turn left it. */
export interface Turn {
  readonly reply: Reply;
  readonly context?: PreviousTurn;
  /**
   * The recorded question's id when the reply is an answer: put 👍 / 👎 under it (`feedbackPayload`).
   * Absent for any other reply, or when nothing was recorded (QUESTION_LOG=off, no database).
   */
  readonly eventId?: string;
}

export interface LayerOptions extends ConversationOptions {
  /** Where the context of each sent reply is kept for "reply to this message" (default: memory). */
  readonly replies?: ContextBackend<PreviousTurn>;
  /** The question log: every question is recorded, votes cast, /forget run (default: none). */
  readonly analytics?: Analytics;
  /** Told when /forget could not reach the database (the user is told to try again). */
  readonly onAnalyticsError?: (error: unknown) => void;
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
  private readonly analytics: Analytics;
  private readonly onAnalyticsError: (error: unknown) => void;
  private readonly now: () => number;

  constructor(
    private readonly service: QaService,
    commands: readonly Command[],
    options: LayerOptions = {},
  ) {
    this.conversations = new Conversations(service, options);
    this.onStoreError = options.onStoreError ?? (() => {});
    this.analytics = options.analytics ?? disabledAnalytics();
    this.onAnalyticsError = options.onAnalyticsError ?? (() => {});
    this.now = options.now ?? Date.now;
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
    if (event.kind === 'feedback') return this.feedback(event);
    const started = this.now();
    const turn = await this.route(event);
    return 'followUp' in turn ? this.recorded(event, turn, started) : turn;
  }

  /** The turn, or, for a question (typed, /ask, a pick, a button), the core's reading of it to record. */
  private async route(event: Exclude<IncomingEvent, { kind: 'feedback' }>): Promise<Turn | ContextualReply> {
    if (event.kind === 'command') return this.command(event, event.name, event.args);
    // Show what the bot can do rather than "I don't understand" (`command` falls back to smalltalk).
    if (event.kind === 'greeting') return this.command(event, HELP, {});
    if (event.kind === 'choice') return this.conversations.choose(event.conversation, event.entryId);
    const number = PICK.exec(event.text)?.[1];
    if (number !== undefined) return this.pick(event.conversation, Number(number));
    const typed = parseCommandText(event.text);
    if (typed) {
      const command = this.commands.get(typed.name);
      // An unknown command gets the help, on every platform.
      if (!command) return this.command(event, typed.name, {});
      return this.command(event, command.name, command.parseText(this.service, typed.rest));
    }
    const resumed = event.replyTo
      ? await this.replies.get(event.replyTo).catch(this.storeFailed('get'))
      : undefined;
    return this.conversations.ask(event.conversation, event.text, resumed);
  }

  /**
   * Records a question as one event (pseudonymous keys; the recorder queues it and returns at
   * once, never throwing), and hands the turn back with the event id when it is an answer.
   */
  private recorded(
    event: Exclude<IncomingEvent, { kind: 'feedback' }>,
    result: ContextualReply,
    started: number,
  ): Turn {
    const { reply } = result;
    const turn: Turn = { reply, ...(result.context ? { context: result.context } : {}) };
    const picked = event.kind === 'choice' || (event.kind === 'text' && PICK.test(event.text));
    // A stale button or pick answers nothing: it is not a question.
    if (picked && reply.kind !== 'answer') return turn;
    // Kept without control characters or anyone's mention (a platform id); the recorder cuts its length.
    const asked = withoutMentions(this.askedText(event, result));
    if (!asked) return turn;
    let eventId: string | undefined;
    try {
      const { keys } = this.analytics;
      eventId = this.analytics.recorder.record({
        platform: event.platform,
        user: keys.user(event.platform, event.user),
        conversation: keys.conversation(event.platform, event.conversation),
        question: asked,
        kind: reply.kind,
        ...(reply.kind === 'answer'
          ? { entryId: reply.entryId }
          : reply.kind === 'clarify' && reply.suggestions[0]
            ? { entryId: reply.suggestions[0].entryId }
            : {}),
        ...('confidence' in reply ? { confidence: reply.confidence } : {}),
        followUp: result.followUp,
        latencyMs: Math.max(0, this.now() - started),
      });
    } catch (error) {
      // The recorder promises not to throw; should it, the reply still goes out.
      this.onAnalyticsError(error);
    }
    return eventId !== undefined && reply.kind === 'answer' ? { ...turn, eventId } : turn;
  }

  /**
   * What the reader asked, as they put it: the message as typed (a follow-up too), the question of
   * /ask (a platform command or typed); for a pick or a button, the entry's question it stands for.
   */
  private askedText(event: Exclude<IncomingEvent, { kind: 'feedback' }>, result: ContextualReply): string {
    if (event.kind === 'choice' || event.kind === 'greeting') return result.question;
    if (event.kind === 'command')
      return this.commands.get(event.name)?.question?.(event.args) ?? result.question;
    if (PICK.test(event.text)) return result.question;
    const typed = parseCommandText(event.text);
    if (!typed) return event.text;
    const command = this.commands.get(typed.name);
    return command?.question?.(command.parseText(this.service, typed.rest)) ?? result.question;
  }

  /** A 👍 / 👎: one vote per user and event (a second press replaces it), acknowledged privately. */
  private feedback(event: Extract<IncomingEvent, { kind: 'feedback' }>): Turn {
    let taken = false;
    try {
      const user = this.analytics.keys.user(event.platform, event.user);
      taken = this.analytics.votes.cast(event.eventId, user, event.vote);
    } catch (error) {
      this.onAnalyticsError(error);
    }
    const text = taken ? LAYER_TEXTS.feedbackThanks(event.vote) : LAYER_TEXTS.feedbackNotTaken;
    return { reply: { kind: 'smalltalk', text, suggestions: [], private: true } };
  }

  /** /forget: every recorded question and vote of the sender, and this conversation's context. */
  private async forget(event: Sender): Promise<Turn> {
    await this.conversations.forget(event.conversation);
    let text: string;
    try {
      const gone = await this.analytics.forget(this.analytics.keys.user(event.platform, event.user));
      text = LAYER_TEXTS.forgotten(gone.events);
    } catch (error) {
      this.onAnalyticsError(error);
      text = LAYER_TEXTS.forgetFailed;
    }
    return {
      reply: {
        kind: 'info',
        title: LAYER_TEXTS.forgetTitle,
        text,
        quotes: [],
        suggestions: [],
        private: true,
      },
    };
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
        : event.kind === 'greeting'
          ? HELP
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
  private async pick(conversation: string, number: number): Promise<Turn | ContextualReply> {
    const offered = await this.conversations.offered(conversation);
    const picked = offered[number - 1];
    if (picked) return this.conversations.choose(conversation, picked.entryId);
    const suggestions = offered.length ? offered : this.service.examples(EXAMPLES_ON_MISS);
    const reply: Reply = {
      kind: 'smalltalk',
      text: LAYER_TEXTS.noSuchSuggestion(number, offered.length),
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

  private async command(event: Sender, name: string, args: CommandArgs): Promise<Turn | ContextualReply> {
    const { conversation } = event;
    const command = this.commands.get(name);
    if (!command) {
      // A command list without /help (a test's, another deployment's) still answers: as smalltalk.
      return this.commands.has(HELP)
        ? this.command(event, HELP, {})
        : this.conversations.ask(conversation, HELP);
    }
    if (command.layerAction === 'forget') return this.forget(event);
    if (command.question) {
      const turn = await this.conversations.ask(conversation, command.question(args));
      return args.private === true ? { ...turn, reply: { ...turn.reply, private: true } } : turn;
    }
    // A command other than /ask leaves the conversation as it was, but for what its reply offers.
    const reply = command.run(this.service, args);
    return { reply, context: await this.conversations.offers(conversation, reply.suggestions) };
  }
}
