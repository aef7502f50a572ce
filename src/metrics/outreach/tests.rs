//! Response rates and survey fatigue on small data worked out by hand; intervals and
//! tests against statsmodels (the calls are written beside each value).

use jiff::civil::{Date, date};

use super::*;
use crate::config::Config;
use crate::ingest::{Dimension, Inputs, Response, Scores, SentCounts};
use crate::metrics::{Extra, Metrics, Period, Segment};

const SITE: &str = "title = \"T\"\nperiods = [\"week\", \"month\", \"quarter\"]\n[[sources]]\npath = \"x\"\n\
    [sources.dimensions]\nchannel = \"channel\"\n[sent]\npath = \"sent/*.csv\"\n[sent.dimensions]\nchannel = \"channel\"\n";

const EMAIL: u32 = 0;
const CHAT: u32 = 1;
const SMS: u32 = 2;

fn response(day: Date, channel: Option<u32>, customer: Option<&str>) -> Response {
    Response {
        id: None,
        submitted_at: jiff::tz::TimeZone::UTC.to_timestamp(day.at(12, 0, 0, 0)).unwrap(),
        day,
        customer: customer.map(Box::from),
        comment: None,
        scores: Scores { csat: Some(5), nps: None, ces: None },
        dimensions: vec![channel].into_boxed_slice(),
        measures: Vec::new().into_boxed_slice(),
        file: 0,
        line: 0,
        first: 0,
    }
}

/// `n` responses on `day` by `channel`.
fn many(day: Date, channel: u32, n: usize) -> Vec<Response> {
    (0..n).map(|_| response(day, Some(channel), None)).collect()
}

fn inputs(responses: Vec<Response>) -> Inputs {
    let values = ["email", "chat", "sms"].map(String::from).to_vec();
    Inputs {
        responses: responses.into(),
        dimensions: vec![Dimension { name: "channel".into(), values }],
        ..Inputs::default()
    }
}

/// The rates of `responses` with the sent counts of `sent` (a CSV with period, channel, sent).
fn rates_of(extra: &str, responses: Vec<Response>, sent: &str) -> (Rates, Metrics) {
    let config = Config::parse(&format!("{SITE}{extra}")).unwrap();
    let inputs = inputs(responses);
    let metrics = Metrics::compute(&config, &inputs, &Extra::default(), date(2027, 6, 1)).unwrap();
    let files = vec![("sent/sent.csv".to_string(), sent.as_bytes().to_vec())];
    let sent: SentCounts = crate::ingest::parse_sent(config.sent.as_ref().unwrap(), files).unwrap();
    (Rates::compute(&config, &inputs, &sent, &metrics), metrics)
}

fn p(key: &str) -> Period {
    Period::parse_key(key).unwrap()
}

fn channel(value: u32) -> Segment {
    Segment::Value { dimension: 0, value }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn a_rate_is_responses_over_sent_with_its_wilson_interval_and_tested_change() {
    let mut responses = many(date(2026, 9, 10), EMAIL, 300);
    responses.extend(many(date(2026, 10, 10), EMAIL, 321));
    let (rates, _) = rates_of("", responses, "period,channel,sent\n2026-09,email,1500\n2026-10,email,1480\n");
    let october = rates.rate(p("2026-10"), Segment::All).unwrap();
    assert_eq!((october.responses, october.sent), (321, 1480));
    assert!(close(october.percent, 100.0 * 321.0 / 1480.0));
    // proportion_confint(321, 1480, alpha=0.05, method='wilson') = (0.19664257326388682, 0.2386070654232453)
    assert!(close(october.ci[0], 19.664257326388682) && close(october.ci[1], 23.86070654232453), "{:?}", october.ci);
    assert!(!october.low_sample);
    // proportions_ztest([321, 300], [1480, 1500]) = (1.1351497086319169, 0.25631259701257203): pooled, two-sided.
    let change = rates.change(p("2026-10"), Segment::All, true).unwrap();
    assert!(close(change.delta, 100.0 * (321.0 / 1480.0 - 0.2)));
    assert!((change.p_value - 0.25631259701257203).abs() < 1e-9, "{}", change.p_value);
    assert!(!change.significant);
    assert_eq!(rates.rate(p("2026-10"), channel(EMAIL)), Some(october));
}

#[test]
fn intervals_follow_the_confidence_and_a_clear_change_is_significant_only_in_ended_periods() {
    let mut responses = many(date(2026, 9, 10), EMAIL, 30);
    responses.extend(many(date(2026, 10, 10), EMAIL, 45));
    let sent = "period,channel,sent\n2026-09,email,200\n2026-10,email,200\n";
    let (rates, _) = rates_of("[stats]\nconfidence = 0.90\n", responses.clone(), sent);
    let r = rates.rate(p("2026-10"), Segment::All).unwrap();
    // proportion_confint(45, 200, alpha=0.10, method='wilson') = (0.1802877916685996, 0.27705314669152703)
    assert!(close(r.ci[0], 18.02877916685996) && close(r.ci[1], 27.705314669152703), "{:?}", r.ci);
    responses.extend(many(date(2026, 10, 11), EMAIL, 15));
    let (rates, _) = rates_of("", responses, sent);
    // proportions_ztest([60, 30], [200, 200]) = (3.592106040535498, 0.0003280163150135285)
    let change = rates.change(p("2026-10"), Segment::All, true).unwrap();
    assert!((change.p_value - 0.0003280163150135285).abs() < 1e-12);
    assert!(close(change.delta, 15.0) && change.significant);
    assert!(!rates.change(p("2026-10"), Segment::All, false).unwrap().significant, "a period still running");
}

#[test]
fn months_add_up_to_quarters_and_days_to_weeks_but_no_row_is_ever_split() {
    let mut responses = Vec::new();
    for month in [7, 8] {
        responses.extend(many(date(2026, month, 15), EMAIL, 30));
    }
    // September's answers come on its last Monday, in ISO week 40 (28 September – 4 October).
    responses.extend(many(date(2026, 9, 28), EMAIL, 30));
    for day in 1..=31 {
        responses.extend(many(date(2026, 10, day), EMAIL, 1));
    }
    let mut sent = String::from("period,channel,sent\n2026-07,email,200\n2026-08,email,210\n2026-09,email,190\n");
    for day in 1..=31 {
        sent.push_str(&format!("2026-10-{day:02},email,10\n"));
    }
    let (rates, _) = rates_of("", responses, &sent);
    let r = |key: &str| rates.rate(p(key), Segment::All).map(|r| (r.responses, r.sent));
    // Q3 = July + August + September: 90 of 200 + 210 + 190 = 600.
    assert_eq!(r("2026-Q3"), Some((90, 600)));
    let q3 = rates.rate(p("2026-Q3"), Segment::All).unwrap();
    // proportion_confint(90, 600, alpha=0.05, method='wilson') = (0.12365957580215663, 0.18079361490743384)
    assert!(close(q3.ci[0], 12.365957580215663) && close(q3.ci[1], 18.079361490743384));
    // October from its 31 days; week 41 (5–11 October) from seven of them.
    assert_eq!(r("2026-10"), Some((31, 310)));
    assert_eq!(r("2026-W41"), Some((7, 70)));
    let w41 = rates.rate(p("2026-W41"), Segment::All).unwrap();
    // proportion_confint(7, 70, alpha=0.05, method='wilson') = (0.049289301442539526, 0.19232914848567406)
    assert!(close(w41.ci[0], 4.928930144253953) && close(w41.ci[1], 19.232914848567406));
    assert!(!w41.low_sample, "70 surveys sent is at least min_n = 30");
    // Week 40 holds three days of September, whose count is a whole month's: never split.
    assert_eq!(rates.outcome(p("2026-W40"), Segment::All), Some(&RateOutcome::Uncovered));
    // Q4 has October only: November and December are missing, not zero.
    assert_eq!(rates.outcome(p("2026-Q4"), Segment::All), Some(&RateOutcome::Uncovered));
}

#[test]
fn groups_get_their_own_rates_and_everyone_none_while_some_responses_are_unlisted() {
    let mut responses = many(date(2026, 10, 3), EMAIL, 40);
    responses.extend(many(date(2026, 10, 4), CHAT, 10));
    responses.extend(many(date(2026, 10, 5), SMS, 6));
    let sent = "period,channel,sent\n2026-10,email,400\n2026-10,chat,50\n";
    let (rates, _) = rates_of("", responses.clone(), sent);
    assert_eq!(rates.rate(p("2026-10"), channel(EMAIL)).map(|r| (r.responses, r.sent)), Some((40, 400)));
    let chat = rates.rate(p("2026-10"), channel(CHAT)).unwrap();
    // proportion_confint(10, 50, alpha=0.05, method='wilson') = (0.11243750015776109, 0.33037105932225413)
    assert!(close(chat.ci[0], 11.24375001577611) && close(chat.ci[1], 33.037105932225413));
    // SMS answers came back, but the counts list no SMS surveys: everyone's rate would be too high.
    assert_eq!(rates.outcome(p("2026-10"), Segment::All), Some(&RateOutcome::Unlisted));
    assert_eq!(rates.outcome(p("2026-10"), channel(SMS)), None);
    // Without the SMS answers, but with one that names no channel: the same.
    responses.truncate(50);
    responses.push(response(date(2026, 10, 6), None, None));
    let (rates, _) = rates_of("", responses.clone(), sent);
    assert_eq!(rates.outcome(p("2026-10"), Segment::All), Some(&RateOutcome::Unlisted));
    responses.pop();
    let (rates, _) = rates_of("", responses, sent);
    // 50 of 450: proportion_confint(50, 450) is not needed, only the counts.
    assert_eq!(rates.rate(p("2026-10"), Segment::All).map(|r| (r.responses, r.sent)), Some((50, 450)));
}

#[test]
fn more_responses_than_surveys_sent_is_a_warning_and_no_rate() {
    let mut responses = many(date(2026, 10, 3), EMAIL, 40);
    responses.extend(many(date(2026, 10, 4), CHAT, 10));
    let (rates, _) = rates_of("", responses, "period,channel,sent\n2026-10,email,400\n2026-10,chat,8\n");
    assert_eq!(rates.outcome(p("2026-10"), channel(CHAT)), Some(&RateOutcome::AboveSent { responses: 10, sent: 8 }));
    assert_eq!(rates.rate(p("2026-10"), Segment::All).map(|r| (r.responses, r.sent)), Some((50, 408)));
    assert_eq!(rates.warnings.len(), 1);
    let w = &rates.warnings[0];
    assert!(w.warning);
    assert_eq!(w.message, "2026-10, channel = chat: 10 responses but 8 surveys sent, so no response rate is shown");
    assert_eq!(w.file.as_deref(), Some("sent/sent.csv"));
}

#[test]
fn a_sent_value_no_response_has_is_a_warning_naming_a_published_value() {
    let mut responses = many(date(2026, 10, 3), EMAIL, 40);
    responses.extend(many(date(2026, 10, 4), CHAT, 10));
    responses.extend(many(date(2026, 10, 4), SMS, 2));
    let sent = "period,channel,sent\n2026-10,email,400\n2026-10,Email,10\n2026-10,Email,10\n2026-11,Email,3\n\
                2026-10,chat,100\n2026-10,sms,4\n";
    let (rates, _) = rates_of("", responses, sent);
    assert_eq!(rates.warnings.len(), 1, "one warning per value: {:?}", rates.warnings);
    let w = &rates.warnings[0];
    assert_eq!(
        w.message,
        "sent/sent.csv:4: no response has channel = Email, so its surveys sent count toward no group's rate"
    );
    assert_eq!(w.help.as_deref(), Some("did you mean `email`? Values are compared exactly, including case"));
    // Its surveys still count toward everyone's: 52 responses of 400 + 10 + 100 + 4 sent.
    assert_eq!(rates.rate(p("2026-10"), Segment::All).map(|r| (r.responses, r.sent)), Some((52, 514)));
    // The 2 SMS answers are a group below min_group, and chat's 10 are withheld with them (else
    // everyone minus email minus chat would give SMS away): neither gets a rate.
    assert_eq!(rates.outcome(p("2026-10"), channel(SMS)), None);
    assert_eq!(rates.outcome(p("2026-10"), channel(CHAT)), None);
    assert!(rates.rate(p("2026-10"), channel(EMAIL)).is_some());
}

#[test]
fn sent_counts_without_dimensions_give_everyone_a_rate() {
    let config = format!("{}[sent]\npath = \"sent/*.csv\"\n", SITE.split("[sent]").next().unwrap());
    let config = Config::parse(&config).unwrap();
    let mut responses = many(date(2026, 10, 3), EMAIL, 40);
    responses.push(response(date(2026, 10, 3), None, None));
    let inputs = inputs(responses);
    let metrics = Metrics::compute(&config, &inputs, &Extra::default(), date(2027, 6, 1)).unwrap();
    let files = vec![("s.csv".to_string(), b"period,sent\n2026-10,410\n".to_vec())];
    let sent = crate::ingest::parse_sent(config.sent.as_ref().unwrap(), files).unwrap();
    let rates = Rates::compute(&config, &inputs, &sent, &metrics);
    assert_eq!(rates.rate(p("2026-10"), Segment::All).map(|r| (r.responses, r.sent)), Some((41, 410)));
    assert_eq!(rates.outcome(p("2026-10"), channel(EMAIL)), None);
}

/// `n` answers by `customer` on `day`.
fn answers(day: Date, customer: &str, n: usize) -> Vec<Response> {
    (0..n).map(|_| response(day, Some(EMAIL), Some(customer))).collect()
}

#[test]
fn fatigue_counts_customers_by_their_busiest_month() {
    // October, counted by hand: c1–c6 answer once, c7–c9 twice, c10–c12 three times, c13 five times.
    let mut responses = Vec::new();
    for (customers, n) in [(1..=6, 1), (7..=9, 2), (10..=12, 3), (13..=13, 5)] {
        for c in customers {
            responses.extend(answers(date(2026, 10, c as i8), &format!("c{c}"), n));
        }
    }
    // November: c1 answers three times, c14 once; a week earlier, in September, c15 twice.
    responses.extend(answers(date(2026, 11, 2), "c1", 3));
    responses.extend(answers(date(2026, 11, 30), "c14", 1));
    responses.extend(answers(date(2026, 9, 30), "c15", 2));
    let fatigue = fatigue_of(&responses, 2).unwrap();
    // With a limit of 2 a month: 1 survey, 2 surveys, more than 2.
    let october = fatigue.load(p("2026-10"), 3).unwrap();
    assert_eq!(october.customers, 13);
    assert_eq!(october.buckets, [Some(6), Some(3), Some(4)]);
    assert_eq!(october.above(), Some(4));
    // The quarter counts each customer once, by their busiest month: c1 moves from "1" to "more than 2".
    let q4 = fatigue.load(p("2026-Q4"), 3).unwrap();
    assert_eq!((q4.customers, q4.buckets.clone()), (14, vec![Some(6), Some(3), Some(5)]));
    // November alone has two customers: fewer than min_group, so nothing is said about them.
    assert_eq!(fatigue.load(p("2026-11"), 3), None);
    // A monthly limit says nothing about a week.
    assert_eq!(fatigue.load(p("2026-W44"), 3), None);
    // With min_group = 5, the counts of 3 and 4 customers are withheld (and hide each other).
    assert_eq!(fatigue.load(p("2026-10"), 5).unwrap().buckets, [Some(6), None, None]);
    assert_eq!(fatigue_of(&many(date(2026, 10, 1), EMAIL, 9), 3), None, "no customers named");
}

/// The fatigue counted while customers' visits are numbered.
fn fatigue_of(responses: &[Response], max: u32) -> Option<Fatigue> {
    let mut fatigue = Fatigue::new(max);
    crate::metrics::visits(responses, &mut fatigue);
    (!fatigue.is_empty()).then_some(fatigue)
}

#[test]
fn outreach_gathers_the_warnings_of_reading_and_of_rates() {
    let responses = many(date(2026, 10, 3), EMAIL, 40);
    let config = Config::parse(SITE).unwrap();
    let inputs = inputs(responses);
    let metrics = Metrics::compute(&config, &inputs, &Extra::default(), date(2027, 6, 1)).unwrap();
    let text = b"period,channel,sent\n2026-10,email,30\n2026-10,email,35\n".to_vec();
    let sent = crate::ingest::parse_sent(config.sent.as_ref().unwrap(), vec![("s.csv".into(), text)]).unwrap();
    let outreach = Outreach::compute(&config, &inputs, Some(sent), &metrics);
    let warnings: Vec<&str> = outreach.warnings().map(|w| w.message.as_str()).collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].contains("repeats the row of s.csv:2"));
    assert_eq!(warnings[1], "2026-10: 40 responses but 35 surveys sent, so no response rate is shown");
    assert!(warnings[2].starts_with("2026-10, channel = email: 40 responses"));
    assert!(outreach.fatigue.is_none());
}
