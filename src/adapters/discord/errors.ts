import { DiscordAPIError, HTTPError } from 'discord.js';
import { PlatformError } from '../platform-error.ts';

/** Interaction and webhook tokens sit in request paths; they are credentials for 15 minutes. */
export function redactPath(path: string): string {
  return path
    .replace(/(\/interactions\/\d+\/)[^/?\s]+/g, '$1[token]')
    .replace(/(\/webhooks\/\d+\/)[^/?\s]+/g, '$1[token]');
}

/**
 * Any failure around a discord.js call as the one PlatformError: a REST error names its own
 * request (method and path, tokens removed) and Discord's answer (status, code); anything else
 * is what `doing` was doing (an event, a step such as `login`). A PlatformError passes as it is.
 */
export function discordError(error: unknown, doing: string): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    return new PlatformError({
      platform: 'discord',
      method: `${error.method.toUpperCase()} ${new URL(error.url).pathname}`,
      cause: error,
      status: error.status,
      ...(error instanceof DiscordAPIError ? { code: error.code } : {}),
      redact: redactPath,
    });
  }
  return new PlatformError({ platform: 'discord', method: doing, cause: error, redact: redactPath });
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
 * A failed REST call (deploy-commands) as a PlatformError with a hint: a wrong application id, a rejected
 * token and an unreachable API name the variable to fix; anything else says what Discord answered.
 */
export function explainRestError(error: unknown, apiRoot: string, applicationId: string): PlatformError {
  const doing = 'deploy-commands';
  if (isForeignApplication(error)) {
    return discordError(error, doing).explained(
      `Missing Access: the application id does not belong to this token (Discord answered 403, code 50001, for application ${applicationId}).`,
      'set DISCORD_APPLICATION_ID to the Application ID of the application whose bot token DISCORD_TOKEN is ' +
        '(Developer Portal > General Information), or leave it unset: it is read from the token',
    );
  }
  const login = explainLoginError(error, apiRoot, doing);
  if (!login.reason.startsWith('Discord login failed')) return login;
  return discordError(error, doing).explained(
    `Discord refused the request: ${discordAnswer(error)}.`,
    'set LOG_LEVEL=debug for details',
  );
}

/** Turns a login failure into a PlatformError whose hint names the variable to fix. */
export function explainLoginError(error: unknown, apiRoot: string, method = 'login'): PlatformError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
  // REST answers 401 (discord.js turns it into TokenInvalid); the gateway closes with 4004.
  const gatewayRefused = error instanceof Error && error.message === 'Authentication failed';
  if (isStatus(error, 401) || code === 'TokenInvalid' || gatewayRefused) {
    return discordError(error, method).explained(
      'Discord rejected DISCORD_TOKEN (401 Unauthorized).',
      'copy a fresh token from Developer Portal > your application > Bot > Reset Token into DISCORD_TOKEN',
    );
  }
  if (code === 'DisallowedIntents') {
    return discordError(error, method).explained(
      'Discord refused the gateway intents.',
      'this bot needs no privileged intent; check that the application is a bot application',
    );
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const network = [code, cause && 'code' in cause ? String(cause.code) : undefined].find((c) =>
    ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT'].includes(c ?? ''),
  );
  if (network) {
    return discordError(error, method).explained(
      `Cannot reach the Discord API at ${apiRoot} (${network}).`,
      'check the network, or DISCORD_API_ROOT if set',
    );
  }
  return discordError(error, method).explained(
    `Discord login failed: ${discordAnswer(error)}`,
    'set LOG_LEVEL=debug for details',
  );
}
