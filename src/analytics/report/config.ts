/** Tuning of the curators' report. */
export const REPORT_CONFIG = Object.freeze({
  /**
   * Two questions share a group when the Jaccard similarity of their matcher tokens reaches this
   * ("how many people died" and "how many soldiers were killed" share howmany+die: 2/4 = 0.5).
   */
  similarity: 0.5,
  /** Groups shown per list (declined, clarified); the CSV export has every question. */
  maxGroups: 20,
  examplesPerGroup: 5,
  /** Entries shown by 👎 rate, and the 👎 questions listed under each. */
  maxEntries: 20,
  downQuestionsPerEntry: 5,
  /** Confidence band edges for calibration; the last band includes 1. */
  confidenceBands: [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  /** `--since` when none is given. */
  defaultSince: '7d',
  /** Days listed one by one up to this span; beyond it only days with questions. */
  maxListedDays: 120,
});
