import { benchAnalytics } from './analytics.ts';
import { benchConversations } from './conversations.ts';
import { benchCore } from './core.ts';
import { benchDiscord } from './discord.ts';
import { benchTelegram } from './telegram.ts';

/** `npm run bench`: figures and ratios for the core and each adapter. No test asserts timings. */
await benchCore();
await benchConversations();
await benchAnalytics();

console.log('\n== Telegram: update to sendMessage through a local Bot API fake ==');
console.log(JSON.stringify(await benchTelegram(), null, 2));

console.log('\n== Discord: interaction to callback through a local REST + gateway fake ==');
console.log(JSON.stringify(await benchDiscord(), null, 2));
