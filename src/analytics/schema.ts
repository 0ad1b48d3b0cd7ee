/** The tables as Kysely sees them (the latest migration); `at` is milliseconds since the epoch. */
export interface EventsTable {
  id: string;
  at: number;
  platform: string;
  user_key: string;
  conversation_key: string;
  question: string;
  kind: string;
  entry_id: string | null;
  confidence: number | null;
  /** 0 or 1: SQLite has no boolean type. */
  follow_up: number;
  latency_ms: number;
}

export interface VotesTable {
  event_id: string;
  user_key: string;
  /** +1 or -1 */
  vote: number;
  at: number;
}

export interface AnalyticsSchema {
  events: EventsTable;
  votes: VotesTable;
}
