//! The demo's survey exports: thirteen months of a fictional support team.
//!
//! The data is drawn from a small model with effects the site should make
//! visible: each transfer and each hour of waiting for a first response
//! lowers satisfaction; onboarding gets much better once video walkthroughs
//! replace the written docs on 2026-03-01; one account (Fabrikam Retail)
//! is transferred far more often until a dedicated team takes over in May
//! 2026. Monthly exports overlap by two days (re-exported responses are
//! duplicates) and a few rows are broken the way real exports are.

use jiff::civil::{Date, DateTime, date};
use jiff::tz::TimeZone;

use super::random::Random;
use super::words;

pub const FIRST_DAY: Date = date(2025, 10, 1);
pub const LAST_DAY: Date = date(2026, 10, 31);
/// The day video walkthroughs replaced the written onboarding docs.
pub const VIDEO_ONBOARDING: Date = date(2026, 3, 1);
/// The day Fabrikam Retail got a dedicated team (and far fewer transfers).
pub const FABRIKAM_POD: Date = date(2026, 5, 1);
/// From this month on, the helpdesk exported local times without an offset.
const LOCAL_TIMES_FROM: Date = date(2026, 4, 1);
pub const TIME_ZONE: &str = "Europe/Berlin";

pub const HEADER: [&str; 14] = [
    "response_id",
    "submitted_at",
    "customer_id",
    "account",
    "channel",
    "touchpoint",
    "agent",
    "csat",
    "nps",
    "ces",
    "first_response_minutes",
    "resolution_minutes",
    "transfers",
    "comment",
];

pub const CHANNELS: [(&str, f64); 5] =
    [("email", 30.0), ("chat", 28.0), ("phone", 20.0), ("messenger", 12.0), ("whatsapp", 10.0)];
const TOUCHPOINTS: [(&str, f64, f64); 5] =
    // name, share, base satisfaction
    [
        ("support", 52.0, 2.15),
        ("onboarding", 16.0, 1.05),
        ("checkout", 12.0, 2.25),
        ("sales", 11.0, 2.3),
        ("event", 9.0, 2.6),
    ];

/// One survey response as exported.
#[derive(Debug, Clone)]
pub struct Row {
    pub local: DateTime,
    pub fields: [String; 14],
}

struct Account {
    name: &'static str,
    weight: f64,
    effect: f64,
    customers: usize,
    prefers_chat: bool,
}

/// Who the responses come from and who answers them, drawn once.
struct People {
    accounts: Vec<Account>,
    account_weights: Vec<f64>,
    teams: Vec<Vec<Agent>>,
}

struct Agent {
    name: &'static str,
    skill: f64,
}

/// Every response of the demo, in time order.
pub fn responses() -> Vec<Row> {
    let mut rng = Random::new(0x7261_7070_6f72_7421); // "rapport!"
    let accounts: Vec<Account> = words::ACCOUNTS
        .iter()
        .enumerate()
        .map(|(i, name)| Account {
            name,
            weight: 1.0 / ((i + 1) as f64).powf(0.8),
            effect: 0.25 * rng.normal(),
            customers: 8 + rng.below(90),
            prefers_chat: *name == "Adventure Works",
        })
        .collect();
    let teams: Vec<Vec<Agent>> = [&words::PHONE_AGENTS[..], &words::CHAT_AGENTS[..], &words::EMAIL_AGENTS[..]]
        .iter()
        .map(|names| names.iter().map(|name| Agent { name, skill: 0.3 * rng.normal() }).collect())
        .collect();

    let people = People { account_weights: accounts.iter().map(|a| a.weight).collect(), accounts, teams };
    let mut rows = Vec::new();
    let mut day = FIRST_DAY;
    let mut month_index = 0;
    while day <= LAST_DAY {
        if day.day() == 1 && day != FIRST_DAY {
            month_index += 1;
        }
        let weekday = day.weekday().to_monday_one_offset();
        let mut volume = 27.0
            * if weekday <= 5 {
                1.15
            } else if weekday == 6 {
                0.6
            } else {
                0.45
            };
        volume *= 1.0 + 0.015 * f64::from(month_index);
        let holidays = day.month() == 12 && day.day() >= 15 || day.month() == 1 && day.day() <= 6;
        if holidays {
            volume *= 0.85;
        }
        for _ in 0..poisson(&mut rng, volume) {
            rows.push(response(&mut rng, day, holidays, &people, rows.len()));
        }
        day = day.tomorrow().expect("the demo stays within the calendar");
    }
    rows.sort_by(|a, b| a.local.cmp(&b.local).then_with(|| a.fields[0].cmp(&b.fields[0])));
    rows
}

fn response(rng: &mut Random, day: Date, holidays: bool, people: &People, index: usize) -> Row {
    let People { accounts, account_weights, teams } = people;
    let a = rng.weighted(account_weights);
    let account = &accounts[a];
    let customer = format!("C-{a:02}{:03}", rng.below(account.customers));
    let channel_weights: Vec<f64> =
        CHANNELS.iter().map(|(name, w)| if account.prefers_chat && *name == "chat" { w * 3.0 } else { *w }).collect();
    let channel = CHANNELS[rng.weighted(&channel_weights)].0;
    // Contoso Logistics rolled out forty depots from November to May: much of its contact was onboarding.
    let rollout = account.name == "Contoso Logistics" && day >= date(2025, 11, 1) && day < date(2026, 6, 1);
    let touchpoint_weights =
        TOUCHPOINTS.map(|(name, share, _)| if rollout && name == "onboarding" { share * 4.0 } else { share });
    let touchpoint_index = rng.weighted(&touchpoint_weights);
    let (touchpoint, _, base) = TOUCHPOINTS[touchpoint_index];
    let team = match channel {
        "phone" => &teams[0],
        "email" => &teams[2],
        _ => &teams[1],
    };
    let agent = rng.pick(team);

    let (median, spread) = match channel {
        "phone" => (1.5, 0.6),
        "chat" => (2.5, 0.7),
        "messenger" => (25.0, 1.0),
        "whatsapp" => (30.0, 1.0),
        _ => (200.0, 1.1),
    };
    let backlog = if holidays { 1.8 } else { 1.0 };
    let first_response = (rng.log_normal(median * backlog, spread) * 10.0).round() / 10.0;
    let mut transfer_rate = match channel {
        "phone" => 0.7,
        "email" => 0.35,
        _ => 0.5,
    };
    if account.name == "Fabrikam Retail" && day < FABRIKAM_POD {
        transfer_rate *= 2.4;
    }
    let transfers = poisson(rng, transfer_rate).min(6);
    let resolution_median = match touchpoint {
        "onboarding" => 600.0,
        "support" => 240.0,
        _ => 120.0,
    };
    let resolution = first_response + (rng.log_normal(resolution_median, 0.9) * (1.0 + 0.5 * transfers as f64)).round();

    let onboarding_fix = if touchpoint == "onboarding" && day >= VIDEO_ONBOARDING { 1.2 } else { 0.0 };
    let wait_hours = first_response / 60.0;
    let latent =
        base + onboarding_fix + agent.skill + account.effect - 0.6 * transfers as f64 - 0.45 * (1.0 + wait_hours).ln();
    let csat = ordinal(latent + logistic(rng), &[-2.2, -1.2, -0.2, 1.4]) + 1;
    let nps = ((latent * 1.3 + 1.2 * rng.normal() + 6.6).round()).clamp(0.0, 10.0) as u8;
    let ces = ((5.4 - 0.75 * transfers as f64 - 0.3 * (1.0 + wait_hours).ln() + 0.3 * agent.skill + 1.1 * rng.normal())
        .round())
    .clamp(1.0, 7.0) as u8;

    let hour = (13.0 + 3.2 * rng.normal()).round().clamp(6.0, 22.0) as i8;
    let local = day.at(hour, rng.below(60) as i8, rng.below(60) as i8, 0);
    let answered = |rng: &mut Random, p: f64, value: String| if rng.chance(p) { value } else { String::new() };
    let csat_text = answered(rng, 0.96, csat.to_string());
    let nps_text = answered(rng, 0.72, nps.to_string());
    let ces_text = answered(rng, 0.58, ces.to_string());
    let comment_chance = if csat <= 2 { 0.55 } else { 0.3 };
    let comment = if rng.chance(comment_chance) {
        words::comment(
            rng,
            &words::Situation {
                csat,
                transfers,
                wait_hours,
                touchpoint,
                channel,
                agent: agent.name,
                videos: day >= VIDEO_ONBOARDING,
            },
        )
    } else {
        String::new()
    };
    Row {
        local,
        fields: [
            format!("R-{:06}", 100_000 + index),
            String::new(),
            customer,
            account.name.to_string(),
            channel.to_string(),
            touchpoint.to_string(),
            agent.name.to_string(),
            csat_text,
            nps_text,
            ces_text,
            format!("{first_response:.1}"),
            format!("{resolution:.0}"),
            transfers.to_string(),
            comment,
        ],
    }
}

/// The timestamp as the export of that month wrote it.
pub fn exported_time(local: DateTime, tz: &TimeZone) -> String {
    if local.date() >= LOCAL_TIMES_FROM {
        local.strftime("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        tz.to_timestamp(local).map(|ts| ts.to_string()).unwrap_or_default()
    }
}

/// Rows that real exports contain and rapport must reject, by export month.
pub fn broken_rows() -> Vec<(Date, [String; 14])> {
    let row = |id: &str, at: &str, fields: [&str; 7]| -> [String; 14] {
        let [csat, nps, ces, frt, res, transfers, comment] = fields;
        [id, at, "C-04017", "Litware", "email", "support", "Mira T.", csat, nps, ces, frt, res, transfers, comment]
            .map(String::from)
    };
    vec![
        (
            date(2026, 1, 1),
            row(
                "R-X00001",
                "2026-01-14T10:02:11Z",
                ["6", "9", "6", "140.0", "420", "0", "Typed a 6 on a five-point scale."],
            ),
        ),
        (date(2026, 1, 1), row("R-X00002", "2026-01-20T15:40:09Z", ["4", "11", "", "35.5", "300", "1", ""])),
        (date(2026, 6, 1), row("R-X00003", "06/31/2026 14:02", ["5", "10", "7", "2.0", "60", "0", "Great help!"])),
        (date(2026, 6, 1), row("R-X00004", "2026-06-18 11:20:00", ["3", "6", "4", "18.0", "190", "-1", ""])),
        (
            date(2026, 9, 1),
            row("R-X00005", "2026-09-03 09:12:45", ["Over the moon", "", "", "3.1", "45", "0", "Loved it"]),
        ),
    ]
}

/// Number of thresholds below `x`.
fn ordinal(x: f64, thresholds: &[f64]) -> u8 {
    thresholds.iter().filter(|&&t| x > t).count() as u8
}

fn logistic(rng: &mut Random) -> f64 {
    let u = rng.unit().clamp(1e-12, 1.0 - 1e-12);
    (u / (1.0 - u)).ln()
}

/// Poisson by inversion (fine for the small means used here).
fn poisson(rng: &mut Random, mean: f64) -> usize {
    let limit = (-mean).exp();
    let mut product = rng.unit();
    let mut k = 0;
    while product > limit {
        product *= rng.unit();
        k += 1;
    }
    k
}
