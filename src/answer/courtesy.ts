import { QuestionError } from "../errors.js";
import { inSimplified } from "./script.js";

/**
 * Members write to the bot as to a person: `你好，请问…`, `…？谢谢`. Those
 * words are not what the question is about, and weighed as words no story
 * holds they made the bot refuse questions it answers when asked bare. A
 * message that is only courtesy (`你好`, `谢谢！`, `好的`) is no question at
 * all, nor is one about the bot itself (`你能做什么？`): the engine says so
 * by kind, and the presenter replies in kind.
 */
export type Courtesy = "greeting" | "thanks" | "acknowledgement" | "about-bot";

/** A greeting, a form of address, a "may I ask" or "please look up" opening a message. */
const OPENING = /^(?:(?:老师|小编|师傅|同志|机器人|小助手)(?:你|您)?好|(?:工会)?(?:你好|您好)|你们好|大家好|哈喽|嗨|hi|hello|在吗|在不在|打扰(?:一下|了|您了)?|麻烦(?:问一下|问下|一下)|我?想?请问(?:一下下?|下)?|我?想(?:问问?|咨询|了解|知道)(?:一下|下)?|问一下哈?|问下|咨询(?:一下|下)|请?告诉我|(?:请|麻烦)?帮(?:我|忙)(?:查|找|问|看)(?:一下|下|查|找)?)(?=$|[\s，,。.!！~～、:：?？]|[\p{Script=Han}])[\s，,。.!！~～、:：?？]*/iu;

/** Thanks closing a message; 谢谢 anywhere at the end, the others after a pause. */
const CLOSING = /(?:谢谢(?:你|您)?(?:的(?:回答|解答|帮助|帮忙))?(?:啦|了|哈)?|多谢了?|(?:^|[\s，,。.!！?？~～])(?:谢了|感谢感谢|感谢(?:你|您)?|麻烦(?:你|您)?了|辛苦(?:你|您)?了|thanks?(?: you)?|thx))[\s。.!！~～\p{Extended_Pictographic}]*$/iu;

/** A whole message that only says "got it". */
const ACKNOWLEDGEMENT = /^(?:好的?|好滴|嗯+|哦+|噢+|明白了?|知道了|收到|了解了|ok|okay|行|可以)[\s。.!！~～\p{Extended_Pictographic}]*$/iu;

/** A whole message that asks about the bot itself: what it does, how to use it, who it is. */
const ABOUT_BOT = /^(?:(?:你|您)?(?:能|会|可以)(?:做|干|帮我?|回答|问)(?:些|点)?(?:什么|啥)|(?:怎么|如何)(?:用|使用)(?:你|这个机器人)?|帮助|使用说明|(?:你|您)(?:是谁|是什么|叫什么|是机器人吗|是真人吗|是AI吗|有什么功能))[\s？?。.!！~～]*$/iu;

/**
 * The question without its courtesy; throws QuestionError (kind `greeting`,
 * `thanks`, `acknowledgement` or `about-bot`) when nothing else is left.
 */
export function withoutCourtesy(question: string): string {
  // Read in simplified characters (請問…謝謝 is courtesy too, and the bot reads it before the engine
  // settles the script); what is kept is the member's own text, cut at the same places.
  const simplified = inSimplified(question);
  const read = simplified.length === question.length ? simplified : question;
  if (ACKNOWLEDGEMENT.test(read)) throw courtesyOnly("acknowledgement");
  let from = 0;
  let to = read.length;
  let said: Courtesy | undefined;
  for (let m = OPENING.exec(read.slice(from, to)); m !== null && m[0] !== ""; m = OPENING.exec(read.slice(from, to))) {
    from += m[0].length;
    said = "greeting";
  }
  for (let m = CLOSING.exec(read.slice(from, to)); m !== null && m[0] !== ""; m = CLOSING.exec(read.slice(from, to))) {
    to = from + read.slice(from, from + m.index).replace(/[\s，,、]+$/u, "").length;
    said = "thanks";
  }
  const rest = read.slice(from, to);
  if (ABOUT_BOT.test(rest)) throw courtesyOnly("about-bot");
  // `好的，谢谢`: a "got it" before thanks is courtesy too.
  if (said !== undefined && ACKNOWLEDGEMENT.test(rest.replace(/[\s，,、]+$/u, ""))) throw courtesyOnly(said);
  if (said === undefined) return question;
  if (!/[\p{L}\p{N}]/u.test(rest)) throw courtesyOnly(said);
  return question.slice(from, to);
}

/**
 * A clause in which the member speaks of themself (`我是厂里流水线上的女工，`), quoting nothing; not `我们这儿…` (we,
 * here), nor `我国`, `我市`, `我厂` (our country, city, plant), which name the topic.
 */
const ABOUT_ME = /^我(?![们国省市区县厂校院司局部])[^，,。！!？?“”"]*[，,。！!]/;
const ASKING = /[吗哪谁几啥咋]|什么|多少|怎么|如何|能不能|是否|有没有/;

/**
 * The clauses opening a question in which the member tells who they are (`我跑长途拉货的，`,
 * `我五十多了还在外头打工，`), before what they ask; empty when there are none or nothing else follows.
 * Their words describe the asker and are often not what the news is about, though sometimes they are
 * (`我在城里做家政带孩子`), so the engine weighs them half rather than dropping them.
 */
export function aboutTheAsker(question: string): string {
  let about = "";
  let rest = question;
  for (let m = ABOUT_ME.exec(rest); m !== null && !ASKING.test(m[0]) && m[0].length < rest.length - 4; m = ABOUT_ME.exec(rest)) {
    about += m[0];
    rest = rest.slice(m[0].length);
  }
  return about;
}

function courtesyOnly(kind: Courtesy): QuestionError {
  const message = {
    greeting: "您好！请直接发送您想了解的问题。",
    thanks: "不客气！还有想了解的，直接发问就行。",
    acknowledgement: "好的！还有想了解的，直接发问就行。",
    "about-bot": "我是工会新闻问答机器人：直接发送问题，我会从已收录的工会新闻中找出答案并注明出处。",
  }[kind];
  return new QuestionError(kind, message);
}
