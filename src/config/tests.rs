use super::*;
use crate::diagnostic::Diagnostic;

fn error(text: &str) -> Diagnostic {
    match Config::parse(text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.diagnostic(),
    }
}

const MINIMAL: &str = "title = \"Acme\"\n[[sources]]\npath = \"content/surveys/*.csv\"\n";

#[test]
fn a_title_and_one_source_is_a_complete_site() {
    let c = Config::parse(MINIMAL).unwrap();
    assert_eq!(c.title, "Acme");
    assert_eq!(c.language, Language::En);
    assert_eq!(c.timezone, "UTC");
    assert_eq!(c.periods, vec![PeriodKind::Month, PeriodKind::Quarter]);
    assert_eq!(c.metrics.csat.scale, [1, 5]);
    assert_eq!(c.metrics.csat.satisfied, [4, 5]);
    assert_eq!(c.metrics.ces.easy, [5, 7]);
    assert_eq!(c.metrics.first_response.buckets, [60.0, 240.0, 1440.0]);
    assert_eq!(c.stats.confidence, 0.95);
    assert_eq!(c.stats.min_n, 30);
    assert_eq!(c.privacy.min_group, 5);
    assert_eq!(c.sources[0].preset, Preset::Generic);
    assert_eq!(c.sources[0].on_error, OnError::Reject);
}

#[test]
fn the_example_of_the_specification_is_valid() {
    // SPEC.md §3, verbatim.
    let text = include_str!("../../tests/fixtures/spec-site.toml");
    let c = Config::parse(text).unwrap();
    assert_eq!(c.title, "Northwind Support — Customer Satisfaction");
    assert_eq!(c.dimensions(), vec!["channel", "touchpoint", "agent", "account"]);
    assert_eq!(c.measures(), vec!["first_response_minutes", "resolution_minutes", "transfers"]);
    assert_eq!(c.targets[0].filter["touchpoint"], "onboarding");
    assert_eq!(c.events[0].day(), jiff::civil::date(2026, 3, 1));
    assert_eq!(c.topics["Wait time"].len(), 5);
    assert_eq!(c.time_zone.iana_name(), Some("Europe/Berlin"));
}

#[test]
fn unknown_keys_name_the_key_its_line_and_the_nearest_valid_key() {
    let d = error("title = \"Acme\"\ntimezon = \"UTC\"\n[[sources]]\npath = \"x\"\n");
    assert_eq!(d.message, "unknown key `timezon`");
    assert_eq!(d.line_column(), Some((2, 1)));
    assert_eq!(d.help.as_deref(), Some("did you mean `timezone`?"));
    assert_eq!(d.file.as_deref(), Some("site.toml"));

    let d = error("title = \"Acme\"\n[[sources]]\npath = \"x\"\n[sources.columns]\ncsta = \"q1\"\n");
    assert_eq!(d.message, "unknown key `csta`");
    assert_eq!(d.line_column(), Some((5, 1)));
    assert_eq!(d.help.as_deref(), Some("did you mean `csat`?"));
}

#[test]
fn unknown_values_suggest_the_nearest() {
    let d = error("title = \"Acme\"\nperiods = [\"montly\"]\n[[sources]]\npath = \"x\"\n");
    assert_eq!(d.message, "unknown value `montly`");
    assert_eq!(d.line_column(), Some((2, 12)));
    assert_eq!(d.help.as_deref(), Some("did you mean `month`?"));
}

#[test]
fn wrong_types_point_at_the_value() {
    let d = error("title = \"Acme\"\n[[sources]]\npath = \"x\"\n[stats]\nconfidence = \"high\"\n");
    assert!(d.message.contains("wrong type"), "{}", d.message);
    assert!(d.message.contains("f64"), "{}", d.message);
    assert_eq!(d.line_column(), Some((5, 14)));
}

#[test]
fn missing_title_is_named() {
    let d = error("[[sources]]\npath = \"x\"\n");
    assert_eq!(d.message, "missing key `title`");
}

#[test]
fn syntax_errors_keep_their_position() {
    let d = error("title = \"Acme\n");
    assert_eq!(d.line_column().map(|(line, _)| line), Some(1));
}

#[test]
fn time_zones_must_exist() {
    let d = error("title = \"Acme\"\ntimezone = \"Europe/Berln\"\n[[sources]]\npath = \"x\"\n");
    assert_eq!(d.message, "unknown time zone `Europe/Berln`");
    assert_eq!(d.line_column(), Some((2, 12)));
    assert_eq!(d.help.as_deref(), Some("did you mean `Europe/Berlin`?"));
}

#[test]
fn semantic_errors_point_at_their_value() {
    let cases = [
        ("[metrics.csat]\nscale = [5, 1]\n", 5, "not a scale"),
        ("[metrics.csat]\nsatisfied = [4, 6]\n", 5, "not within the scale"),
        ("[metrics.csat]\ntarget = 120\n", 5, "outside"),
        ("[stats]\nconfidence = 1.5\n", 5, "not a probability"),
        ("[privacy]\nmin_group = 0\n", 5, "at least 1"),
        ("[metrics.first_response]\nbuckets = [240, 60]\n", 5, "increasing numbers of minutes"),
        ("[metrics.first_response]\nbuckets = []\n", 5, "increasing numbers of minutes"),
        ("[[targets]]\nmetric = \"csat\"\n", 4, "neither `min` nor `max`"),
        (
            "[[targets]]\nmetric = \"csat\"\nmin = 80\nwhere = { chanel = \"email\" }\n",
            7,
            "`chanel` is not a dimension",
        ),
        ("[[events]]\ndate = 2026-03-01T10:00:00\ntitle = \"x\"\n", 5, "a day, without a time"),
        (
            "[[events]]\ndate = 2026-03-01\ntitle = \"x\"\nwindow_days = 100000\n",
            7,
            "window_days must be between 1 and 3660",
        ),
    ];
    for (extra, line, message) in cases {
        let text = format!(
            "title = \"Acme\"\n[[sources]]\npath = \"x\"\n[sources.dimensions]\nchannel = \"Channel\"\n{extra}"
        );
        // The table above starts at line 6 of `text`; its offending line follows.
        let d = error(&text);
        assert!(d.message.contains(message), "{extra}: {}", d.message);
        assert_eq!(d.line_column().map(|(l, _)| l), Some(line + 2), "{extra}: {d}");
    }
}

#[test]
fn a_target_on_an_unknown_dimension_suggests_the_known_one() {
    let text = "title = \"Acme\"\n[[sources]]\npath = \"x\"\n[sources.dimensions]\nchannel = \"Channel\"\n[[targets]]\nmetric = \"csat\"\nmin = 80\nwhere = { chanel = \"email\" }\n";
    assert_eq!(error(text).help.as_deref(), Some("did you mean `channel`?"));
}

#[test]
fn a_site_without_sources_says_how_to_add_one() {
    let d = error("title = \"Acme\"\n");
    assert_eq!(d.message, "no survey exports are configured");
    assert!(d.help.unwrap().contains("[[sources]]"));
}

#[test]
fn presets_encodings_and_date_formats_are_checked() {
    let c = Config::parse("title = \"Acme\"\n[[sources]]\npath = \"x\"\npreset = \"google-forms\"\n").unwrap();
    assert_eq!(c.sources[0].preset, Preset::GoogleForms);
    let d = error("title = \"Acme\"\n[[sources]]\npath = \"x\"\npreset = \"qualtrix\"\n");
    assert!(d.help.as_deref().unwrap_or_default().contains("qualtrics"), "{d}");
    let d = error("title = \"Acme\"\n[[sources]]\npath = \"x\"\nencoding = \"latin-9\"\n");
    assert_eq!(d.message, "encoding `latin-9` is not one rapport reads");
    assert_eq!(d.line_column(), Some((4, 12)));
    let d = error("title = \"Acme\"\n[[sources]]\npath = \"x\"\ndate_format = \"%Q\"\n");
    assert_eq!(d.message, "`%Q` is not a date format");
}

#[test]
fn dimension_names_must_be_usable_in_addresses() {
    let d = error("title = \"Acme\"\n[[sources]]\npath = \"x\"\n[sources.dimensions]\n\"Sales Region\" = \"Region\"\n");
    assert!(d.message.contains("cannot name a dimension"), "{}", d.message);
}

#[test]
fn the_rendered_error_shows_file_line_and_source() {
    let text = error("title = \"Acme\"\ntimezon = \"UTC\"\n[[sources]]\npath = \"x\"\n").render(false);
    assert!(text.contains("site.toml:2:1"), "{text}");
    assert!(text.contains("timezon = \"UTC\""), "{text}");
    assert!(text.contains("did you mean `timezone`?"), "{text}");
}

#[test]
fn base_urls_are_web_addresses_or_paths() {
    assert_eq!(base_url("https://cx.example.com/"), Ok("https://cx.example.com".to_string()));
    assert_eq!(base_url("/cx/"), Ok("/cx".to_string()));
    assert_eq!(base_url(""), Ok(String::new()));
    for bad in ["javascript:alert(1)", "cx.example.com", "//evil.example", "ftp://x"] {
        assert!(base_url(bad).is_err(), "{bad}");
    }
    let d = error("title = \"Acme\"\nbase_url = \"cx.example.com\"\n[[sources]]\npath = \"x\"\n");
    assert_eq!(d.message, "`cx.example.com` is not a URL");
}

#[test]
fn theme_names_stay_inside_themes() {
    let d = error("title = \"Acme\"\ntheme = \"../../etc\"\n[[sources]]\npath = \"x\"\n");
    assert_eq!(d.message, "`../../etc` cannot name a theme");
}

#[test]
fn periods_are_listed_shortest_first() {
    let c = Config::parse("title = \"Acme\"\nperiods = [\"year\", \"week\", \"month\"]\n[[sources]]\npath = \"x\"\n")
        .unwrap();
    assert_eq!(c.periods, vec![PeriodKind::Week, PeriodKind::Month, PeriodKind::Year]);
}

#[test]
fn topics_need_names_of_their_own_and_usable_keywords() {
    let site = |topics: &str| format!("title = \"Acme\"\n[[sources]]\npath = \"x\"\n[topics]\n{topics}");
    let c = Config::parse(&site("\"Wait time\" = [\"wait\", \"ждал*\", \"等待\"]\nTransfers = [\"transferred\"]\n"))
        .unwrap();
    assert_eq!(c.topics.keys().collect::<Vec<_>>(), ["Wait time", "Transfers"]);

    let d = error(&site("\"Wait time\" = [\"wait\"]\n\"Wait time\" = [\"slow\"]\n"));
    assert_eq!(d.message, "`Wait time` is defined twice");
    assert_eq!(d.line_column(), Some((6, 1)));
    assert!(d.help.as_deref().unwrap().contains("merge"), "{:?}", d.help);

    let d = error(&site("\"Wait time\" = [\"wait\"]\n\"wait  TIME\" = [\"slow\"]\n"));
    assert_eq!(d.message, "topic `wait  TIME` is topic `Wait time` again");
    assert_eq!(d.line_column(), Some((6, 16)));

    let d = error(&site("\" \" = [\"wait\"]\n"));
    assert_eq!(d.message, "a topic has no name");

    let d = error(&site("Waiting = []\n"));
    assert_eq!(d.message, "topic `Waiting` has no keywords");
    assert_eq!(d.line_column(), Some((5, 11)));

    let d = error(&site("Waiting = [\n  \"wait\",\n  \"  \",\n]\n"));
    assert_eq!(d.message, "keyword 2 of topic `Waiting` is empty");
    assert_eq!(d.line_column(), Some((7, 3)));

    let d = error(&site("Waiting = [\"wait\", \"Slow\", \"SLOW\"]\n"));
    assert_eq!(d.message, "`SLOW` is listed twice in topic `Waiting`");
    assert_eq!(d.line_column(), Some((5, 28)));

    let d = error(&site("Waiting = [\"wa*t\"]\n"));
    assert_eq!(d.message, "`wa*t` in topic `Waiting` has a `*` before its end");
    let d = error(&site("Waiting = [\"*\"]\n"));
    assert_eq!(d.message, "`*` in topic `Waiting` would match every word");
}

const OPERATIONS: &str = "title = \"Acme\"\n[[sources]]\npath = \"x\"\n[sources.measures]\nfirst_response_minutes = \"frt\"\ntransfers = \"transfers\"\n";

#[test]
fn operations_targets_take_a_ceiling_and_a_duration_its_statistic() {
    let c = Config::parse(&format!(
        "{OPERATIONS}[[targets]]\nmetric = \"first_response_minutes\"\nstat = \"p90\"\nmax = 240\n[[targets]]\nmetric = \"transfers\"\nmin = 0.1\nmax = 0.5\n"
    ))
    .unwrap();
    assert_eq!((c.targets[0].metric, c.targets[0].stat), (MetricName::FirstResponseMinutes, Some(Stat::P90)));
    assert_eq!((c.targets[1].min, c.targets[1].max), (Some(0.1), Some(0.5)), "a band is fine");
}

#[test]
fn operations_targets_that_cannot_be_meant_are_refused_with_the_fix() {
    let target = |body: &str| error(&format!("{OPERATIONS}[[targets]]\n{body}"));
    let d = target("metric = \"first_response_minutes\"\nmin = 5\n");
    assert_eq!(d.message, "a `min` alone asks `first_response_minutes` to stay high, but lower is better");
    assert_eq!(d.line_column(), Some((9, 7)));
    assert!(d.help.as_deref().unwrap().starts_with("use `max = …`"), "{d}");
    let d = target("metric = \"resolution_minutes\"\nmax = 480\n");
    assert_eq!(d.message, "no source maps the measure `resolution_minutes`");
    assert_eq!(
        d.help.as_deref(),
        Some("map the export's column under [sources.measures], e.g. `resolution_minutes = \"resolution_minutes\"`")
    );
    let d = target("metric = \"csat\"\nstat = \"p90\"\nmin = 80\n");
    assert_eq!(d.message, "`stat` does not apply to `csat`");
    assert_eq!(d.line_column(), Some((9, 8)));
    let d = target("metric = \"first_response_minutes\"\nstat = \"p95\"\nmax = 60\n");
    assert_eq!(d.message, "unknown value `p95`");
    assert!(d.help.as_deref().unwrap().contains("p90"), "{d}");
    let d = target("metric = \"transfers\"\nmax = -1\n");
    assert_eq!(d.message, "`transfers` is never below 0, so this target can never be met");
    let d = target("metric = \"transfers\"\nmax = nan\n");
    assert_eq!(d.message, "`max` is not a number");
}

const KPIS: &str = "title = \"Acme\"\n[[sources]]\npath = \"x\"\n[[kpis]]\npath = \"content/kpis.csv\"\n";

#[test]
fn kpis_are_declared_with_their_perspective_and_direction() {
    let c = Config::parse(&format!(
        "{KPIS}[kpis.indicators]\n\"Cost per ticket\" = {{ perspective = \"financial\", better = \"lower\", unit = \"€\", target = 17.5 }}\n"
    ))
    .unwrap();
    let cost = &c.kpis[0].indicators["Cost per ticket"];
    assert_eq!(
        (cost.perspective, cost.better, cost.unit.as_deref()),
        (Perspective::Financial, Better::Lower, Some("€"))
    );
    assert_eq!(cost.target, Some(17.5));

    let d = error(KPIS);
    assert_eq!(d.message, "these KPIs have no `[kpis.indicators]`");
    assert_eq!(d.line_column().map(|(line, _)| line), Some(4), "the [[kpis]] entry");
    let d = error(&format!("{KPIS}[kpis.indicators]\n\"Cost\" = {{ perspective = \"money\", better = \"lower\" }}\n"));
    assert_eq!(d.message, "unknown value `money`");
    assert_eq!(d.help.as_deref(), Some("expected one of `customer`, `internal`, `financial`, `learning`"));
    let d = error(&format!("{KPIS}[kpis.indicators]\n\"Cost\" = {{ perspective = \"financial\" }}\n"));
    assert_eq!(d.message, "missing key `better`");
    let d = error(&format!(
        "{KPIS}[kpis.indicators]\n\"Cost\" = {{ perspective = \"financial\", better = \"lower\", unit = \"\" }}\n"
    ));
    assert_eq!(d.message, "a unit is a short word or symbol");
    assert_eq!(d.line_column(), Some((7, 64)));
    let d =
        error(&format!("{KPIS}[kpis.indicators]\n\" Cost\" = {{ perspective = \"financial\", better = \"lower\" }}\n"));
    assert_eq!(d.message, "` Cost` cannot name a KPI");
    let twice = format!(
        "{KPIS}[kpis.indicators]\n\"Cost\" = {{ perspective = \"financial\", better = \"lower\" }}\n[[kpis]]\npath = \"b.csv\"\n[kpis.indicators]\n\"Cost\" = {{ perspective = \"financial\", better = \"lower\" }}\n"
    );
    assert_eq!(error(&twice).message, "the KPI `Cost` is declared by [[kpis]] number 1 too");
    let d = error(
        "title = \"Acme\"\n[[sources]]\npath = \"x\"\n[[kpis]]\npath = \"a/[b.csv\"\n[kpis.indicators]\n\"Cost\" = { perspective = \"financial\", better = \"lower\" }\n",
    );
    assert!(d.message.starts_with("`a/[b.csv` is not a valid glob"), "{}", d.message);
}
