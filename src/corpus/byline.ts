import type { Byline } from "./story.js";

const ROLES = ["特约记者", "实习记者", "首席记者", "记者", "通讯员", "特约通讯员", "摄影", "撰稿"];
const ROLE_PATTERN = ROLES.sort((a, b) => b.length - a.length).join("|");

/**
 * Recognises a story's opening lead such as `本报讯（记者 宗晓畅）近日，…` or
 * `（通讯员 李凯萌）…`. Page dumps have no markup, so the lead is the most
 * reliable sign that a story's body starts here and its headings sit above.
 */
const LEAD = new RegExp(
  `^(?:本报讯|本报[^\\s，。（(]{0,8}电|本报记者[^\\s，。（(]{0,8})?\\s*[（(]([^（）()]*?(?:${ROLE_PATTERN})[^（）()]*)[）)]`,
);

/** Returns the byline when the paragraph opens with a lead, else undefined. */
export function parseLead(paragraph: string): Byline | undefined {
  const m = LEAD.exec(paragraph.trim());
  if (!m?.[1]) return paragraph.trim().startsWith("本报讯") ? { kind: "", names: [] } : undefined;
  return parseBylineBody(m[1]);
}

/** True when the line opens a story (a lead with or without a byline). */
export function isLead(line: string): boolean {
  return parseLead(line) !== undefined;
}

/** `记者 张三 李四 通讯员 王五` -> kind `记者、通讯员`, names [张三, 李四, 王五]. */
function parseBylineBody(body: string): Byline {
  const kinds: string[] = [];
  const names: string[] = [];
  const tokens = body.split(new RegExp(`(${ROLE_PATTERN})`)).map((t) => t.trim());
  for (const token of tokens) {
    if (token === "") continue;
    if (ROLES.includes(token)) {
      if (!kinds.includes(token)) kinds.push(token);
      continue;
    }
    for (const name of token.split(/[\s\u3000、，,／/]+/)) {
      if (name !== "") names.push(name);
    }
  }
  return { kind: kinds.join("、"), names };
}
