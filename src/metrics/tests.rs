use indexmap::IndexMap;
use jiff::civil::{Date, date};
use proptest::prelude::*;

use super::*;
use crate::config::Config;
use crate::ingest::{Dimension, Inputs, Response, Scores};

const CONFIG: &str = r#"
title = "T"
[[sources]]
path = "x"
[sources.dimensions]
channel = "channel"
[sources.measures]
transfers = "transfers"
[[targets]]
metric = "csat"
min = 88
[[targets]]
metric = "csat"
min = 50
where = { channel = "email" }
[[targets]]
metric = "nps"
min = 0
[[events]]
date = 2026-02-01
title = "Change"
window_days = 10
"#;

pub(super) fn response(day: Date, csat: Option<u8>, channel: u32, transfers: Option<f64>) -> Response {
    Response {
        id: None,
        submitted_at: jiff::tz::TimeZone::UTC.to_timestamp(day.at(12, 0, 0, 0)).unwrap(),
        day,
        customer: None,
        comment: None,
        scores: Scores { csat, nps: None, ces: None },
        dimensions: vec![Some(channel)].into_boxed_slice(),
        measures: vec![transfers].into_boxed_slice(),
        file: 0,
        line: 0,
        first: 0,
    }
}

fn inputs(responses: Vec<Response>) -> Inputs {
    Inputs {
        responses: responses.into(),
        dimensions: vec![Dimension { name: "channel".into(), values: vec!["email".into(), "chat".into()] }],
        measures: vec!["transfers".into()],
        ..Inputs::default()
    }
}

/// `satisfied` of `n` CSAT answers on `day` (5 = satisfied, 2 = not), all by email.
fn answers(day: Date, satisfied: usize, n: usize) -> Vec<Response> {
    (0..n).map(|i| response(day, Some(if i < satisfied { 5 } else { 2 }), 0, None)).collect()
}

fn compute(responses: Vec<Response>, today: Date) -> Metrics {
    let config = Config::parse(CONFIG).unwrap();
    Metrics::compute(&config, &inputs(responses), &Extra::default(), today).unwrap()
}

fn month(key: &str) -> Period {
    Period::parse_key(key).unwrap()
}

#[test]
fn a_month_against_the_previous_one_uses_the_two_proportion_test() {
    // 430/500 satisfied in January, 455/500 in February: the statsmodels case of stats/tests.rs (p = 0.013208).
    let mut rows = answers(date(2026, 1, 10), 430, 500);
    rows.extend(answers(date(2026, 2, 10), 455, 500));
    let m = compute(rows, date(2026, 6, 1));
    let feb = m.figures(Grain::Period(month("2026-02")), Segment::All).csat.clone().unwrap();
    assert_eq!((feb.n, feb.satisfied), (500, 455));
    assert!((feb.percent - 91.0).abs() < 1e-12);
    let change = m.change(month("2026-02"), Segment::All).csat.unwrap();
    assert!((change.delta - 5.0).abs() < 1e-9);
    assert!((change.p_value - 0.013208279888430376).abs() < 1e-9);
    assert!(change.significant);
}

#[test]
fn a_period_that_has_not_ended_claims_no_change() {
    let mut rows = answers(date(2026, 1, 10), 100, 500);
    rows.extend(answers(date(2026, 2, 10), 480, 500));
    let m = compute(rows, date(2026, 2, 15));
    assert!(m.is_partial(month("2026-02")));
    assert!(!m.is_partial(month("2026-01")));
    let change = m.change(month("2026-02"), Segment::All).csat.unwrap();
    assert!(change.p_value < 1e-6);
    assert!(!change.significant);
    // A period ending today is not over yet either.
    assert!(compute(vec![], date(2026, 2, 28)).is_partial(month("2026-02")));
    assert!(!compute(vec![], date(2026, 3, 1)).is_partial(month("2026-02")));
}

#[test]
fn quarters_and_months_cover_the_data() {
    let rows = vec![response(date(2025, 12, 30), Some(5), 0, None), response(date(2026, 2, 2), Some(4), 0, None)];
    let m = compute(rows, date(2026, 6, 1));
    let months: Vec<String> = m.periods(PeriodKind::Month).iter().map(Period::key).collect();
    assert_eq!(months, ["2025-12", "2026-01", "2026-02"]);
    let quarters: Vec<String> = m.periods(PeriodKind::Quarter).iter().map(Period::key).collect();
    assert_eq!(quarters, ["2025-Q4", "2026-Q1"]);
}

#[test]
fn small_segments_are_suppressed() {
    let mut rows = answers(date(2026, 1, 10), 40, 50);
    rows.extend((0..4).map(|_| response(date(2026, 1, 11), Some(5), 1, None)));
    let m = compute(rows, date(2026, 6, 1));
    let chat = m.figures(Grain::All, Segment::Value { dimension: 0, value: 1 });
    assert!(chat.is_suppressed());
    assert_eq!(m.tally(Grain::All, Segment::Value { dimension: 0, value: 1 }).responses, 4);
    assert_eq!(m.figures(Grain::All, Segment::All).responses, Some(54));
}

#[test]
fn filters_select_matching_responses_and_unknown_values_match_nothing() {
    let mut rows = answers(date(2026, 1, 10), 8, 10);
    rows.extend((0..6).map(|_| response(date(2026, 1, 11), Some(1), 1, None)));
    let config = Config::parse(CONFIG).unwrap();
    let filters = vec![
        IndexMap::from([("channel".to_string(), "chat".to_string())]),
        IndexMap::from([("channel".to_string(), "fax".to_string())]),
    ];
    let m = Metrics::compute(&config, &inputs(rows), &Extra { filters, ..Extra::default() }, date(2026, 6, 1)).unwrap();
    assert_eq!(m.tally(Grain::All, m.filter_segment(0)).responses, 6);
    assert_eq!(m.tally(Grain::All, m.filter_segment(1)).responses, 0);
    assert_eq!(m.tally(Grain::All, m.target_segment(1)).responses, 10, "the email target's filter");
}

#[test]
fn event_windows_split_at_the_event_day() {
    // Event on 1 February with a 10-day window: 22–31 January before, 1–10 February after.
    let days = [
        date(2026, 1, 21),
        date(2026, 1, 22),
        date(2026, 1, 31),
        date(2026, 2, 1),
        date(2026, 2, 10),
        date(2026, 2, 11),
    ];
    let rows: Vec<Response> = days.iter().map(|&d| response(d, Some(5), 0, None)).collect();
    let m = compute(rows, date(2026, 6, 1));
    assert_eq!(m.tally(Grain::Before(0), Segment::All).responses, 2);
    assert_eq!(m.tally(Grain::After(0), Segment::All).responses, 2);
}

#[test]
fn transfers_are_bucketed_zero_one_two_and_three_or_more() {
    let rows: Vec<Response> =
        [0.0, 1.0, 2.0, 3.0, 5.0, 4.0].iter().map(|&t| response(date(2026, 1, 5), Some(5), 0, Some(t))).collect();
    let m = compute(rows, date(2026, 6, 1));
    let counts: Vec<u64> = (0..4).map(|b| m.tally(Grain::All, Segment::Transfers(b)).responses).collect();
    assert_eq!(counts, [1, 1, 1, 3]);
}

#[test]
fn targets_are_judged_on_the_latest_complete_month() {
    // January: 45 of 50 satisfied (90 %); February, still running: 10 of 50.
    let mut rows = answers(date(2026, 1, 10), 45, 50);
    rows.extend(answers(date(2026, 2, 10), 10, 50));
    let m = compute(rows, date(2026, 2, 20));
    let t = &m.targets;
    assert_eq!(t[0].period.as_deref(), Some("2026-01"));
    assert_eq!(t[0].value, Some(90.0));
    assert_eq!(t[0].status, Status::Met, "90 ≥ 88");
    assert_eq!(t[1].status, Status::Met, "email only, 90 ≥ 50");
    assert_eq!(t[2].status, Status::NoData, "no NPS answers");
    let m = compute(answers(date(2026, 1, 10), 40, 50), date(2026, 3, 1));
    assert_eq!(m.targets[0].status, Status::Missed, "80 < 88");
}

fn arbitrary_responses() -> impl Strategy<Value = Vec<Response>> {
    let one = (0i32..120, proptest::option::of(1u8..=5), 0u32..2, proptest::option::of((0u8..6).prop_map(f64::from)));
    proptest::collection::vec(one, 0..300).prop_map(|rows| {
        rows.into_iter()
            .map(|(day, csat, channel, transfers)| {
                let day = date(2025, 12, 1).checked_add(jiff::Span::new().days(day)).unwrap();
                response(day, csat, channel, transfers)
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn cubes_of_parts_add_up_to_the_cube_of_the_whole(rows in arbitrary_responses(), cut in 0usize..300) {
        let config = Config::parse(CONFIG).unwrap();
        let inputs = inputs(rows);
        let plan = Metrics::compute(&config, &inputs, &Extra::default(), date(2026, 6, 1)).unwrap().plan;
        let cut = cut.min(inputs.responses.len() as usize);
        let mut merged = Cube::build(&plan, without_visits(&inputs.all_responses().unwrap()[cut..]));
        merged.merge(&Cube::build(&plan, without_visits(&inputs.all_responses().unwrap()[..cut])));
        prop_assert_eq!(merged, Cube::build(&plan, without_visits(&inputs.all_responses().unwrap())));
    }
}

fn without_visits(range: &[Response]) -> impl Iterator<Item = (&Response, u8)> {
    range.iter().map(|r| (r, cube::NO_VISIT))
}

proptest! {
    #[test]
    fn no_figure_can_be_recovered_by_subtraction(sizes in proptest::collection::vec(0usize..40, 1..8), min_group in 2u64..10) {
        // Any mix of group sizes in one dimension: whatever is withheld adds up to 0 or at least min_group.
        let mut rows = Vec::new();
        for (value, &n) in sizes.iter().enumerate() {
            rows.extend((0..n).map(|_| response(date(2026, 1, 10), Some(5), value as u32, None)));
        }
        let mut config = Config::parse(CONFIG).unwrap();
        config.privacy.min_group = min_group as u32;
        let mut inputs = inputs(rows);
        inputs.dimensions[0].values = (0..sizes.len()).map(|v| format!("v{v}")).collect();
        let m = Metrics::compute(&config, &inputs, &Extra::default(), date(2026, 6, 1)).unwrap();
        for grain in [Grain::All, Grain::Period(month("2026-01"))] {
            let total = m.figures(grain, Segment::All).responses;
            let Some(total) = total else { continue };
            let shown: u64 = (0..sizes.len() as u32)
                .filter_map(|v| m.figures(grain, Segment::Value { dimension: 0, value: v }).responses)
                .sum();
            let withheld = total - shown;
            prop_assert!(withheld == 0 || withheld >= min_group, "withheld {withheld} of {total}");
        }
    }
}

#[test]
fn a_second_group_is_hidden_when_subtraction_would_reveal_a_small_one() {
    // email 40, chat 3: the total (43) minus email would give chat away, so email is hidden too.
    let mut rows = answers(date(2026, 1, 10), 30, 40);
    rows.extend((0..3).map(|_| response(date(2026, 1, 11), Some(1), 1, None)));
    let m = compute(rows, date(2026, 6, 1));
    let email = Segment::Value { dimension: 0, value: 0 };
    assert_eq!(m.figures(Grain::All, Segment::All).responses, Some(43));
    assert!(m.figures(Grain::All, email).is_suppressed());
    assert_eq!(m.tally(Grain::All, email).responses, 40, "withheld: counted, not published");
    // The email target's filter is the same group, so it is withheld as well.
    assert!(m.figures(Grain::All, m.target_segment(1)).is_suppressed());
}

#[test]
fn a_month_is_hidden_when_the_rest_of_the_year_would_reveal_another() {
    // Email in January (20) and February (2): all time minus January gives February.
    let mut rows = answers(date(2026, 1, 10), 15, 20);
    rows.extend(answers(date(2026, 2, 10), 1, 2));
    let m = compute(rows, date(2026, 6, 1));
    let email = Segment::Value { dimension: 0, value: 0 };
    assert_eq!(m.figures(Grain::All, email).responses, Some(22));
    assert!(m.figures(Grain::Period(month("2026-01")), email).is_suppressed());
    assert!(m.figures(Grain::Period(month("2026-02")), email).is_suppressed());
}

#[test]
fn customers_surveys_are_counted_in_the_order_they_were_answered() {
    // One customer answers on five days, listed out of order; another once.
    let days = [5, 1, 3, 2, 4];
    let mut rows: Vec<Response> = days
        .iter()
        .map(|&d| Response { customer: Some("c1".into()), ..response(date(2026, 1, d), Some(5), 0, None) })
        .collect();
    rows.push(Response { customer: Some("c2".into()), ..response(date(2026, 1, 9), Some(5), 0, None) });
    let v = visits(&rows, &mut super::Fatigue::new(3));
    // 1st survey: days 1 (c1) and 9 (c2); 2nd–3rd: days 2, 3; 4th+: days 4, 5.
    assert_eq!(v, [2, 0, 1, 1, 2, 0]);
}

#[test]
fn durations_and_transfers_have_their_figures() {
    // Transfers 0, 1, 1, 2, 3, 5 (hand: mean 2, variance (4+1+1+0+1+9)/5 = 3.2).
    let rows: Vec<Response> =
        [0.0, 1.0, 1.0, 2.0, 3.0, 5.0].iter().map(|&t| response(date(2026, 1, 5), Some(5), 0, Some(t))).collect();
    let m = compute(rows, date(2026, 6, 1));
    let t = m.figures(Grain::All, Segment::All).transfers.clone().unwrap();
    assert_eq!((t.n, t.mean), (6, 2.0));
    // scipy: stats.t.interval(0.95, 5, loc=2, scale=(3.2/6)**0.5) -> (0.1227..., 3.8772...)
    let [lo, hi] = t.ci.unwrap();
    assert!((lo - 0.122_7).abs() < 1e-3 && (hi - 3.877_3).abs() < 1e-3, "{lo} {hi}");
    assert!(t.low_sample);
}

/// The configuration of [`groups_count_as_the_responses_they_aggregate`]: every kind of cell.
const FULL: &str = r#"
title = "T"
periods = ["week", "month", "quarter", "year"]
[[sources]]
path = "x"
[sources.dimensions]
channel = "channel"
touchpoint = "touchpoint"
[sources.measures]
transfers = "transfers"
first_response_minutes = "first_response_minutes"
resolution_minutes = "resolution_minutes"
[[targets]]
metric = "csat"
min = 50
where = { channel = "email", touchpoint = "billing" }
[[events]]
date = 2026-02-01
title = "Change"
window_days = 20
"#;

fn arbitrary_full_responses() -> impl Strategy<Value = Vec<(Response, u8)>> {
    let minutes = || proptest::option::of(prop_oneof![Just(0.0), Just(60.0), 0.01f64..5000.0]);
    let scores = (proptest::option::of(1u8..=5), proptest::option::of(0u8..=10), proptest::option::of(1u8..=7));
    let dimensions = (proptest::option::of(0u32..2), proptest::option::of(0u32..2));
    let measures = (proptest::option::of((0u8..6).prop_map(f64::from)), minutes(), minutes());
    let visit = prop_oneof![Just(cube::NO_VISIT), 0u8..3];
    let one = (0i32..90, scores, dimensions, measures, visit);
    proptest::collection::vec(one, 0..150).prop_map(|rows| {
        rows.into_iter()
            .map(|(day, (csat, nps, ces), (channel, touchpoint), (transfers, first, resolution), visit)| {
                let day = date(2026, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
                let r = Response {
                    scores: Scores { csat, nps, ces },
                    dimensions: vec![channel, touchpoint].into_boxed_slice(),
                    measures: vec![transfers, first, resolution].into_boxed_slice(),
                    ..response(day, None, 0, None)
                };
                (r, visit)
            })
            .collect()
    })
}

/// What a warehouse's GROUP BY makes of `rows` (docs/warehouse.md): per cell, the responses, and the
/// answers per metric and score or sketch key; buckets worked out here, from the format's definition.
fn aggregate(rows: &[(Response, u8)]) -> Vec<crate::ingest::Group> {
    use crate::ingest::{Counts, Group};
    let mut groups: Vec<Group> = Vec::new();
    for (r, visit) in rows {
        let [transfers, first, resolution] = [r.measures[0], r.measures[1], r.measures[2]];
        let cell = Group {
            day: r.day,
            dimensions: r.dimensions.clone(),
            visit: (*visit != cube::NO_VISIT).then_some(*visit),
            transfers_bucket: transfers.map(|t| t.min(3.0) as u8),
            first_response_bucket: first.map(|m| [60.0, 240.0, 1440.0].iter().filter(|&&edge| m >= edge).count() as u8),
            counts: Counts::Responses,
            count: 1,
            line: 0,
        };
        let key = |minutes: f64| sketch::Bin::of(minutes).key();
        let answers = [
            Some(Counts::Responses),
            r.scores.csat.map(Counts::Csat),
            r.scores.nps.map(Counts::Nps),
            r.scores.ces.map(Counts::Ces),
            transfers.map(|t| Counts::Transfers(t as u64)),
            first.map(|m| Counts::FirstResponse(key(m))),
            resolution.map(|m| Counts::Resolution(key(m))),
        ];
        for counts in answers.into_iter().flatten() {
            let row = Group { counts, ..cell.clone() };
            match groups.iter_mut().find(|g| Group { count: 1, ..(*g).clone() } == row) {
                Some(g) => g.count += 1,
                None => groups.push(row),
            }
        }
    }
    groups
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn groups_count_as_the_responses_they_aggregate(rows in arbitrary_full_responses(), cut in 0usize..1000) {
        let config = Config::parse(FULL).unwrap();
        let inputs = Inputs {
            dimensions: ["channel", "touchpoint"]
                .map(|name| Dimension { name: name.into(), values: vec!["email".into(), "billing".into()] })
                .into(),
            measures: vec!["transfers".into(), "first_response_minutes".into(), "resolution_minutes".into()],
            ..Inputs::default()
        };
        let extra = Extra { crosses: vec![(0, 1)], ..Extra::default() };
        let plan = Metrics::compute(&config, &inputs, &extra, date(2026, 6, 1)).unwrap().plan;
        let mut raw = Cube::build(&plan, rows.iter().map(|(r, v)| (r, *v)));
        raw.finish(&plan);
        // Any split of the table adds up, as a warehouse's partitions would.
        let groups = aggregate(&rows);
        let cut = cut.min(groups.len());
        let mut aggregated = Cube::build_groups(&plan, &groups[cut..]);
        aggregated.merge(&Cube::build_groups(&plan, &groups[..cut]));
        aggregated.finish(&plan);
        prop_assert!(groups.len() <= 7 * rows.len());
        prop_assert_eq!(aggregated, raw);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// A filter of no condition or of one is counted as the segment it names
    /// ([`cube::Cube::finish`]); counted by hand here, per week, month and in all, as is one
    /// of two.
    #[test]
    fn filters_hold_the_responses_they_match(rows in arbitrary_full_responses()) {
        let config = Config::parse(FULL).unwrap();
        let inputs = Inputs {
            dimensions: [("channel", ["email", "chat"]), ("touchpoint", ["billing", "setup"])]
                .map(|(name, values)| Dimension { name: name.into(), values: values.map(String::from).into() })
                .into(),
            measures: vec!["transfers".into(), "first_response_minutes".into(), "resolution_minutes".into()],
            responses: rows.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>().into(),
            ..Inputs::default()
        };
        let pairs: [&[(&str, &str)]; 4] =
            [&[], &[("channel", "chat")], &[("touchpoint", "billing")], &[("channel", "email"), ("touchpoint", "setup")]];
        let filters = pairs.iter().map(|p| p.iter().map(|&(d, v)| (d.to_string(), v.to_string())).collect()).collect();
        let m = Metrics::compute(&config, &inputs, &Extra { filters, ..Extra::default() }, date(2026, 6, 1)).unwrap();
        // Weeks and months are counted as the pieces they share, then summed (Cube::finish).
        let periods: std::collections::BTreeSet<Period> = rows
            .iter()
            .flat_map(|(r, _)| [PeriodKind::Week, PeriodKind::Month].map(|k| Period::containing(k, r.day)))
            .collect();
        for (i, wanted) in pairs.iter().enumerate() {
            let value = |d: usize, name: &str| inputs.dimensions[d].values.iter().position(|v| v == name).map(|v| v as u32);
            let matches = |r: &Response| {
                wanted.iter().all(|&(d, v)| {
                    let d = inputs.dimensions.iter().position(|x| x.name == d).unwrap();
                    r.dimensions[d] == value(d, v)
                })
            };
            let grains = periods.iter().map(|&p| (Grain::Period(p), Some(p))).chain([(Grain::All, None)]);
            for (grain, period) in grains {
                let mine: Vec<&Response> = rows
                    .iter()
                    .map(|(r, _)| r)
                    .filter(|r| matches(r) && period.is_none_or(|p| Period::containing(p.kind, r.day) == p))
                    .collect();
                let t = m.tally(grain, m.filter_segment(i));
                prop_assert_eq!(t.responses, mine.len() as u64, "filter {} in {:?}", i, grain);
                let satisfied = mine.iter().filter(|r| r.scores.csat.is_some_and(|s| s >= 4)).count() as u64;
                prop_assert_eq!(t.csat.count_in(4..=5), satisfied);
                let timed = mine.iter().filter(|r| r.measures[1].is_some()).count() as u64;
                prop_assert_eq!(t.first_response.n(), timed);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Returning customers' surveys are not counted as such but summed from the later visit
    /// buckets ([`cube::Cube::finish`]); counted by hand here, per week and month.
    #[test]
    fn returning_surveys_are_every_survey_but_a_customers_first(rows in arbitrary_full_responses()) {
        let config = Config::parse(FULL).unwrap();
        let measures = ["transfers", "first_response_minutes", "resolution_minutes"].map(String::from).into();
        let inputs = Inputs { measures, ..Inputs::default() };
        let plan = Metrics::compute(&config, &inputs, &Extra::default(), date(2026, 6, 1)).unwrap().plan;
        let mut cube = Cube::build(&plan, rows.iter().map(|(r, v)| (r, *v)));
        cube.finish(&plan);
        let periods: std::collections::BTreeSet<Period> = rows
            .iter()
            .flat_map(|(r, _)| [PeriodKind::Week, PeriodKind::Month].map(|k| Period::containing(k, r.day)))
            .collect();
        for period in periods {
            let later: Vec<&Response> = rows
                .iter()
                .filter(|(r, v)| (1..cube::VISITS as u8).contains(v) && Period::containing(period.kind, r.day) == period)
                .map(|(r, _)| r)
                .collect();
            let t = cube.tally(Grain::Period(period), Segment::Visit(RETURNING));
            prop_assert_eq!(t.responses, later.len() as u64);
            let ces: u64 = later.iter().filter(|r| r.scores.ces.is_some()).count() as u64;
            prop_assert_eq!(t.ces.n(), ces);
            prop_assert_eq!(t.resolution.n(), later.iter().filter(|r| r.measures[2].is_some()).count() as u64);
        }
    }
}
