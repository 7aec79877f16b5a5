/**
 * Four short reports of the union's yearly campaigns, as a story list for engine tests: they make
 * the words of the stories under test as rare as in real news (a word most passages hold is the
 * news' setting, not a topic).
 */
export const CAMPAIGN_REPORTS = [
  { id: "summer", title: "工会送清凉活动启动", date: "2025-06-29", text: "全国总工会部署开展工会送清凉活动，加强高温劳动保护。" },
  { id: "warmth", title: "全国总工会启动送温暖行动", date: "2025-12-05", text: "全国总工会启动元旦春节期间送温暖行动，走访慰问困难职工。" },
  { id: "wages", title: "治理欠薪冬季行动部署", date: "2025-11-20", text: "各级工会开展治理欠薪冬季行动，维护农民工合法权益。" },
  { id: "care", title: "金秋助学活动开展", date: "2025-08-15", text: "全国总工会、教育部共同开展困难职工家庭子女金秋助学活动。" },
];
