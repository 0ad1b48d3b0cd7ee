import type { Reply } from '../src/core/reply.ts';
import type { QaService } from '../src/core/service.ts';

/**
 * Platform-neutral command definitions. Each adapter maps these onto its platform
 * (Discord application commands, Telegram bot commands, console "/name" lines);
 * no platform type appears here.
 */
export interface Choice {
  readonly name: string;
  readonly value: string;
}

interface OptionBase {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

export interface StringOption extends OptionBase {
  readonly type: 'string';
  readonly maxLength?: number;
  /** A fixed set of values (Discord renders these as choices). */
  readonly choices?: readonly Choice[];
  /** Suggestions for what the user has typed so far (Discord autocomplete). */
  readonly complete?: (service: QaService, partial: string) => readonly Choice[];
}

export interface BooleanOption extends OptionBase {
  readonly type: 'boolean';
}

export type CommandOption = StringOption | BooleanOption;

export type CommandArgs = Readonly<Record<string, string | boolean | undefined>>;

export interface Command {
  /** Lower-case, 1-32 characters of [a-z0-9_]: valid on both Discord and Telegram. */
  readonly name: string;
  /** 1-100 characters (Discord's limit; Telegram allows 256). */
  readonly description: string;
  readonly options: readonly CommandOption[];
  /**
   * Only tells about the bot or the article (help, about): it costs nothing to answer, so it never
   * counts against a user's rate limit, on any platform (ConversationLayer.countsTowardsLimit).
   */
  readonly informational?: boolean;
  /** What help shows after the name: "<question>", "[speaker] [topic]"; empty when none. */
  readonly usage?: string;
  /** Arguments that work on this article, for help's example ("kirby" for "/quote kirby"). */
  readonly example?: (service: QaService) => string;
  /**
   * Maps the free text typed after a text command ("/quote kirby war") to options,
   * for platforms without typed options (console, Telegram).
   */
  readonly parseText: (service: QaService, text: string) => CommandArgs;
  readonly run: (service: QaService, args: CommandArgs) => Reply;
  /**
   * For a command that asks a question (/ask): the question in these arguments, so the
   * conversation layer answers it in the conversation's context rather than through `run`.
   */
  readonly question?: (args: CommandArgs) => string;
  /**
   * Run by the conversation layer, which holds what it needs, instead of through `run` ('forget':
   * delete the sender's recorded questions). `run` is then only the reply where no layer is.
   */
  readonly layerAction?: 'forget';
}
