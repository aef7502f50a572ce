use indexmap::IndexMap;
use jiff::civil::{Date, date};

use super::matcher::fold;
use super::*;
use crate::config::Config;
use crate::ingest::Inputs;
use crate::ingest::Response;
use crate::metrics::Extra;

fn matcher(topics: &[(&str, &[&str])]) -> Matcher {
    let topics: IndexMap<String, Vec<String>> =
        topics.iter().map(|(name, words)| (name.to_string(), words.iter().map(|w| w.to_string()).collect())).collect();
    Matcher::new(&topics)
}

fn matches(keywords: &[&str], text: &str) -> bool {
    !matcher(&[("t", keywords)]).tag(text).is_empty()
}

#[test]
fn english_keywords_match_whole_words_in_any_case() {
    for text in ["wait", "Wait!", "a long WAIT, then nothing", "(wait)", "wait-list", "3 hours' wait."] {
        assert!(matches(&["wait"], text), "{text}");
    }
    for text in ["waited", "awaited", "waiting", "await", "wait_list", "wait2"] {
        assert!(!matches(&["wait"], text), "{text}");
    }
    // Each form is its own keyword...
    assert!(matches(&["wait", "waited"], "Waited two days."));
    // ...or a trailing `*` takes every word that starts with it.
    for text in ["Waited two days", "still waiting", "wait"] {
        assert!(matches(&["wait*"], text), "{text}");
    }
    assert!(!matches(&["wait*"], "we await your reply"));
}

#[test]
fn phrases_and_punctuation() {
    // Whitespace runs are one space, in keywords and comments alike.
    assert!(matches(&["first  reply"], "the First\n reply came late"));
    assert!(!matches(&["first reply"], "first replying"));
    // An end that is not a letter needs no boundary.
    assert!(matches(&["c++"], "we use C++, mostly"));
    assert!(matches(&["e-mail"], "By E-Mail."));
}

#[test]
fn russian_keywords_fold_case_and_yo() {
    assert!(matches(&["ждал"], "Ждал ответа три дня"));
    assert!(matches(&["ждал"], "ЖДАЛ!"));
    assert!(matches(&["Ждал"], "долго ждал"));
    // Whole words: "ждала" is another word...
    assert!(!matches(&["ждал"], "ждала ответа"));
    assert!(!matches(&["ждал"], "подождали"));
    // ...unless the keyword says any ending will do.
    for text in ["Ждала ответа", "мы ждали", "ждал"] {
        assert!(matches(&["ждал*"], text), "{text}");
    }
    // ё and е are one letter, as Russian writes either.
    assert!(matches(&["ждет"], "Ждёт ответа"));
    assert!(matches(&["ждёт"], "ждет ответа"));
    assert!(matches(&["медленно"], "Очень МЕДЛЕННО."));
}

#[test]
fn chinese_and_japanese_keywords_match_inside_words() {
    assert!(matches(&["等待"], "我等待了两天才收到回复"));
    assert!(matches(&["慢"], "太慢了"));
    assert!(!matches(&["等待"], "等了两天"));
    assert!(matches(&["待ち"], "長い待ち時間でした"));
    assert!(matches(&["대기"], "대기시간이 길어요"));
    // A Latin keyword inside Chinese text: the Chinese characters around it are boundaries.
    assert!(matches(&["app"], "用App付款失败"));
    assert!(!matches(&["app"], "apple"));
}

#[test]
fn a_comment_may_carry_several_topics_or_none() {
    let m = matcher(&[
        ("Wait time", &["wait", "waited", "hours", "ждал*", "等待"]),
        ("Transfers", &["transferred", "handoff"]),
        ("Hours", &["hours"]),
    ]);
    assert_eq!(m.tag("Waited hours, then got transferred twice."), vec![0, 1, 2]);
    assert_eq!(m.tag("Transferred, then I waited"), vec![0, 1]);
    assert_eq!(m.tag("Мы ждали, потом нас перевели"), vec![0]);
    assert_eq!(m.tag("等待太久"), vec![0]);
    assert_eq!(m.tag("Great service, thank you!"), Vec::<u16>::new());
    assert_eq!(m.tag(""), Vec::<u16>::new());
    assert!(matcher(&[]).tag("wait").is_empty());
}

#[test]
fn keywords_are_read_with_their_problems() {
    assert_eq!(Keyword::parse(" Wait* ").unwrap(), Keyword { text: "wait".into(), prefix: true });
    assert_eq!(Keyword::parse("ЖДАЛ").unwrap(), Keyword { text: "ждал".into(), prefix: false });
    assert_eq!(Keyword::parse("  "), Err(KeywordProblem::Empty));
    assert_eq!(Keyword::parse("*"), Err(KeywordProblem::OnlyStar));
    assert_eq!(Keyword::parse("wa*it"), Err(KeywordProblem::StarInside));
    let mut out = String::new();
    fold("  Ёлка\tΣΟΦΟΣ ς", &mut out);
    assert_eq!(out, " елка σοφοσ σ");
}

const CONFIG: &str = r#"
title = "T"
[[sources]]
path = "x"
[topics]
"Wait time" = ["wait", "waited", "ждал*", "等待"]
"Transfers" = ["transferred"]
"#;

fn comment(day: Date, hour: i8, csat: Option<u8>, nps: Option<u8>, text: &str) -> Response {
    Response {
        id: None,
        submitted_at: jiff::tz::TimeZone::UTC.to_timestamp(day.at(hour, 0, 0, 0)).unwrap(),
        day,
        customer: None,
        comment: Some(text.into()),
        scores: Scores { csat, nps, ces: None },
        dimensions: Box::new([]),
        measures: Box::new([]),
        file: 0,
        line: 0,
        first: 0,
    }
}

/// January 2026: 40 comments. 10 "Waited two days" (CSAT 1), 2 that waited and were transferred
/// (CSAT 2), 3 transferred (CSAT 3), 25 untagged (CSAT 5), plus rows without a comment.
/// February: 50 comments, 4 about waiting (CSAT 2), 46 untagged (CSAT 4).
fn responses() -> Vec<Response> {
    let jan = |d: i8| date(2026, 1, d);
    let feb = |d: i8| date(2026, 2, d);
    let mut rows = Vec::new();
    for d in 1..=10 {
        rows.push(comment(jan(d), 9, Some(1), None, "Waited two days."));
    }
    rows.push(comment(jan(20), 9, Some(2), None, "Ждали долго, then transferred"));
    rows.push(comment(jan(20), 10, Some(2), None, "等待, then I got TRANSFERRED"));
    for d in 11..=13 {
        rows.push(comment(jan(d), 9, Some(3), None, "Transferred to billing"));
    }
    for d in 1..=25 {
        rows.push(comment(jan(d), 12, Some(5), None, "Great, no waiting"));
    }
    let mut empty = comment(jan(5), 9, Some(1), None, "   ");
    empty.comment = Some("  \n".into());
    rows.push(empty);
    let mut none = comment(jan(5), 9, Some(1), None, "");
    none.comment = None;
    rows.push(none);
    for d in 1..=4 {
        rows.push(comment(feb(d), 9, Some(2), None, "Had to wait"));
    }
    for d in 1..=23 {
        rows.push(comment(feb(d), 10, Some(4), None, "Fine"));
        rows.push(comment(feb(d), 11, Some(4), None, "Fine"));
    }
    rows
}

fn compute(rows: Vec<Response>, config: &str, today: Date) -> (Metrics, Inputs) {
    let config = Config::parse(config).unwrap();
    let inputs = Inputs { responses: rows.into(), ..Inputs::default() };
    (Metrics::compute(&config, &inputs, &Extra::default(), today).unwrap(), inputs)
}

fn month(key: &str) -> Period {
    Period::parse_key(key).unwrap()
}

#[test]
fn counts_match_a_count_by_hand() {
    let (m, _) = compute(responses(), CONFIG, date(2026, 6, 1));
    let jan = m.period_topics(month("2026-01")).unwrap();
    assert_eq!(jan.comments, 40, "blank comments are not comments");
    assert_eq!(jan.split, Some(Split::Csat));
    // Not satisfied = CSAT 1–3: 10 + 2 + 3 = 15; satisfied: 25.
    assert_eq!(jan.groups.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), [("dissatisfied", 15), ("satisfied", 25)]);
    let wait = &jan.topics[0];
    assert_eq!(wait.topic.as_deref(), Some("Wait time"));
    assert_eq!((wait.share.count, wait.share.n), (12, 40));
    assert!((wait.share.percent - 30.0).abs() < 1e-12);
    // statsmodels: proportion_confint(12, 40, method='wilson') = (0.1807484522974653, 0.45430018818144946)
    assert!((wait.share.ci[0] - 18.07484522974653).abs() < 1e-9);
    assert!((wait.share.ci[1] - 45.430018818144946).abs() < 1e-9);
    assert!(!wait.share.low_sample);
    let dis = wait.among["dissatisfied"];
    assert_eq!((dis.count, dis.n), (12, 15));
    // proportion_confint(12, 15, method='wilson') = (0.5481455128483064, 0.9295245065301845)
    assert!((dis.ci[0] - 54.81455128483064).abs() < 1e-9 && (dis.ci[1] - 92.95245065301845).abs() < 1e-9);
    assert!(dis.low_sample, "15 comments are below min_n = 30");
    assert_eq!((wait.among["satisfied"].count, wait.among["satisfied"].n), (0, 25));
    let transfers = &jan.topics[1];
    assert_eq!((transfers.share.count, transfers.among["dissatisfied"].count), (5, 5));
    assert_eq!((jan.untagged.share.count, jan.untagged.among["satisfied"].count), (25, 25));
    assert!(jan.topics.iter().all(|t| t.change.is_none()), "December has no comments to compare with");
    // The two newest comments about waiting: 20 January, 10:00 then 9:00.
    let texts: Vec<&str> = wait.examples.iter().map(|q| &*q.comment).collect();
    assert_eq!(texts, ["等待, then I got TRANSFERRED", "Ждали долго, then transferred"]);
}

#[test]
fn a_change_is_tested_against_the_previous_period() {
    let (m, _) = compute(responses(), CONFIG, date(2026, 6, 1));
    let feb = m.period_topics(month("2026-02")).unwrap();
    let wait = &feb.topics[0];
    assert_eq!((wait.share.count, wait.share.n), (4, 50));
    // 12 of 40 in January, 4 of 50 in February; pooled two-proportion z-test:
    //   statsmodels.stats.proportion.proportions_ztest([4, 12], [50, 40]) -> z = -2.712583290538395, p = 0.006676100138392424
    //   (by hand: pooled p = 16/90, se = sqrt(p(1-p)(1/40 + 1/50)), z = (0.08 - 0.30)/se; p = 2·norm.sf(|z|))
    let change = wait.change.unwrap();
    assert!((change.delta - -22.0).abs() < 1e-9);
    assert!((change.p_value - 0.006676100138392424).abs() < 1e-9);
    assert!(change.significant, "p < 0.05 and both periods have at least 30 comments");
    // Only 4 unhappy comments in February: below min_group, so that share is not published.
    assert!(!feb.groups.contains_key("dissatisfied"));
    assert!(!wait.among.contains_key("dissatisfied"));
    assert_eq!(wait.among["satisfied"].count, 0);
    // While February runs, nothing is called significant.
    let (running, _) = compute(responses(), CONFIG, date(2026, 2, 20));
    let change = running.period_topics(month("2026-02")).unwrap().topics[0].change.unwrap();
    assert!((change.p_value - 0.006676100138392424).abs() < 1e-9);
    assert!(!change.significant);
}

#[test]
fn no_significance_below_min_n() {
    // min_n = 50: January's 40 comments are too few for a claim, whatever p says.
    let config = CONFIG.replace("path = \"x\"\n", "path = \"x\"\n[stats]\nmin_n = 50\n");
    let (m, _) = compute(responses(), &config, date(2026, 6, 1));
    let change = m.period_topics(month("2026-02")).unwrap().topics[0].change.unwrap();
    assert!(change.p_value < 0.01 && !change.significant);
}

#[test]
fn small_groups_publish_no_topics() {
    let rows: Vec<Response> = (1..=4).map(|d| comment(date(2026, 3, d), 9, Some(1), None, "wait")).collect();
    let (m, _) = compute(rows, CONFIG, date(2026, 6, 1));
    assert!(m.period_topics(month("2026-03")).is_none(), "4 comments are below min_group = 5");
    let (m, _) = compute(responses(), "title = \"T\"\n[[sources]]\npath = \"x\"\n", date(2026, 6, 1));
    assert!(m.period_topics(month("2026-01")).is_none(), "no [topics]");
}

#[test]
fn without_csat_the_split_is_detractors_against_promoters() {
    // 6 detractors (0–6) who waited, 5 promoters (9–10), 3 passives (7–8): passives are on neither side.
    let day = date(2026, 3, 2);
    let mut rows: Vec<Response> = (0..6).map(|i| comment(day, 9, None, Some(i), "wait")).collect();
    rows.extend((0..5).map(|i| comment(day, 10, None, Some(9 + i % 2), "great")));
    rows.extend((0..3).map(|i| comment(day, 11, None, Some(7 + i % 2), "wait")));
    let (m, _) = compute(rows, CONFIG, date(2026, 6, 1));
    let march = m.period_topics(month("2026-03")).unwrap();
    assert_eq!(march.split, Some(Split::Nps));
    assert_eq!(march.comments, 14);
    assert_eq!(march.groups.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), [("detractors", 6), ("promoters", 5)]);
    let wait = &march.topics[0];
    assert_eq!((wait.share.count, wait.among["detractors"].count, wait.among["promoters"].count), (9, 6, 0));
}

#[test]
fn counting_in_parts_and_merging_gives_the_whole() {
    // What counting by partitions does: count rows as they come, in any split, and merge.
    let rows = responses();
    let config = Config::parse(CONFIG).unwrap();
    let rules = Rules::new(&config);
    let m = Matcher::new(&config.topics);
    let kinds = [PeriodKind::Month, PeriodKind::Quarter];
    let count = |range: std::ops::Range<usize>| {
        let mut counter = Counter::new(&m, &kinds, &rules);
        for i in range {
            counter.add(&mut crate::metrics::samples::Quoting::new(&rows[i]));
        }
        counter.counts
    };
    let whole = count(0..rows.len());
    for cut in [0, 1, 13, 40, rows.len()] {
        let mut parts = count(cut..rows.len());
        parts.merge(&count(0..cut));
        assert_eq!(parts, whole, "cut at {cut}");
    }
    assert_eq!(whole.tally(Grain::Period(month("2026-01"))).unwrap().comments.all, 40);
    let q1 = whole.tally(Grain::Period(Period::containing(PeriodKind::Quarter, date(2026, 2, 1)))).unwrap();
    assert_eq!((q1.comments.all, q1.topics[0].all), (90, 16));
}
