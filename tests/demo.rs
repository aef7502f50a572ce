//! The demo at the repository root shows what rapport is for: its data has
//! effects that the site must reveal. These tests read the demo through the
//! same code as `rapport build` and check that the effects are there.

use std::path::PathBuf;

use rapport::metrics::{Grain, Segment};
use rapport::site::{BuildOptions, Site};

fn demo() -> Site {
    let options = BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: PathBuf::from("public"),
        base_url: None,
        drafts: false,
        now: "2026-11-23T00:00:00Z".parse().unwrap(),
    };
    Site::load(&options).unwrap_or_else(|e| panic!("{}", e.diagnostic()))
}

fn csat(site: &Site, grain: Grain, segment: Segment) -> (f64, [f64; 2]) {
    let c = site.metrics.figures(grain, segment).csat.expect("published");
    (c.percent, c.ci)
}

#[test]
fn the_demo_is_a_year_of_responses_across_channels_and_touchpoints() {
    let site = demo();
    let totals = site.inputs.totals();
    assert!(totals.rows_used >= 10_000, "{totals:?}");
    assert!(
        totals.duplicates > 0 && totals.rows_rejected > 0,
        "overlapping exports and broken rows are part of the demo"
    );
    assert!(site.metrics.periods(rapport::config::PeriodKind::Month).len() >= 12);
    let names: Vec<&str> = site.inputs.dimensions.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["channel", "touchpoint", "agent", "account"]);
    assert_eq!(site.inputs.dimensions[0].values.len(), 5);
    assert_eq!(site.inputs.dimensions[1].values.len(), 5);
    assert!(site.content.cases.len() >= 3);
    assert!(site.content.reports.len() >= 2);
}

#[test]
fn each_transfer_lowers_csat() {
    let site = demo();
    let by_transfers: Vec<(f64, [f64; 2])> = (0..4).map(|t| csat(&site, Grain::All, Segment::Transfers(t))).collect();
    for pair in by_transfers.windows(2) {
        // Not just lower: the intervals do not overlap.
        assert!(pair[1].1[1] < pair[0].1[0], "{by_transfers:?}");
    }
}

#[test]
fn slow_first_responses_lower_csat() {
    let site = demo();
    let fast = csat(&site, Grain::All, Segment::FirstResponse(0));
    let slow = csat(&site, Grain::All, Segment::FirstResponse(3));
    assert!(slow.1[1] < fast.1[0], "under 1 h: {fast:?}, over 24 h: {slow:?}");
}

#[test]
fn the_video_walkthroughs_improve_onboarding_significantly() {
    let site = demo();
    let onboarding = site.inputs.dimensions[1].values.iter().position(|v| v == "onboarding").unwrap() as u32;
    let segment = Segment::Value { dimension: 1, value: onboarding };
    let change = site.metrics.event_change(0, segment).csat.unwrap();
    assert!(change.delta > 5.0, "{change:?}");
    assert!(change.significant, "{change:?}");
    // Support, which the change did not touch, does not move significantly.
    let support = site.inputs.dimensions[1].values.iter().position(|v| v == "support").unwrap() as u32;
    let unchanged = site.metrics.event_change(0, Segment::Value { dimension: 1, value: support }).csat.unwrap();
    assert!(!unchanged.significant, "{unchanged:?}");
}
