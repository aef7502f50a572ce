//! `rapport check`: everything a build would do except writing, then the
//! targets, in words a manager can act on (or as JSON for a CI job to post).
//!
//! Exit codes follow SPEC §1: 1 when a target is missed or input is invalid
//! (a bad row under `on_error = "fail"`, broken front matter), 2 for usage
//! and configuration errors. Rows rejected under `on_error = "reject"` are
//! reported, not a failure.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{CheckArgs, CheckFormat};
use crate::config::{Config, MetricName, Stat};
use crate::error::Error;
use serde::Serialize;

use crate::ingest::InputsSummary;
use crate::metrics::{Standing, Status, TargetResult};
use crate::site::{self, BuildOptions, Site};

use super::Outcome;

pub fn run(args: &CheckArgs) -> Result<Outcome, Error> {
    super::remove_temporary_files_on_interrupt();
    let options = BuildOptions {
        root: args.root.root.clone(),
        output: PathBuf::from("public"),
        base_url: None,
        drafts: false,
        now: super::build_time()?,
    };
    let site = match site::check(&options) {
        Ok(site) => site,
        Err(error) => {
            if args.format == CheckFormat::Json {
                let report = serde_json::json!({ "ok": false, "errors": [error.diagnostic().to_json()] });
                println!("{}", serde_json::to_string_pretty(&report).expect("JSON values serialize"));
            }
            return Err(error);
        }
    };
    let missed = site.metrics.targets.iter().filter(|t| t.status == Status::Missed).count();
    match args.format {
        CheckFormat::Text => {
            let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for warning in &site.warnings {
                eprintln!("{}", warning.render(styled));
            }
            print!("{}", text(&site, missed));
        }
        CheckFormat::Json => println!("{}", json(&site, missed)),
    }
    Ok(if missed > 0 { Outcome::CheckFailed } else { Outcome::Success })
}

fn text(site: &Site, missed: usize) -> String {
    let targets = &site.metrics.targets;
    let mut out = String::new();
    let t = site.inputs.totals();
    let _ = writeln!(
        out,
        "Inputs: {} responses used from {} files; {} rows rejected, {} duplicates.",
        t.responses_counted(),
        site.inputs.files.len(),
        t.rows_rejected,
        t.duplicates
    );
    if t.conflicts > 0 {
        let _ = writeln!(
            out,
            "  {} responses were exported twice with different answers; the copy in the file that sorts last was used:",
            t.conflicts
        );
        for c in site.inputs.conflicts.iter().take(5) {
            let _ = writeln!(out, "    {}: {}:{} replaces {}:{}", c.id, c.kept.0, c.kept.1, c.dropped.0, c.dropped.1);
        }
    }
    for r in site.inputs.rejections.iter().take(10) {
        let _ = writeln!(out, "  rejected {r}");
    }
    if t.rows_rejected > 10 {
        let _ = writeln!(
            out,
            "  … and {} more (`rapport check --format json` lists the first {})",
            t.rows_rejected - 10,
            crate::ingest::LISTED
        );
    }
    if targets.is_empty() {
        let _ = writeln!(out, "No targets: add [[targets]] to site.toml for rapport check to judge.");
        return out;
    }
    let period = targets.iter().find_map(|t| t.period.as_deref());
    let kind = site.config.periods.iter().min().map(|k| k.name()).unwrap_or("period");
    match period {
        Some(p) => {
            let _ = writeln!(out, "\nTargets, judged on {p} (the latest complete {kind}):");
        }
        None => {
            let _ = writeln!(out, "\nTargets: no {kind} with responses has ended yet, so none can be judged.");
        }
    }
    let level = site.metrics.rules.level();
    for target in targets {
        let _ = writeln!(out, "  {}", sentence(target, &level, &site.config));
    }
    let _ = writeln!(
        out,
        "\n{}",
        match missed {
            0 if targets.len() == 1 => "The target is met or has no data.".to_string(),
            0 => format!("All {} targets are met or have no data.", targets.len()),
            1 => format!("1 of {} targets missed.", targets.len()),
            n => format!("{n} of {} targets missed.", targets.len()),
        }
    );
    out
}

/// One target in words: "✗ missed: CSAT for touchpoint = onboarding was 76.4 % …".
fn sentence(t: &TargetResult, level: &str, config: &Config) -> String {
    let (name, unit, places) = describe(t.metric, t.stat.unwrap_or_default());
    let scope = if t.filter.is_empty() {
        String::new()
    } else {
        let pairs: Vec<String> = t.filter.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        format!(" for {}", pairs.join(", "))
    };
    let bound = match (t.min, t.max) {
        (Some(lo), Some(hi)) => format!("between {lo:.places$}{unit} and {hi:.places$}{unit}"),
        (Some(lo), None) => format!("at least {lo:.places$}{unit}"),
        (None, Some(hi)) => format!("at most {hi:.places$}{unit}"),
        (None, None) => "unset".into(),
    };
    let (Some(value), Some(n)) = (t.value, t.n) else {
        return format!(
            "– no data: {name}{scope} has no published figure{} (fewer than {} answers, or none); the target is {bound}.",
            t.period.as_deref().map(|p| format!(" for {p}")).unwrap_or_default(),
            config.privacy.min_group
        );
    };
    let interval =
        t.ci.map(|[lo, hi]| format!("{level} % interval {lo:.places$}–{hi:.places$}{unit}, ")).unwrap_or_default();
    let figure = format!("{name}{scope} was {value:.places$}{unit} ({interval}n = {n}); the target is {bound}");
    match t.status {
        Status::Met => format!("✓ met: {figure}."),
        Status::NoData => format!("– no data: {figure}."),
        Status::Missed => {
            let short =
                t.min.map(|m| m - value).filter(|d| *d > 0.0).or_else(|| t.max.map(|m| value - m)).unwrap_or(0.0);
            let caveat = if Standing::of(value, t.ci, t.min, t.max) == Standing::Close {
                " The interval still reaches the target, so the shortfall may be chance; watch the next period."
            } else {
                " The interval does not reach the target: the shortfall is real."
            };
            let points = match unit {
                " %" => " points",
                " min" => " minutes",
                _ => "",
            };
            format!("✗ MISSED by {short:.places$}{points}: {figure}.{caveat}")
        }
    }
}

/// Name, unit and decimal places of a target's figure.
fn describe(metric: MetricName, stat: Stat) -> (&'static str, &'static str, usize) {
    match (metric, stat) {
        (MetricName::Csat, _) => ("CSAT", " %", 1),
        (MetricName::CsatMean, _) => ("Mean CSAT score", "", 2),
        (MetricName::Nps, _) => ("NPS", "", 1),
        (MetricName::Ces, _) => ("CES", "", 2),
        (MetricName::CesEasy, _) => ("CES (share finding it easy)", " %", 1),
        (MetricName::FirstResponseMinutes, Stat::Median) => ("First response (median)", " min", 1),
        (MetricName::FirstResponseMinutes, Stat::P90) => ("First response (90th percentile)", " min", 1),
        (MetricName::ResolutionMinutes, Stat::Median) => ("Resolution (median)", " min", 1),
        (MetricName::ResolutionMinutes, Stat::P90) => ("Resolution (90th percentile)", " min", 1),
        (MetricName::Transfers, _) => ("Transfers per ticket", "", 2),
    }
}

/// The JSON report, in a fixed key order: verdict first.
#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    missed: usize,
    targets: &'a [TargetResult],
    /// Counts per file, the first rejected rows and conflicting copies.
    inputs: InputsSummary<'a>,
    warnings: Vec<serde_json::Value>,
    errors: Vec<serde_json::Value>,
}

fn json(site: &Site, missed: usize) -> String {
    let report = Report {
        ok: missed == 0,
        missed,
        targets: &site.metrics.targets,
        inputs: site.inputs.summary(),
        warnings: site.warnings.iter().map(|w| w.to_json()).collect(),
        errors: Vec::new(),
    };
    serde_json::to_string_pretty(&report).expect("figures serialize to JSON")
}
