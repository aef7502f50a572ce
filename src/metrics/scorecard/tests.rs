use jiff::civil::{Date, date};

use super::*;
use crate::config::{Config, Indicator};
use crate::ingest::{Dimension, Inputs, Response};
use crate::metrics::{Extra, Status};

const CONFIG: &str = r#"
title = "T"
periods = ["month", "quarter"]
[[sources]]
path = "x"
[sources.dimensions]
channel = "channel"
[sources.measures]
transfers = "transfers"
first_response_minutes = "first_response_minutes"
[[targets]]
metric = "transfers"
max = 0.4
[[targets]]
metric = "first_response_minutes"
max = 10
[[targets]]
metric = "first_response_minutes"
stat = "p90"
max = 60
[[targets]]
metric = "transfers"
max = 1
where = { channel = "chat" }
[[targets]]
metric = "csat"
min = 50
[[kpis]]
path = "kpis.csv"
[kpis.indicators]
"Cost per ticket" = { perspective = "financial", better = "lower", target = 18 }
"Training hours" = { perspective = "learning", better = "higher" }
"#;

#[test]
fn a_figure_is_met_or_missed_on_itself_and_close_when_its_interval_reaches_the_target() {
    // A floor (min), as the dashboard's "Target 85%" tiles and `rapport check` judge it.
    assert_eq!(Verdict::of(Some(90.0), Some([86.0, 93.0]), Some(85.0), None), Verdict::Met);
    assert_eq!(Verdict::of(Some(85.0), Some([82.0, 88.0]), Some(85.0), None), Verdict::Met, "the bound itself is met");
    assert_eq!(Verdict::of(Some(84.0), Some([81.5, 86.2]), Some(85.0), None), Verdict::Close);
    assert_eq!(Verdict::of(Some(80.0), Some([77.0, 83.0]), Some(85.0), None), Verdict::Missed);
    // A ceiling (max): minutes, transfers, a cost.
    assert_eq!(Verdict::of(Some(0.45), Some([0.40, 0.50]), None, Some(0.5)), Verdict::Met);
    assert_eq!(Verdict::of(Some(0.505), Some([0.46, 0.55]), None, Some(0.5)), Verdict::Close);
    assert_eq!(Verdict::of(Some(0.6), Some([0.55, 0.65]), None, Some(0.5)), Verdict::Missed);
    // A band: each side is judged by the interval towards it, whatever the other bound.
    assert_eq!(Verdict::of(Some(7.0), Some([6.8, 7.2]), Some(4.0), Some(6.5)), Verdict::Missed);
    assert_eq!(Verdict::of(Some(3.9), Some([3.5, 4.3]), Some(4.0), Some(6.5)), Verdict::Close);
    assert_eq!(Verdict::of(Some(3.0), Some([2.5, 3.5]), Some(4.0), Some(6.5)), Verdict::Missed);
    // A KPI has no interval: met or missed.
    assert_eq!(Verdict::of(Some(5.7), None, Some(6.0), None), Verdict::Missed);
    assert_eq!(Verdict::of(Some(17.0), None, None, Some(17.5)), Verdict::Met);
    // Nothing to judge, or nothing to judge against.
    assert_eq!(Verdict::of(None, None, Some(6.0), None), Verdict::NoData);
    assert_eq!(Verdict::of(Some(5.0), Some([4.0, 6.0]), None, None), Verdict::NoTarget);
    assert_eq!(Verdict::of(None, None, None, None), Verdict::NoTarget);
}

/// A response on `day` with both measures: transfers, then minutes to the first response.
fn response(day: Date, csat: Option<u8>, channel: u32, transfers: f64, first_response: f64) -> Response {
    let r = crate::metrics::tests::response(day, csat, channel, None);
    Response { measures: vec![Some(transfers), Some(first_response)].into_boxed_slice(), ..r }
}

/// 40 email tickets in October 2026: transfers 0 and 1 alternating, first responses of 1, 2, …, 40 minutes;
/// and 3 chat tickets (a group too small to publish).
fn site() -> (Config, Metrics) {
    let config = Config::parse(CONFIG).unwrap();
    let mut rows: Vec<Response> = (1..=40)
        .map(|i| response(date(2026, 10, 1 + i % 28), Some(5), 0, f64::from(i % 2), f64::from(i as u8)))
        .collect();
    rows.extend((0..3).map(|_| response(date(2026, 10, 5), Some(5), 1, 3.0, 5.0)));
    let inputs = Inputs {
        responses: rows.into(),
        dimensions: vec![Dimension { name: "channel".into(), values: vec!["email".into(), "chat".into()] }],
        measures: vec!["transfers".into(), "first_response_minutes".into()],
        ..Inputs::default()
    };
    let metrics = Metrics::compute(&config, &inputs, &Extra::default(), date(2026, 11, 23)).unwrap();
    (config, metrics)
}

fn month(key: &str) -> Period {
    Period::parse_key(key).unwrap()
}

fn figure_lines(card: &Scorecard, perspective: Perspective) -> Vec<&Line> {
    card.perspectives.iter().find(|s| s.perspective == perspective).unwrap().lines.iter().collect()
}

#[test]
fn operations_figures_are_judged_as_the_targets_are_and_small_groups_have_no_data() {
    let (config, metrics) = site();
    let card = compute(&config, &metrics, &Kpis::default(), Some(month("2026-10")));
    assert_eq!(card.perspectives.iter().map(|s| s.perspective).collect::<Vec<_>>(), Perspective::ALL);
    let internal = figure_lines(&card, Perspective::Internal);
    let kinds: Vec<(MetricName, Option<Stat>)> = internal
        .iter()
        .map(|l| match &l.measure {
            Measure::Figure { metric, stat, .. } => (*metric, *stat),
            Measure::Kpi { .. } => panic!("no KPI here"),
        })
        .collect();
    // The median for everyone first, then the other targets on the same figure.
    assert_eq!(
        kinds,
        [
            (MetricName::FirstResponseMinutes, None),
            (MetricName::FirstResponseMinutes, Some(Stat::P90)),
            (MetricName::Transfers, None),
            (MetricName::Transfers, None),
        ]
    );
    // First responses of 1, 2, …, 40 minutes and three of 5: the median of the 43 is 19 (numpy), which the sketch
    // gives within 1 %. Its distribution-free 95 % interval runs from the 15th to the 29th value (ranks by
    // scipy.stats.binom, 96.9 % coverage), 12 to 26 minutes: all above the 10-minute ceiling, so missed, not close.
    let median = internal[0];
    assert!((median.value.unwrap() - 19.0).abs() < 0.2, "{median:?}");
    assert_eq!(median.status, Verdict::Missed);
    assert_eq!(median.n, Some(43));
    // The 90th percentile (35.8 minutes, numpy) is under its 60-minute ceiling.
    assert_eq!(internal[1].status, Verdict::Met);
    // Transfers: 20 ones, 20 zeros and 3 threes: mean 29/43 = 0.674 per ticket, over 0.4, and the t interval
    // (0.4257–0.9232 by scipy: mean ± t(42, .975) × s/√43 with s = 0.8083) does not reach it.
    let transfers = internal[2];
    assert!((transfers.value.unwrap() - 29.0 / 43.0).abs() < 1e-12);
    let [lo, hi] = transfers.ci.unwrap();
    assert!((lo - 0.425655).abs() < 1e-5 && (hi - 0.923182).abs() < 1e-5, "{lo} {hi}");
    assert_eq!(transfers.status, Verdict::Missed);
    // Chat has 3 tickets, fewer than min_group = 5: no data, and no value at all — never a zero.
    let chat = internal[3];
    assert_eq!((chat.value, chat.n, chat.status), (None, None, Verdict::NoData));
    let json = serde_json::to_value(chat).unwrap();
    assert!(json.get("value").is_none(), "{json}");
    assert_eq!(json["where"]["channel"], "chat");
    // The same verdicts as `rapport check`, which says missed for close too.
    for (line, target) in internal.iter().zip([1, 2, 0, 3]) {
        let status = match line.status {
            Verdict::Met => Status::Met,
            Verdict::Close | Verdict::Missed => Status::Missed,
            _ => Status::NoData,
        };
        assert_eq!(status, metrics.targets[target].status, "{line:?}");
    }
    // The customer perspective: CSAT for everyone with its target; no NPS or CES question was answered.
    let customer = figure_lines(&card, Perspective::Customer);
    assert_eq!(customer.len(), 1);
    assert_eq!((customer[0].value, customer[0].status), (Some(100.0), Verdict::Met));
    // The trend is the last 13 months up to the period, here only October (the first month with data).
    assert_eq!(customer[0].trend.len(), 1);
}

#[test]
fn before_any_period_has_ended_nothing_is_judged() {
    let (config, metrics) = site();
    let card = compute(&config, &metrics, &Kpis::default(), None);
    let lines: Vec<&Line> = card.perspectives.iter().flat_map(|s| &s.lines).collect();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l.status == Verdict::NoData && l.value.is_none() && l.trend.is_empty()));
}

fn kpi(better: Better, target: Option<f64>, rows: &[(&str, Option<f64>, Option<f64>)]) -> Kpi {
    let mut values: Vec<KpiValue> = rows
        .iter()
        .map(|&(key, value, target)| KpiValue { period: KpiPeriod::parse(key).unwrap(), value, target })
        .collect();
    values.sort_by_key(|v| (v.period.end(), v.period.start()));
    Kpi {
        name: "Cost".into(),
        indicator: Indicator { perspective: Perspective::Financial, better, unit: None, target },
        places: 2,
        values,
    }
}

#[test]
fn a_kpi_shows_its_own_period_else_its_latest_value_never_a_sum() {
    let monthly = kpi(
        Better::Lower,
        None,
        &[("2026-07", Some(19.0), None), ("2026-08", Some(18.0), None), ("2026-09", Some(17.0), None)],
    );
    let key = |v: Option<&KpiValue>| v.map(|v| v.period.key());
    // A month shows its own row.
    assert_eq!(key(kpi_value(&monthly, month("2026-08"))).as_deref(), Some("2026-08"));
    // The quarter shows its last month (17, not 54 or 18): a cost per ticket does not add up.
    assert_eq!(key(kpi_value(&monthly, month("2026-Q3"))).as_deref(), Some("2026-09"));
    // A later month without a row shows the latest value, labelled as of September.
    assert_eq!(key(kpi_value(&monthly, month("2026-10"))).as_deref(), Some("2026-09"));
    // Nothing from the future: June has no value yet.
    assert_eq!(kpi_value(&monthly, month("2026-06")), None);

    // A quarterly KPI: the quarter's own row beats a month in it; a month shows the last quarter that ended.
    let quarterly = kpi(
        Better::Lower,
        None,
        &[("2026-Q2", Some(130.0), None), ("2026-Q3", Some(111.0), None), ("2026-09", Some(40.0), None)],
    );
    assert_eq!(key(kpi_value(&quarterly, month("2026-Q3"))).as_deref(), Some("2026-Q3"));
    assert_eq!(key(kpi_value(&quarterly, month("2026-09"))).as_deref(), Some("2026-09"));
    assert_eq!(key(kpi_value(&quarterly, month("2026-08"))).as_deref(), Some("2026-Q2"));
    // A day (a backlog counted on the last day of the month) belongs to its month and quarter.
    let backlog = kpi(Better::Lower, None, &[("2026-10-31", Some(119.0), None), ("2026-10-15", Some(130.0), None)]);
    assert_eq!(key(kpi_value(&backlog, month("2026-10"))).as_deref(), Some("2026-10-31"));
    assert_eq!(key(kpi_value(&backlog, month("2026-Q4"))).as_deref(), Some("2026-10-31"));
    // A row with only a target is no value.
    let ahead = kpi(Better::Lower, None, &[("2026-09", Some(17.0), None), ("2026-10", None, Some(17.5))]);
    assert_eq!(key(kpi_value(&ahead, month("2026-10"))).as_deref(), Some("2026-09"));
}

#[test]
fn a_kpi_is_judged_by_its_row_target_else_its_standing_one_in_its_direction() {
    let cost = kpi(Better::Lower, Some(18.0), &[("2026-09", Some(17.2), None), ("2026-10", Some(17.8), Some(17.5))]);
    // October's own target (17.5) wins over the standing 18: 17.8 is over the ceiling.
    let oct = kpi_line(&cost, 0, Some(month("2026-10")));
    assert_eq!((oct.value, oct.min, oct.max, oct.status), (Some(17.8), None, Some(17.5), Verdict::Missed));
    assert_eq!(oct.as_of, None);
    // September has no target of its own: the standing 18 applies, and 17.2 is under it.
    let sep = kpi_line(&cost, 0, Some(month("2026-09")));
    assert_eq!((sep.max, sep.status), (Some(18.0), Verdict::Met));
    // The quarter shows September, labelled.
    let q3 = kpi_line(&cost, 0, Some(month("2026-Q3")));
    assert_eq!((q3.value, q3.as_of.map(|p| p.key())), (Some(17.2), Some("2026-09".to_string())));
    // More is better: the target is a floor.
    let hours = kpi(Better::Higher, None, &[("2026-10", Some(5.7), Some(6.0))]);
    let line = kpi_line(&hours, 0, Some(month("2026-10")));
    assert_eq!((line.min, line.max, line.status), (Some(6.0), None, Verdict::Missed));
    // No target anywhere: nothing to judge; no value: no data (with the target set ahead shown).
    let bare = kpi(Better::Higher, None, &[("2026-10", Some(5.7), None)]);
    assert_eq!(kpi_line(&bare, 0, Some(month("2026-10"))).status, Verdict::NoTarget);
    assert_eq!(kpi_line(&hours, 0, Some(month("2026-08"))).status, Verdict::NoData);
    let ahead = kpi(Better::Higher, None, &[("2026-11", None, Some(6.5))]);
    let nov = kpi_line(&ahead, 0, Some(month("2026-11")));
    assert_eq!((nov.value, nov.min, nov.status), (None, Some(6.5), Verdict::NoData));
    // The trend is the KPI's own rows with values, up to the period.
    assert_eq!(oct.trend.iter().map(|p| p.value.unwrap()).collect::<Vec<_>>(), [17.2, 17.8]);
    assert_eq!(sep.trend.len(), 1);
}

#[test]
fn kpis_go_to_their_perspective_in_the_order_of_site_toml() {
    let (config, metrics) = site();
    let mut cost = kpi(Better::Lower, Some(18.0), &[("2026-10", Some(17.0), None)]);
    cost.name = "Cost per ticket".into();
    let mut hours = kpi(Better::Higher, None, &[("2026-10", Some(7.0), Some(6.0))]);
    hours.name = "Training hours".into();
    hours.indicator.perspective = Perspective::Learning;
    let kpis = Kpis { kpis: vec![cost, hours] };
    let card = compute(&config, &metrics, &kpis, Some(month("2026-10")));
    let names = |p| {
        figure_lines(&card, p)
            .iter()
            .filter_map(|l| match &l.measure {
                Measure::Kpi { name, .. } => Some(name.clone()),
                Measure::Figure { .. } => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(names(Perspective::Financial), ["Cost per ticket"]);
    assert_eq!(names(Perspective::Learning), ["Training hours"]);
    assert!(names(Perspective::Customer).is_empty());
    let json = serde_json::to_value(&card).unwrap();
    assert_eq!(json["period"], "2026-10");
    let line = &json["perspectives"][2]["lines"][0];
    assert_eq!(
        (line["kind"].as_str(), line["status"].as_str(), line["max"].as_f64()),
        (Some("kpi"), Some("met"), Some(18.0))
    );
}
