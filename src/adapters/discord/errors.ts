import { DiscordAPIError, HTTPError } from 'discord.js';

/**
 * Start-up and deploy failures with a message a person can act on, instead of a library stack
 * trace: what went wrong (with Discord's own answer when it matters), then the hint.
 */
export class DiscordStartError extends Error {
  constructor(
    readonly reason: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}\n  hint: ${hint}`, options);
    this.name = 'DiscordStartError';
  }
}

/** Interaction and webhook tokens sit in request paths; they are credentials for 15 minutes. */
export function redactPath(path: string): string {
  return path
    .replace(/(\/interactions\/\d+\/)[^/?]+/g, '$1[token]')
    .replace(/(\/webhooks\/\d+\/)[^/?]+/g, '$1[token]');
}

/** Loggable summary of a discord.js/REST error, with tokens removed from any URL. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    return {
      name: error.name,
      message: redactPath(error.message),
      status: error.status,
      ...(error instanceof DiscordAPIError ? { code: error.code } : {}),
      method: error.method,
      path: redactPath(new URL(error.url).pathname),
    };
  }
  if (error instanceof Error) {
    return {
      name: error.name,
      message: redactPath(error.message),
      ...('code' in error ? { code: error.code } : {}),
      stack: error.stack ? redactPath(error.stack) : undefined,
    };
  }
  return { message: String(error) };
}

const isStatus = (error: unknown, status: number) =>
  (error instanceof DiscordAPIError || error instanceof HTTPError) && error.status === status;

/**
 * 403 Missing Access (50001) on an /applications/{id} route: the token belongs to another
 * application than DISCORD_APPLICATION_ID names.
 */
export function isForeignApplication(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    error.status === 403 &&
    error.code === 50001 &&
    new URL(error.url).pathname.includes('/applications/')
  );
}

/** Discord's answer to a failed request as one line: status, code, message, route; no token. */
function discordAnswer(error: unknown): string {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    const code = error instanceof DiscordAPIError ? ` (code ${error.code})` : '';
    return `${error.status}${code} ${redactPath(error.message)} on ${error.method} ${redactPath(new URL(error.url).pathname)}`;
  }
  return error instanceof Error ? redactPath(error.message) : String(error);
}

/**
 * A failed REST call (deploy-commands) as a DiscordStartError: a wrong application id, a rejected
 * token and an unreachable API name the variable to fix; anything else says what Discord answered.
 */
export function explainRestError(error: unknown, apiRoot: string, applicationId: string): DiscordStartError {
  if (isForeignApplication(error)) {
    return new DiscordStartError(
      `Missing Access: the application id does not belong to this token (Discord answered 403, code 50001, for application ${applicationId}).`,
      'set DISCORD_APPLICATION_ID to the Application ID of the application whose bot token DISCORD_TOKEN is ' +
        '(Developer Portal > General Information), or leave it unset: it is read from the token',
      { cause: error },
    );
  }
  const login = explainLoginError(error, apiRoot);
  if (!login.reason.startsWith('Discord login failed')) return login;
  return new DiscordStartError(
    `Discord refused the request: ${discordAnswer(error)}.`,
    'set LOG_LEVEL=debug for details',
    { cause: error },
  );
}

/** Turns a login failure into a DiscordStartError that names the variable to fix. */
export function explainLoginError(error: unknown, apiRoot: string): DiscordStartError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
  // REST answers 401 (discord.js turns it into TokenInvalid); the gateway closes with 4004.
  const gatewayRefused = error instanceof Error && error.message === 'Authentication failed';
  if (isStatus(error, 401) || code === 'TokenInvalid' || gatewayRefused) {
    return new DiscordStartError(
      'Discord rejected DISCORD_TOKEN (401 Unauthorized).',
      'copy a fresh token from Developer Portal > your application > Bot > Reset Token into DISCORD_TOKEN',
      { cause: error },
    );
  }
  if (code === 'DisallowedIntents') {
    return new DiscordStartError(
      'Discord refused the gateway intents.',
      'this bot needs no privileged intent; check that the application is a bot application',
      { cause: error },
    );
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const network = [code, cause && 'code' in cause ? String(cause.code) : undefined].find((c) =>
    ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT'].includes(c ?? ''),
  );
  if (network) {
    return new DiscordStartError(
      `Cannot reach the Discord API at ${apiRoot} (${network}).`,
      'check the network, or DISCORD_API_ROOT if set',
      {
        cause: error,
      },
    );
  }
  return new DiscordStartError(
    `Discord login failed: ${discordAnswer(error)}`,
    'set LOG_LEVEL=debug for details',
    {
      cause: error,
    },
  );
}
