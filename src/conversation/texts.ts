const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The conversation layer's own replies and notes (feedback, /forget); the core's are in core/texts.ts. */
export const LAYER_TEXTS = Object.freeze({
  /** Button labels under an answer. */
  feedbackUp: '👍',
  feedbackDown: '👎',
  /** The toast (Telegram) or private note (Discord, console) after a vote. */
  feedbackThanks: (vote: 1 | -1) =>
    vote === 1 ? 'Thanks! Glad that helped.' : 'Thanks, noted: this helps improve the answers.',
  /** A vote that could not be taken: question logging is off, or the button is not a known answer's. */
  feedbackNotTaken: 'Thanks! Feedback is not being recorded right now.',
  forgetTitle: 'Your questions',
  forgotten: (events: number) =>
    events === 0
      ? 'I have no recorded questions of yours: there was nothing to delete (your votes, if any, are gone too).'
      : `Deleted ${count(events, 'recorded question')} of yours, and your votes.`,
  forgetFailed:
    'I could not delete your recorded questions right now. Please try /forget again in a few minutes.',
  forgetNotHere: 'Nothing is recorded here, so there is nothing to forget.',
  /** A number typed that is not one of the suggestions offered (`count` of them, maybe none). */
  noSuchSuggestion: (number: number, count: number) =>
    count === 0
      ? `There is no suggestion ${number} to pick. Ask a question in words, or pick one of these:`
      : `There is no suggestion ${number} here: pick ${count === 1 ? '1' : `a number from 1 to ${count}`}, or ask a question in words.`,
});
