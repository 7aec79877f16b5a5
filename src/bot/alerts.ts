import { type Api, InlineKeyboard } from "grammy";
import { matchTopics } from "../alerts/match.js";
import type { Story } from "../corpus/story.js";
import type { Logger } from "../log.js";
import type { NewsService } from "../service.js";
import type { MembersState } from "../state/create.js";
import { type BroadcastLimits, type BroadcastResult, createBroadcaster, type Outgoing } from "./broadcast.js";
import { encodeAction } from "./callbacks.js";
import { storyDate, titleHtml } from "./format.js";
import { escapeHtml } from "./html.js";

/** New stories listed in one alert at most; the rest are counted. */
const MAX_LISTED = 5;

export interface AlertReport extends BroadcastResult {
  readonly newStories: number;
  readonly members: number;
}

/** Topic alerts: after a rebuild, members whose topics match a new story get one message. */
export interface Alerts {
  afterRebuild(): Promise<AlertReport>;
}

export interface AlertDeps {
  readonly api: Api;
  readonly service: NewsService;
  readonly members: MembersState;
  readonly log: Logger;
  readonly limits?: BroadcastLimits;
}

/**
 * Remembers the stories already served (those at start, then after each
 * rebuild, this instance's or another's), so whatever path rebuilt the index (an upload, /reindex, several
 * queued), each story is new exactly once. Each member gets one message per
 * rebuild listing the new stories matching any of their topics, with a
 * `原文` button per story; a member who blocked the bot is unsubscribed.
 */
export function createAlerts(deps: AlertDeps): Alerts {
  let known = new Set(deps.service.engine().stories.map((s) => s.id));
  // A build another instance published was alerted by that instance: its stories are known here too,
  // or this instance's next rebuild would alert them again.
  deps.service.onRefresh(() => {
    for (const s of deps.service.engine().stories) known.add(s.id);
  });
  const broadcaster = createBroadcaster(deps.api, deps.log, deps.limits);
  let chain: Promise<unknown> = Promise.resolve();

  async function check(): Promise<AlertReport> {
    const engine = deps.service.engine();
    const fresh = new Set(engine.stories.filter((s) => !known.has(s.id)).map((s) => s.id));
    known = new Set(engine.stories.map((s) => s.id));
    const nothing = { newStories: fresh.size, members: 0, sent: 0, blocked: 0, failed: 0 };
    if (fresh.size === 0) return nothing;
    const subs = await deps.members.store.subscriptions();
    if (subs.length === 0) return nothing;
    const matches = await matchTopics(engine, subs.map((s) => s.topic), fresh, deps.service.config.minCoverage);
    const byUser = new Map<string, { chatId: number; topics: string[]; storyIds: Set<string> }>();
    for (const s of subs) {
      const found = matches.get(s.topic);
      if (found === undefined) continue;
      const chatId = deps.members.identity.open(s.sealedChat);
      if (chatId === undefined) {
        deps.log.warn("a subscription's chat cannot be opened (was STATE_SECRET changed?); skipped");
        continue;
      }
      const entry = byUser.get(s.user) ?? { chatId, topics: [], storyIds: new Set<string>() };
      entry.topics.push(s.topic);
      for (const id of found) entry.storyIds.add(id);
      byUser.set(s.user, entry);
    }
    const messages: Outgoing[] = [...byUser.entries()].map(([user, e]) => ({
      chatId: e.chatId,
      ...formatAlert(e.topics, engine.stories.filter((s) => e.storyIds.has(s.id))),
      onBlocked: async () => {
        const removed = await deps.members.store.unfollow(user);
        deps.log.info({ removed }, "a member blocked the bot: unsubscribed");
      },
    }));
    const result = await broadcaster.send(messages);
    deps.log.info({ newStories: fresh.size, members: messages.length, ...result }, "topic alerts sent");
    return { newStories: fresh.size, members: messages.length, ...result };
  }

  return {
    afterRebuild() {
      const run = chain.then(check);
      chain = run.catch(() => undefined);
      return run;
    },
  };
}

/** One alert: the topics matched, each new story's title and date, a `原文` button per story. */
export function formatAlert(topics: readonly string[], stories: readonly Story[]): { text: string; markup: InlineKeyboard } {
  const listed = stories.slice(0, MAX_LISTED);
  const keyboard = new InlineKeyboard();
  listed.forEach((s, i) => keyboard.text(`原文[${i + 1}]`, encodeAction({ kind: "story", storyId: s.id, paragraph: 0 })));
  const lines = [
    `🔔 您关注的${topics.map((t) => `“${escapeHtml(t)}”`).join("、")}有新报道：`,
    ...listed.map((s, i) => `[${i + 1}] 《${titleHtml(s.title)}》 ${escapeHtml(storyDate(s))}`),
    ...(stories.length > listed.length ? [`…另有 ${stories.length - listed.length} 篇`] : []),
    "",
    "取消关注：/unfollow 词　查看关注：/following",
  ];
  return { text: lines.join("\n"), markup: keyboard };
}

/** The rebuild hook: alerts go out after the admin's report; a failure is logged, never the rebuild's. */
export async function alertAfterRebuild(env: { readonly alerts: Alerts; readonly log: Logger }): Promise<void> {
  try {
    await env.alerts.afterRebuild();
  } catch (error) {
    env.log.warn({ err: error }, "topic alerts failed");
  }
}
