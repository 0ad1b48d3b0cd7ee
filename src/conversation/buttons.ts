import { ENTRY_ID_PATTERN } from '../core/knowledge.ts';

/**
 * What a button carries: the entry it answers, as "e:<entry id>", or "d:<entry id>" for a "did you
 * mean" choice (a platform may then replace the question it answers). Entry ids are short, stable
 * and known to every process, so a button needs no server-side memory, works after a restart and
 * fits Telegram's 64 bytes of callback data and Discord's 100-character custom ids alike.
 */
const PREFIX = { answer: 'e:', choice: 'd:' } as const;
/** Telegram's callback_data limit, the tighter of the two platforms. */
export const MAX_PAYLOAD_BYTES = 64;

export interface ButtonChoice {
  readonly entryId: string;
  /** Pressed under a "did you mean": the answer may replace the question. */
  readonly clarifies: boolean;
}

export function choicePayload(entryId: string, clarifies = false): string {
  const payload = `${clarifies ? PREFIX.choice : PREFIX.answer}${entryId}`;
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES)
    throw new RangeError(`entry id too long for a button: ${entryId}`);
  return payload;
}

/** The entry a button names, or undefined when the payload is not one of ours. */
export function choiceOf(payload: string): ButtonChoice | undefined {
  const clarifies = payload.startsWith(PREFIX.choice);
  if (!clarifies && !payload.startsWith(PREFIX.answer)) return undefined;
  const entryId = payload.slice(2);
  return ENTRY_ID_PATTERN.test(entryId) ? { entryId, clarifies } : undefined;
}

/**
 * A page of an argument-less command's list ("/quote" with nothing after it lists every quote):
 * "p:<command>:<page>", the page counted from 0. The command is run again to draw the page, so,
 * like entry buttons, a pager needs no server-side memory and survives a restart.
 */
export interface PageChoice {
  readonly command: string;
  readonly page: number;
}

const PAGE_PATTERN = /^p:([a-z0-9_]{1,32}):(\d{1,3})$/;

export function pagePayload(command: string, page: number): string {
  const payload = `p:${command}:${page}`;
  if (!PAGE_PATTERN.test(payload)) throw new RangeError(`not a pageable command or page: ${command} ${page}`);
  return payload;
}

/** The command and page a pager button names, or undefined when the payload is not one. */
export function pageOf(payload: string): PageChoice | undefined {
  const match = PAGE_PATTERN.exec(payload);
  return match?.[1] && match[2] ? { command: match[1], page: Number(match[2]) } : undefined;
}

/**
 * 👍 / 👎 under an answer: "f:<event id>:u" or "f:<event id>:d". The event id is the recorded
 * question's (20 characters), so a press needs no server-side memory either: 24 bytes in all.
 */
export type FeedbackVote = 1 | -1;

export interface FeedbackChoice {
  readonly eventId: string;
  readonly vote: FeedbackVote;
}

const FEEDBACK_PATTERN = /^f:([A-Za-z0-9_-]{1,40}):([ud])$/;

export function feedbackPayload(eventId: string, vote: FeedbackVote): string {
  const payload = `f:${eventId}:${vote === 1 ? 'u' : 'd'}`;
  if (!FEEDBACK_PATTERN.test(payload) || Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES)
    throw new RangeError(`not an event id for a feedback button: ${eventId}`);
  return payload;
}

/** The event and vote a feedback button names, or undefined when the payload is not one. */
export function feedbackOf(payload: string): FeedbackChoice | undefined {
  const match = FEEDBACK_PATTERN.exec(payload);
  return match?.[1] && match[2] ? { eventId: match[1], vote: match[2] === 'u' ? 1 : -1 } : undefined;
}
