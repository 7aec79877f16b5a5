import type { EvalQuestion } from "./questions.js";

/**
 * The same questions worded as members send them, to measure what the bare
 * question sets cannot: `courtesy` wraps each in one of three greeting and
 * thanks forms in turn (`你好，请问…谢谢`…), `traditional` types it in
 * traditional characters (OpenCC, mainland → Taiwan). Gold answers stay as
 * they are: the news is unchanged.
 */
export type Variant = "courtesy" | "traditional";

export const VARIANTS: readonly Variant[] = ["courtesy", "traditional"];

const COURTESY: readonly (readonly [string, string])[] = [
  ["你好，请问", "谢谢"],
  ["您好！我想问一下，", "？谢谢！"],
  ["老师好，麻烦问下", "，麻烦了"],
];

export async function rewordQuestions(questions: readonly EvalQuestion[], variant: Variant): Promise<EvalQuestion[]> {
  if (variant === "courtesy") {
    return questions.map((q, i) => {
      const [before, after] = COURTESY[i % COURTESY.length]!;
      return { ...q, question: `${before}${q.question}${after}` };
    });
  }
  // Loaded only here: the mainland-to-Taiwan tables are large and the bot never needs them.
  const { Converter } = await import("opencc-js/cn2t");
  const toTraditional = Converter({ from: "cn", to: "tw" });
  return questions.map((q) => ({ ...q, question: toTraditional(q.question) }));
}
