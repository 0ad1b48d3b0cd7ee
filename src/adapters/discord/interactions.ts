import {
  type ApplicationCommandOptionChoiceData,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
} from 'discord.js';
import type { Choice, Command, CommandArgs } from '../../../commands/types.ts';
import type { Reply } from '../../core/reply.ts';
import type { HandlerContext } from './context.ts';
import { describeError } from './errors.ts';
import { DISCORD_LIMITS as L } from './limits.ts';
import { renderNote, renderReply, truncate } from './render.ts';
import { DISCORD_TEXTS as T } from './texts.ts';

/**
 * Interaction events → neutral requests → Discord responses. Slash commands and buttons answer
 * with one callback (deferring first if the answer is slow); autocomplete answers with choices.
 * Any failure ends in an ephemeral apology, never in an unanswered "The application did not respond".
 */
export async function handleInteraction(ctx: HandlerContext, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await handleAutocomplete(ctx, interaction);
    else if (interaction.isChatInputCommand()) await handleCommand(ctx, interaction);
    else if (interaction.isButton()) await handleButton(ctx, interaction);
  } catch (error) {
    ctx.logger.error({ err: describeError(error), ...where(interaction) }, 'discord: interaction failed');
    await apologize(ctx, interaction);
  }
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

async function handleCommand(ctx: HandlerContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const command = ctx.commands.get(interaction.commandName);
  if (!command) {
    // The registered set is older or newer than this process; start-up logs how to sync it.
    await interaction.reply({
      ...renderNote(T.unknownCommand(interaction.commandName)),
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  if (!(await withinCooldown(ctx, interaction))) return;
  const args = readArgs(command, interaction);
  await respond(ctx, interaction, args.private === true, () => command.run(ctx.service, args));
}

async function handleButton(ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  const question = ctx.render.codec.decode(interaction.customId);
  if (question === undefined) {
    await interaction.reply({ ...renderNote(T.staleButton), flags: MessageFlags.Ephemeral });
    return;
  }
  if (!(await withinCooldown(ctx, interaction))) return;
  // An answer to a private answer's button stays private.
  const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
  await respond(ctx, interaction, ephemeral, () => ctx.service.ask(question));
}

async function withinCooldown(
  ctx: HandlerContext,
  interaction: ChatInputCommandInteraction | ButtonInteraction,
): Promise<boolean> {
  const verdict = ctx.cooldown.take(interaction.user.id);
  if (verdict.ok) return true;
  const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  await interaction.reply({ ...renderNote(T.cooldown(seconds)), flags: MessageFlags.Ephemeral });
  return false;
}

/**
 * Replies directly when the answer is ready in time (one request), otherwise defers first and
 * edits the deferred reply. The core is synchronous today, so the deferral only triggers when
 * `deferAfterMs` is 0 or the core becomes asynchronous.
 */
async function respond(
  ctx: HandlerContext,
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ephemeral: boolean,
  compute: () => Reply | Promise<Reply>,
): Promise<void> {
  const state: { deferral?: Promise<unknown> } = {};
  const defer = () => {
    state.deferral ??= interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  };
  const timer = ctx.deferAfterMs > 0 ? setTimeout(defer, ctx.deferAfterMs) : undefined;
  if (!timer) defer();
  let reply: Reply;
  try {
    reply = await compute();
  } catch (error) {
    clearTimeout(timer);
    // Let an in-flight deferral land first, so the apology follows up instead of colliding with it.
    await state.deferral?.catch(() => undefined);
    throw error;
  }
  clearTimeout(timer);
  const message = renderReply(reply, ctx.render);
  if (state.deferral) {
    await state.deferral;
    await interaction.editReply(message);
    return;
  }
  await interaction.reply({
    ...message,
    ...(ephemeral || reply.private ? { flags: MessageFlags.Ephemeral } : {}),
  });
}

/** Cuts a value at a word boundary so a shortened question still reads as a question. */
function cutValue(value: string): string {
  if (value.length <= L.choiceValue) return value;
  const cut = value.slice(0, L.choiceValue);
  const space = cut.lastIndexOf(' ');
  return space > L.choiceValue / 2 ? cut.slice(0, space) : cut;
}

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

async function handleAutocomplete(ctx: HandlerContext, interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const option = ctx.commands.get(interaction.commandName)?.options.find((o) => o.name === focused.name);
  // Autocomplete is not rate-limited: it fires per keystroke and costs one cheap lookup.
  const choices =
    option?.type === 'string' && option.complete ? option.complete(ctx.service, String(focused.value)) : [];
  await interaction.respond(toAutocompleteChoices(choices));
}

async function apologize(ctx: HandlerContext, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]);
      return;
    }
    if (!interaction.isRepliable()) return;
    const note = { ...renderNote(T.failure), flags: MessageFlags.Ephemeral } as const;
    if (interaction.deferred || interaction.replied) {
      await interaction.followUp(note);
      // A public "thinking…" placeholder would otherwise stay forever.
      if (interaction.deferred && !interaction.ephemeral)
        await interaction.deleteReply().catch(() => undefined);
    } else {
      await interaction.reply(note);
    }
  } catch (error) {
    // Typically the 3-second window has passed (10062 Unknown interaction); nothing more to do.
    ctx.logger.warn(
      { err: describeError(error), interactionId: interaction.id },
      'discord: could not send the apology',
    );
  }
}
