/**
 * Discord's documented limits, in one place so the renderer, the command validator and the tests
 * agree. https://discord.com/developers/docs/resources/message and .../interactions/application-commands
 */
export const DISCORD_LIMITS = Object.freeze({
  content: 2_000,
  embedTitle: 256,
  embedDescription: 4_096,
  embedFooter: 2_048,
  /** Sum of title, description, field names and values, footer text and author name. */
  embedTotal: 6_000,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
  commandName: /^[-_a-z0-9]{1,32}$/,
  commandDescription: 100,
  commandOptions: 25,
  optionChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** Name, description, option names, descriptions and choices of one command together. */
  commandTotal: 4_000,
  commandsPerScope: 100,
  stringOptionMaxLength: 6_000,
  autocompleteChoices: 25,
});
