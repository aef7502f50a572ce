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
    let c = site.metrics.figures(grain, segment).csat.clone().expect("published");
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

#[test]
fn support_figures_match_pandas_and_scipy() {
    // Output of `python3 tests/reference/demo_operations.py` (October 2026, Europe/Berlin):
    // 974 responses; np.quantile first response 0.5 -> 6.9, 0.9 -> 294.71; resolution 362.5, 1326.0;
    // transfers mean 0.5051334702258727, t interval (0.4600819608386211, 0.5501849796131244);
    // scipy.stats.quantile_test(...).confidence_interval(0.95) of first response: 0.5 -> (5.1, 11.3), 0.9 -> (243.1, 363.6).
    let site = demo();
    let october = rapport::metrics::Period::parse_key("2026-10").unwrap();
    let f = site.metrics.figures(Grain::Period(october), Segment::All);
    assert_eq!(f.responses, Some(974));
    // Quantiles come from the sketch: each within 1 % of the exact value.
    let within = |got: f64, want: f64| assert!((got - want).abs() <= 0.01 * want, "{got} vs {want}");
    let first = f.first_response_minutes.clone().unwrap();
    within(first.median, 6.9);
    within(first.p90, 294.71);
    within(first.median_ci[0].unwrap(), 5.1);
    within(first.median_ci[1].unwrap(), 11.3);
    within(first.p90_ci[0].unwrap(), 243.1);
    within(first.p90_ci[1].unwrap(), 363.6);
    let resolution = f.resolution_minutes.clone().unwrap();
    within(resolution.median, 362.5);
    within(resolution.p90, 1326.0);
    // Transfers are counted exactly.
    let t = f.transfers.clone().unwrap();
    assert!((t.mean - 0.505_133_470_225_872_7).abs() < 1e-12);
    let [lo, hi] = t.ci.unwrap();
    assert!((lo - 0.460_081_960_838_621_1).abs() < 1e-9 && (hi - 0.550_184_979_613_124_4).abs() < 1e-9);
}

/// Every figure object in metrics.json, with the path to it.
fn figures<'a>(
    value: &'a serde_json::Value,
    path: String,
    out: &mut Vec<(String, &'a serde_json::Map<String, serde_json::Value>)>,
) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("n") {
                out.push((path.clone(), map));
            }
            for (k, v) in map {
                figures(v, format!("{path}.{k}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                figures(v, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn metrics_json_gives_every_figure_its_n_and_interval_and_protects_small_groups() {
    let site = demo();
    let rendered = site.render().unwrap_or_else(|e| panic!("{}", e.diagnostic()));
    let (_, bytes) = rendered.files.iter().find(|(p, _)| p == "data/metrics.json").unwrap();
    let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let mut all = Vec::new();
    figures(&json, String::new(), &mut all);
    assert!(all.len() > 1000, "{}", all.len());
    let min_group = 5;
    for (path, f) in &all {
        if path.contains("targets") {
            continue;
        }
        let n = f["n"].as_u64().unwrap();
        assert!(n >= min_group, "{path}: n = {n} is below min_group");
        let has = |k: &str| f.get(k).is_some_and(|v| !v.is_null());
        if has("percent") || has("score") {
            assert!(has("ci"), "{path} has no interval");
        }
        if has("median") {
            assert!(f.contains_key("median_ci") && f.contains_key("p90_ci"), "{path}");
        }
        if has("mean") && !has("percent") && n >= 2 {
            assert!(has("ci"), "{path} has no interval");
        }
    }
    // No withheld group can be recovered by subtraction: in every period and
    // dimension, the responses not shown are none or at least min_group.
    let check = |whole: &serde_json::Value, segments: &serde_json::Value, at: &str| {
        let Some(total) = whole["responses"].as_u64() else { return };
        for (dimension, values) in segments.as_object().unwrap() {
            let shown: u64 = values.as_array().unwrap().iter().filter_map(|v| v["metrics"]["responses"].as_u64()).sum();
            let withheld = total - shown;
            assert!(withheld == 0 || withheld >= min_group, "{at} {dimension}: {withheld} withheld of {total}");
        }
    };
    check(&json["overall"], &json["segments"], "all time");
    for period in json["periods"]["month"].as_array().unwrap() {
        check(&period["metrics"], &period["segments"], period["key"].as_str().unwrap());
    }
}

#[test]
fn comment_topics_match_pandas_and_statsmodels() {
    // Output of `python3 tests/reference/demo_topics.py` (whole words with Python's re, Europe/Berlin months):
    // 2026-03 comments 279 dissatisfied 64 satisfied 203
    //   Wait time: 9 of 279, wilson (0.017062173004962017, 0.06015938748253499); dissatisfied 9, satisfied 0; vs 6 of 239: p = 0.628380156182661
    //   Onboarding docs: 5 of 279, ...; dissatisfied 0, satisfied 4; vs 16 of 239: p = 0.004798304478028453
    //   Onboarding videos: 14 of 279, ...; dissatisfied 0, satisfied 13; vs 0 of 239: p = 0.0004467007679963321
    //   none: 250 of 279, wilson (0.8547072375264194, 0.9266492189190333); dissatisfied 51, satisfied 190; vs 213 of 239: p = 0.8584089590472952
    // 2026-10 comments 294 dissatisfied 54 satisfied 232
    //   Wait time: 6 of 294, wilson (0.00938599852758255, 0.04380155596338228); dissatisfied 6, satisfied 0
    let site = demo();
    let period = |key: &str| rapport::metrics::Period::parse_key(key).unwrap();
    let march = site.metrics.period_topics(period("2026-03")).unwrap();
    assert_eq!(march.comments, 279);
    assert_eq!((march.groups["dissatisfied"], march.groups["satisfied"]), (64, 203));
    let counts =
        |t: &rapport::metrics::TopicFigure| (t.share.count, t.among["dissatisfied"].count, t.among["satisfied"].count);
    let [wait, _, docs, videos] = &march.topics[..] else { panic!("four topics") };
    assert_eq!(counts(wait), (9, 9, 0));
    assert!(
        (wait.share.ci[0] - 1.7062173004962017).abs() < 1e-9 && (wait.share.ci[1] - 6.015938748253499).abs() < 1e-9
    );
    assert!((wait.change.unwrap().p_value - 0.628380156182661).abs() < 1e-9);
    // The video walkthroughs of 1 March: written docs are mentioned far less, videos appear, both among the satisfied.
    assert_eq!(counts(docs), (5, 0, 4));
    let fewer_docs = docs.change.unwrap();
    assert!(
        (fewer_docs.p_value - 0.004798304478028453).abs() < 1e-9 && fewer_docs.significant && fewer_docs.delta < 0.0
    );
    assert_eq!(counts(videos), (14, 0, 13));
    let videos_appear = videos.change.unwrap();
    assert!((videos_appear.p_value - 0.0004467007679963321).abs() < 1e-9 && videos_appear.significant);
    assert_eq!(counts(&march.untagged), (250, 51, 190));
    assert!((march.untagged.change.unwrap().p_value - 0.8584089590472952).abs() < 1e-9);
    // October: waiting is what the unhappy write about, and no happy customer does.
    let october = site.metrics.period_topics(period("2026-10")).unwrap();
    assert_eq!(october.comments, 294);
    assert_eq!(counts(&october.topics[0]), (6, 6, 0));
    let ci = october.topics[0].share.ci;
    assert!((ci[0] - 0.938599852758255).abs() < 1e-9 && (ci[1] - 4.380155596338228).abs() < 1e-9);
}

#[test]
fn a_segment_page_links_to_the_largest_other_values_and_to_all_of_them() {
    // The demo has 40 accounts: each account's page names the 24 largest others, largest first,
    // and links to the segments page for all 40, instead of 39 links on each of 40 pages.
    let site = demo();
    let rendered = site.render().unwrap_or_else(|e| panic!("{}", e.diagnostic()));
    let page = |path: &str| {
        let (_, bytes) = rendered.files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{path}"));
        String::from_utf8(bytes.clone()).unwrap()
    };
    let html = page("segments/account/a-datum/index.html");
    let others = &html[html.find("id=\"siblings-heading\"").expect("the other values")..];
    let others = &others[..others.find("</nav>").unwrap()];
    assert_eq!(others.matches("<li>").count(), 24, "{others}");
    assert!(!others.contains(">A. Datum<"), "not itself");
    assert!(others.contains("href=\"../../../segments/index.html#segment-account\">All 40 values of Account →"));
    assert!(page("segments/index.html").contains("id=\"segment-account\""), "the link's target");
    // Contoso Logistics is the largest account, so it comes first.
    let first = &others[others.find("<li>").unwrap()..];
    assert!(first.starts_with("<li><a href=\"../../../segments/account/contoso-logistics/index.html\">"), "{first}");
    // A dimension with few values lists every other one, with no link to more.
    let email = page("segments/channel/email/index.html");
    assert!(!email.contains("values of Channel"));
}
