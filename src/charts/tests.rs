use std::collections::BTreeMap;

use super::*;
use crate::config::Language;

fn locale() -> Locale {
    let text = include_str!("../../themes/default/i18n/en.toml");
    let strings: BTreeMap<String, String> = toml::from_str(text).unwrap();
    Locale::new(Language::En, strings)
}

fn point(label: &str, value: Option<f64>) -> TrendPoint {
    TrendPoint {
        short: label.into(),
        label: label.into(),
        value,
        ci: value.map(|v| [v - 3.0, v + 3.0]),
        n: value.map(|_| 100),
        events: Vec::new(),
    }
}

fn trend_figure(points: &[TrendPoint]) -> Figure {
    let spec = Trend {
        series: "CSAT %",
        band: "95% interval",
        scale: Scale::Percent,
        points,
        target: Some(85.0),
        comparison: None,
        groups: Vec::new(),
    };
    trend(&ChartStyle::default(), &locale(), Frame { id: "t", title: "CSAT % by month", layout: Layout::Full }, &spec)
}

#[test]
fn colours_come_from_the_theme_stylesheet() {
    let style = ChartStyle::from_css(include_str!("../../themes/default/static/style.css"));
    assert_eq!(style.palette[0], "#2f5d8a");
    assert_eq!(style.target, "#c8553d");
    assert_eq!(style.grid, "#e4e1da");
    // --group-1 follows a comment with a colon in it; it must not be lost.
    assert_eq!(style.groups, ["#d0672f", "#3a8f6a", "#8e6cc0", "#a0782a", "#c0588f"]);
    let custom = ChartStyle::from_css(":root { --chart-2: #222222; --chart-1: #111111; --text: #000000; }");
    assert_eq!(custom.palette, vec!["#111111", "#222222"]);
    assert_eq!(custom.text, "#000000");
    assert_eq!(custom.bad, ChartStyle::default().bad, "missing properties keep their defaults");
    let over = style.with_css(":root { --chart-2: #222222; --bad: #333333; }");
    assert_eq!(over.palette, vec!["#2f5d8a", "#222222", "#c8553d"], "a later stylesheet changes single colours");
    assert_eq!((over.bad.as_str(), over.target.as_str()), ("#333333", "#c8553d"));
}

#[test]
fn count_axes_have_round_ticks() {
    assert_eq!(nice_axis(527.0), (600.0, 3));
    assert_eq!(nice_axis(9.0), (10.0, 5));
    assert_eq!(nice_axis(22.0), (25.0, 5));
    assert_eq!(nice_axis(1.0), (2.0, 2), "room above the bar for its label");
    assert_eq!(nice_axis(3.0), (4.0, 4));
    assert_eq!(nice_axis(500.0), (600.0, 3));
    assert_eq!(nice_axis(0.0), (4.0, 4));
    assert_eq!(nice_axis(4_100.0), (5_000.0, 5));
}

#[test]
fn percentages_are_drawn_on_a_zero_to_hundred_axis() {
    let f = trend_figure(&[point("Jan", Some(81.0)), point("Feb", Some(84.5))]);
    for tick in ["0%", "20%", "40%", "60%", "80%", "100%"] {
        assert!(f.wide.contains(&format!("\n{tick}\n")), "tick {tick} missing");
    }
    assert!(f.wide.contains("Target 85%"));
}

#[test]
fn charts_scale_with_the_page_and_are_labelled_by_their_caption() {
    let f = trend_figure(&[point("Jan", Some(81.0))]);
    let root = &f.wide[..f.wide.find('>').unwrap()];
    assert!(root.contains("viewBox=\"0 0 1060 340\""), "{root}");
    assert!(!root.contains(" width="), "{root}");
    assert!(root.contains("class=\"chart-wide\""));
    assert!(root.contains("role=\"img\" aria-labelledby=\"t-title t-alt\""));
    assert!(f.narrow.contains("viewBox=\"0 0 340 260\""));
}

#[test]
fn the_text_alternative_and_table_carry_the_numbers() {
    let f = trend_figure(&[point("Jan", Some(81.0)), point("Feb", None), point("Mar", Some(84.5))]);
    assert_eq!(f.alt, "From Jan to Mar: latest 84.5%; highest 84.5% in Mar, lowest 81.0% in Jan.");
    assert_eq!(f.table.head, ["Period", "CSAT %", "95% interval", "n"]);
    assert_eq!(f.table.rows[0], ["Jan", "81.0%", "78.0–84.0", "100"]);
    assert_eq!(f.table.rows[1], ["Feb", "—", "—", "—"]);
}

#[test]
fn labels_from_the_data_are_escaped() {
    let groups = [GroupValue {
        label: "<script>alert(1)</script>".into(),
        value: Some(50.0),
        ci: Some([40.0, 60.0]),
        n: Some(30),
    }];
    let frame = Frame { id: "g", title: "CSAT by agent", layout: Layout::Half };
    let f = super::groups(&ChartStyle::default(), &locale(), frame, "Agent", Scale::Percent, &groups);
    assert!(!f.wide.contains("<script>"));
    assert!(f.wide.contains("&lt;script&gt;"));
}

#[test]
fn drawing_is_deterministic() {
    let points = [point("Jan", Some(81.0)), point("Feb", Some(79.25))];
    assert_eq!(trend_figure(&points), trend_figure(&points));
}

#[test]
fn composition_shares_add_up_per_row() {
    let rows = [Composition { label: "Jan".into(), detractors: 10, passives: 30, promoters: 60 }];
    let frame = Frame { id: "n", title: "NPS", layout: Layout::Half };
    let f = composition(&ChartStyle::default(), &locale(), frame, &rows);
    assert_eq!(f.table.rows[0], ["Jan", "60.0%", "30.0%", "10.0%", "100"]);
    assert_eq!(f.alt, "In Jan: 60% promoters, 30% passives, 10% detractors.");
}

const CJK_FONT_DATA: &[u8] = include_bytes!("../../themes/default/static/fonts/noto-sans-sc-charts.otf");

#[test]
fn the_chinese_chart_font_has_every_character_of_the_chinese_strings() {
    let face = ttf_parser::Face::parse(CJK_FONT_DATA, 0).unwrap();
    let text = include_str!("../../themes/default/i18n/zh.toml");
    let missing: String = text.chars().filter(|&c| c >= ' ' && face.glyph_index(c).is_none()).collect();
    assert!(
        missing.is_empty(),
        "noto-sans-sc-charts.otf lacks {missing:?}: make it again from Noto Sans CJK SC with the characters of \
         zh.toml and printable ASCII (python3 tools/cjk-chart-font.py)"
    );
}

#[test]
fn chinese_chart_text_is_measured_as_wide_as_it_is_drawn() {
    let style = ChartStyle::default().with_cjk_font(CJK_FONT_DATA);
    assert_eq!(style.font, "Noto Sans SC Charts");
    let width = |text: &str| charts_rs::measure_text_width_family(&style.font, 12.0, text).unwrap().width();
    // A Chinese character is a full em: 12 px at 12 px, not Roboto's 5 px missing-glyph box.
    assert!((34.0..=37.0).contains(&width("推荐者")), "{}", width("推荐者"));
    // So is one the subset lacks, such as a Chinese dimension value from the data: its missing-glyph box is an em too.
    assert!((11.0..=13.0).contains(&width("龙")), "{}", width("龙"));
}

/// charts-rs is patched to write coordinates without `{:.1}`'s slow exact path
/// (vendor/charts-rs/PATCHED.md); the digits must be the ones `{:.1}` writes, less a trailing ".0".
#[test]
fn chart_coordinates_are_written_as_std_writes_them() {
    let expected = |v: f32| {
        let text = format!("{v:.1}");
        text.strip_suffix(".0").map_or(text.clone(), str::to_string)
    };
    let written = |v: f32| {
        let svg = charts_rs::Circle { cx: v, ..Default::default() }.svg();
        let start = svg.find("cx=\"").expect("a cx attribute") + 4;
        svg[start..start + svg[start..].find('"').expect("a closing quote")].to_string()
    };
    let mut values: Vec<f32> =
        vec![0.0, -0.0, 0.05, -0.05, 0.15, 0.25, 0.35, 0.45, 1.05, 2.5, 1e14, -1e14, 9.99e14, 1e15, 3e38];
    values.extend((-20_000..20_000).map(|i| i as f32 / 20.0));
    values.extend((-20_000..20_000).map(|i| i as f32 * 0.05));
    // Random bit patterns (every magnitude) and random coordinates (the chart range), by xorshift.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..200_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        values.push(f32::from_bits(state as u32));
        values.push((state >> 40) as f32 / 1000.0 - 8_000.0);
    }
    for v in values.into_iter().filter(|v| v.is_finite()) {
        assert_eq!(written(v), expected(v), "{v:?}");
    }
}

/// charts-rs writes the numbers on bars and axes itself, with a point: a Russian chart gets a
/// decimal comma, an English one is left as it is.
#[test]
fn numbers_charts_rs_writes_take_the_locales_decimal_separator() {
    let rows = [Composition { label: "May".into(), detractors: 63, passives: 369, promoters: 568 }];
    let frame = || Frame { id: "c", title: "NPS", layout: Layout::Full };
    let labels = |locale: &Locale| {
        let f = bars::composition(&ChartStyle::default(), locale, frame(), &rows);
        let texts: Vec<String> = f
            .wide
            .split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_string()))
            .collect();
        texts
    };
    let english = labels(&locale());
    assert!(english.contains(&"36.9%".to_string()), "{english:?}");
    let strings: BTreeMap<String, String> = toml::from_str(include_str!("../../themes/default/i18n/ru.toml")).unwrap();
    let russian = labels(&Locale::new(Language::Ru, strings));
    assert!(russian.contains(&"36,9%".to_string()), "{russian:?}");
    assert!(russian.iter().all(|t| !(t.contains('.') && t.starts_with(|c: char| c.is_ascii_digit()))), "{russian:?}");
}
