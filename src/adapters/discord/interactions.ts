import {
  type ApplicationCommandOptionChoiceData,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionCallbackResponse,
  type Message,
  MessageFlags,
} from 'discord.js';
import type { Choice, Command, CommandArgs } from '../../../commands/types.ts';
import { type FeedbackChoice, feedbackOf, type PageChoice } from '../../conversation/buttons.ts';
import type { Turn } from '../../conversation/layer.ts';
import { truncate as truncateText } from '../../core/text.ts';
import { PRIVATE_OPTION } from './command-json.ts';
import type { HandlerContext } from './context.ts';
import { type Attempted, givenUpReason, withRetries } from './delivery.ts';
import { discordError } from './errors.ts';
import { DISCORD_LIMITS as L } from './limits.ts';
import { keepContext, limiterKey, senderOf } from './messages.ts';
import {
  type DiscordMessage,
  plain,
  type RenderOptions,
  renderNote,
  renderReply,
  truncate,
} from './render.ts';
import { DISCORD_TEXTS as T } from './texts.ts';

/**
 * Interaction events → neutral requests → Discord responses. Slash commands and buttons answer
 * with one callback (deferring first if the answer is slow); autocomplete answers with choices.
 * A failure that left the user with nothing ends in one ephemeral apology, never in an unanswered
 * "The application did not respond"; a failure after which the answer may be showing ends in a
 * log line, never in an apology under the answer or a second copy of it.
 */
export async function handleInteraction(ctx: HandlerContext, interaction: Interaction): Promise<void> {
  // Discord counts its 3 s from creating the interaction; the gateway delivered it just now.
  const window: Window = { deadline: Date.now() + ctx.interactionWindowMs };
  try {
    if (interaction.isAutocomplete()) await handleAutocomplete(ctx, interaction, window);
    else if (interaction.isChatInputCommand()) await handleCommand(ctx, interaction, window);
    else if (interaction.isButton()) await handleButton(ctx, interaction, window);
  } catch (error) {
    ctx.logger.error(
      { err: discordError(error, 'answer interaction').describe(), ...where(interaction) },
      'discord: interaction failed',
    );
    await apologize(ctx, interaction, window);
  }
}

/** Until when the interaction accepts its first response (a Date.now() value). */
interface Window {
  readonly deadline: number;
}

/**
 * Sends an interaction's first response (reply, deferral or choices), retrying within its window.
 * Repeating it is safe: Discord takes one first response and answers 40060 to any other, which
 * also tells us that an attempt whose reply was lost did land. Rethrows Discord's error only when
 * it refused the response outright (nothing is showing, so the caller apologizes); every other
 * failure is logged here and ends the interaction.
 * Resolves true when the response is known to be (or may be) in place.
 */
async function firstResponse(
  ctx: HandlerContext,
  interaction: Interaction,
  window: Window,
  what: string,
  send: () => Promise<unknown>,
): Promise<boolean> {
  const outcome = await withRetries(send, ctx.retry, window.deadline, (retry) =>
    ctx.logger.warn(
      {
        err: discordError(retry.error, what).describe(),
        interactionId: interaction.id,
        what,
        attempt: retry.attempt,
      },
      'discord: interaction response failed; retrying',
    ),
  );
  if (outcome.ok) return true;
  if (outcome.failure === 'acknowledged') {
    ctx.logger.info(
      { interactionId: interaction.id, what, attempts: outcome.attempts },
      'discord: interaction already acknowledged; an earlier attempt landed',
    );
    return true;
  }
  if (outcome.failure === 'rejected' && !outcome.mayHaveLanded) throw outcome.error;
  logGivenUp(ctx, interaction, what, outcome, 'discord: interaction response given up');
  return outcome.mayHaveLanded;
}

/**
 * Edits the deferred response, retrying within the send budget (an edit is idempotent). Rethrows
 * only when Discord refused it and no attempt can have landed.
 */
async function editResponse(
  ctx: HandlerContext,
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  what: string,
  message: DiscordMessage,
): Promise<Message | undefined> {
  const outcome = await withRetries(
    () => interaction.editReply(message),
    ctx.retry,
    Date.now() + ctx.retry.budgetMs,
    (retry) =>
      ctx.logger.warn(
        {
          err: discordError(retry.error, what).describe(),
          interactionId: interaction.id,
          what,
          attempt: retry.attempt,
        },
        'discord: interaction edit failed; retrying',
      ),
  );
  if (outcome.ok) return outcome.value;
  if (outcome.failure === 'rejected' && !outcome.mayHaveLanded) throw outcome.error;
  logGivenUp(ctx, interaction, what, outcome, 'discord: interaction edit given up');
  return undefined;
}

/** One line for a response or edit the retries gave up on: what, why, how many attempts. */
function logGivenUp(
  ctx: HandlerContext,
  interaction: Interaction,
  what: string,
  outcome: Extract<Attempted<unknown>, { ok: false }>,
  message: string,
): void {
  ctx.logger.error(
    {
      err: discordError(outcome.error, what).describe(),
      ...where(interaction),
      what,
      reason: givenUpReason(outcome),
      attempts: outcome.attempts,
    },
    message,
  );
}

function where(interaction: Interaction): Record<string, unknown> {
  return {
    interactionId: interaction.id,
    user: interaction.user.id,
    ...(interaction.guildId ? { guild: interaction.guildId } : {}),
    ...(interaction.isCommand() || interaction.isAutocomplete() ? { command: interaction.commandName } : {}),
    ...(interaction.isButton() ? { button: interaction.customId } : {}),
  };
}

function readArgs(command: Command, interaction: ChatInputCommandInteraction): CommandArgs {
  const args: Record<string, string | boolean | undefined> = {};
  for (const option of command.options) {
    const value =
      option.type === 'boolean'
        ? interaction.options.getBoolean(option.name)
        : interaction.options.getString(option.name);
    if (value !== null) args[option.name] = value;
  }
  return args;
}

async function handleCommand(
  ctx: HandlerContext,
  interaction: ChatInputCommandInteraction,
  window: Window,
): Promise<void> {
  const command = ctx.commands.get(interaction.commandName);
  if (!command) {
    // The registered set is older or newer than this process; start-up logs how to sync it.
    // The name comes from the payload: escaped, so it cannot restyle the note.
    const note = {
      ...renderNote(T.unknownCommand(plain(interaction.commandName))),
      flags: MessageFlags.Ephemeral,
    } as const;
    await firstResponse(ctx, interaction, window, 'unknown-command', () => interaction.reply(note));
    return;
  }
  const args = readArgs(command, interaction);
  const event = {
    kind: 'command',
    ...senderOf(interaction, interaction.user.id),
    name: command.name,
    args,
  } as const;
  // Informational commands (help, about) are free: the layer says which.
  if (ctx.layer.countsTowardsLimit(event) && !(await withinCooldown(ctx, interaction, window))) return;
  // Every command has it on Discord (command-json.ts), whether or not the command declares it.
  const ephemeral = interaction.options.getBoolean(PRIVATE_OPTION) === true;
  const asked = command.question?.(args).trim();
  const argumentless = Object.keys(args).every((name) => name === PRIVATE_OPTION);
  const render: RenderOptions = {
    ...(asked ? { asked } : {}),
    ...(argumentless ? { pager: { command: command.name } } : {}),
  };
  // Through the layer: /ask continues the same conversation as mentions in this channel.
  await respond(ctx, interaction, window, { ephemeral, render }, () => ctx.layer.handleTurn(event));
}

async function handleButton(
  ctx: HandlerContext,
  interaction: ButtonInteraction,
  window: Window,
): Promise<void> {
  const vote = feedbackOf(interaction.customId);
  if (vote) return castVote(ctx, interaction, window, vote);
  const target = ctx.render.codec.decode(interaction.customId);
  if (target && 'page' in target) return turnPage(ctx, interaction, window, target.page);
  if (target === undefined) return staleButton(ctx, interaction, window);
  if (!(await withinCooldown(ctx, interaction, window))) return;
  // An answer to a private answer's button stays private.
  const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
  const from = senderOf(interaction, interaction.user.id);
  const render: RenderOptions = 'question' in target ? { asked: target.question } : {};
  await respond(ctx, interaction, window, { ephemeral, render }, () =>
    ctx.layer.handleTurn(
      'entryId' in target
        ? { kind: 'choice', ...from, entryId: target.entryId }
        : { kind: 'text', ...from, text: target.question },
    ),
  );
}

/**
 * A 👍 / 👎: the layer records the vote; its note is ephemeral, so nothing appears in the channel
 * for anyone else. A vote asks nothing, so it is not rate-limited.
 */
async function castVote(
  ctx: HandlerContext,
  interaction: ButtonInteraction,
  window: Window,
  vote: FeedbackChoice,
): Promise<void> {
  const turn = await ctx.layer.handleTurn({
    kind: 'feedback',
    ...senderOf(interaction, interaction.user.id),
    ...vote,
  });
  const note = { ...renderNote(turn.reply.text), flags: MessageFlags.Ephemeral } as const;
  await firstResponse(ctx, interaction, window, 'feedback', () => interaction.reply(note));
}

/**
 * A pager button: the command runs again, without arguments, and its page replaces the message
 * in place rather than posting another. It asks nothing new, so it is not rate-limited.
 */
async function turnPage(
  ctx: HandlerContext,
  interaction: ButtonInteraction,
  window: Window,
  page: PageChoice,
): Promise<void> {
  const command = ctx.commands.get(page.command);
  if (!command) return staleButton(ctx, interaction, window);
  const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
  const from = senderOf(interaction, interaction.user.id);
  await respond(ctx, interaction, window, { ephemeral, update: true, render: { pager: page } }, () =>
    ctx.layer.handleTurn({ kind: 'command', ...from, name: command.name, args: {} }),
  );
}

async function staleButton(
  ctx: HandlerContext,
  interaction: ButtonInteraction,
  window: Window,
): Promise<void> {
  const note = { ...renderNote(T.staleButton), flags: MessageFlags.Ephemeral } as const;
  await firstResponse(ctx, interaction, window, 'stale-button', () => interaction.reply(note));
}

async function withinCooldown(
  ctx: HandlerContext,
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  window: Window,
): Promise<boolean> {
  const verdict = await ctx.limiter.take(limiterKey(interaction.user.id));
  if (verdict.allowed) return true;
  const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  const note = { ...renderNote(T.cooldown(seconds)), flags: MessageFlags.Ephemeral } as const;
  await firstResponse(ctx, interaction, window, 'cooldown', () => interaction.reply(note));
  return false;
}

/** How to answer: privately, by replacing the pressed message (a page), and what to render with. */
interface Responding {
  readonly ephemeral: boolean;
  /** Replace the message the button is on instead of replying (pagers). */
  readonly update?: boolean;
  readonly render?: RenderOptions;
}

/**
 * Replies directly when the answer is ready in time (one request), otherwise defers first and
 * edits the deferred reply. The core is synchronous today, so the deferral only triggers when
 * `deferAfterMs` is 0 or the core becomes asynchronous.
 */
async function respond(
  ctx: HandlerContext,
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  window: Window,
  how: Responding,
  compute: () => Promise<Turn>,
): Promise<void> {
  const state: { deferral?: Promise<boolean> } = {};
  const defer = () => {
    if (state.deferral) return;
    state.deferral = deferOnce(ctx, interaction, window, how);
    // Awaited below; until then a refusal must not count as an unhandled rejection.
    state.deferral.catch(() => undefined);
  };
  // Measured from the interaction's arrival: the rate limit (Redis) may already have used some.
  const arrived = window.deadline - ctx.interactionWindowMs;
  const deferIn = ctx.deferAfterMs - (Date.now() - arrived);
  const timer = ctx.deferAfterMs > 0 && deferIn > 0 ? setTimeout(defer, deferIn) : undefined;
  if (!timer) defer();
  let turn: Turn;
  try {
    turn = await compute();
  } catch (error) {
    clearTimeout(timer);
    // Let an in-flight deferral land first, so the apology edits it instead of colliding with it.
    await state.deferral?.catch(() => undefined);
    throw error;
  }
  clearTimeout(timer);
  const { reply } = turn;
  const message = renderReply(reply, ctx.render, {
    ...how.render,
    ...(turn.eventId ? { eventId: turn.eventId } : {}),
  });
  const shown = await deliver(ctx, interaction, window, how, state.deferral, {
    ...message,
    ...(how.ephemeral || reply.private ? { flags: MessageFlags.Ephemeral } : {}),
  });
  // As for a mention's reply: replying to this answer later resumes its context.
  if (shown) await keepContext(ctx, senderOf(interaction, interaction.user.id), shown, turn);
}

/**
 * Puts the answer on screen: an edit of the deferral, the pressed message replaced (a page), or a
 * reply. Resolves with the message Discord shows, when it said which (an attempt whose response
 * was lost and then acknowledged leaves it unknown).
 */
async function deliver(
  ctx: HandlerContext,
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  window: Window,
  how: Responding,
  deferral: Promise<boolean> | undefined,
  message: DiscordMessage & { readonly flags?: MessageFlags.Ephemeral },
): Promise<Message | undefined> {
  // An edit cannot change whether a message is ephemeral: the deferral already decided that.
  const { flags: _setByTheDeferral, ...edit } = message;
  if (deferral) return (await deferral) ? editResponse(ctx, interaction, 'answer', edit) : undefined;
  let shown: Message | undefined;
  const responded = (response: InteractionCallbackResponse) => {
    shown = response.resource?.message ?? undefined;
  };
  if (how.update && interaction.isButton()) {
    const { flags: _notOnAnUpdate, ...update } = message;
    await firstResponse(ctx, interaction, window, 'page', () =>
      interaction.update({ ...update, withResponse: true }).then(responded),
    );
  } else {
    await firstResponse(ctx, interaction, window, 'answer', () =>
      interaction.reply({ ...message, withResponse: true }).then(responded),
    );
  }
  return shown;
}

/**
 * Defers, retrying within the window. Resolves true when the placeholder is (or may be) showing,
 * so the answer should edit it; false when it is known not to be (the window passed unanswered).
 * A page defers as an update: the pressed message stays until its edit replaces it.
 */
async function deferOnce(
  ctx: HandlerContext,
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  window: Window,
  how: Responding,
): Promise<boolean> {
  const deferred = await firstResponse(ctx, interaction, window, 'deferral', () =>
    how.update && interaction.isButton()
      ? interaction.deferUpdate()
      : interaction.deferReply(how.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  );
  // discord.js only sets the flag when its own call succeeded; a lost success (40060 on a retry,
  // or an ambiguous give-up) still leaves a placeholder that editReply must be allowed to fill.
  if (deferred) interaction.deferred = true;
  return deferred;
}

/** Cuts a value at a word boundary so a shortened question still reads as a question. */
const cutValue = (value: string): string =>
  truncateText(value, L.choiceValue, { ellipsis: '', atWord: true });

/** At most 25 distinct choices, each name 1-100 and value 1-100 characters, as Discord requires. */
export function toAutocompleteChoices(
  choices: readonly Choice[],
): ApplicationCommandOptionChoiceData<string>[] {
  const seen = new Set<string>();
  const result: ApplicationCommandOptionChoiceData<string>[] = [];
  for (const choice of choices) {
    const name = truncate(choice.name.trim(), L.choiceName);
    const value = cutValue(choice.value.trim());
    if (!name || !value || seen.has(value)) continue;
    seen.add(value);
    result.push({ name, value });
    if (result.length === L.autocompleteChoices) break;
  }
  return result;
}

async function handleAutocomplete(
  ctx: HandlerContext,
  interaction: AutocompleteInteraction,
  window: Window,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const option = ctx.commands.get(interaction.commandName)?.options.find((o) => o.name === focused.name);
  // Autocomplete is not rate-limited: it fires per keystroke and costs one cheap lookup.
  const choices =
    option?.type === 'string' && option.complete ? option.complete(ctx.service, String(focused.value)) : [];
  const result = toAutocompleteChoices(choices);
  await firstResponse(ctx, interaction, window, 'choices', () => interaction.respond(result));
}

/**
 * One apology, sent only when nothing else can be showing. After a deferral it replaces the
 * "thinking…" placeholder by an edit, which is idempotent, rather than a follow-up, which a lost
 * response would duplicate (and which would leave the placeholder behind).
 */
async function apologize(ctx: HandlerContext, interaction: Interaction, window: Window): Promise<void> {
  try {
    if (interaction.isAutocomplete()) {
      if (!interaction.responded)
        await firstResponse(ctx, interaction, window, 'choices', () => interaction.respond([]));
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    const note = renderNote(T.failure);
    if (interaction.deferred) {
      await editResponse(ctx, interaction, 'apology', note);
    } else if (!interaction.replied) {
      const ephemeralNote = { ...note, flags: MessageFlags.Ephemeral } as const;
      await firstResponse(ctx, interaction, window, 'apology', () => interaction.reply(ephemeralNote));
    }
  } catch (error) {
    // Typically the 3-second window has passed (10062 Unknown interaction); nothing more to do.
    ctx.logger.warn(
      { err: discordError(error, 'apology').describe(), interactionId: interaction.id },
      'discord: could not send the apology',
    );
  }
}
