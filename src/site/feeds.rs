//! Files for machines: the Atom feed of periodic reports, the sitemap and
//! one CSV of figures per report.
//!
//! Like every output they depend on the inputs only: an entry's `updated`
//! is the end of its period (or the last day with data, while it runs),
//! never the time of the build.

use jiff::civil::Date;

use super::views::Ctx;
use crate::metrics::{Change, Figures, Grain, Period, Segment, TRANSFER_BUCKETS};

/// How many of the newest reports the feed carries.
pub const FEED_ENTRIES: usize = 30;

/// Escapes text for XML content and attribute values.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// An address for a path of the site: absolute under `base_url`, else relative to the site root.
fn address(ctx: &Ctx, path: &str) -> String {
    super::absolute_address(&ctx.config.base_url, path).unwrap_or_else(|| super::directory_of(path).to_string())
}

/// Midnight after `day` in the site's time zone, as RFC 3339.
fn end_of(ctx: &Ctx, day: Date) -> String {
    let next = day.tomorrow().unwrap_or(day);
    ctx.config
        .time_zone
        .to_timestamp(next.to_datetime(jiff::civil::Time::midnight()))
        .map(|t| t.to_string())
        .unwrap_or_else(|_| format!("{next}T00:00:00Z"))
}

/// A report's headline figures in one line, for the feed.
fn headline(ctx: &Ctx, f: &Figures) -> String {
    let l = ctx.locale;
    let ci = |lo_hi: [f64; 2], places| ctx.interval_text(lo_hi, places);
    let n = |n: u64| l.fill("n_equals", &[("n", &l.count(n))]);
    let mut parts = Vec::new();
    if let Some(c) = &f.csat {
        parts.push(format!("{} {} ({}, {})", l.t("csat"), l.percent(c.percent, 1), ci(c.ci, 1), n(c.n)));
    }
    if let Some(c) = &f.nps {
        parts.push(format!("{} {} ({}, {})", l.t("nps"), l.decimal(c.score, 0), ci(c.ci, 0), n(c.n)));
    }
    if let Some(c) = &f.ces {
        parts.push(format!("{} {} ({})", l.t("ces"), l.decimal(c.mean, 2), n(c.n)));
    }
    match f.responses {
        Some(r) => parts.push(format!("{}: {}", l.t("responses"), l.count(r))),
        None => parts.push(l.fill("suppressed", &[("n", &ctx.config.privacy.min_group.to_string())])),
    }
    parts.join(" · ")
}

/// `feed.xml`: the newest periodic reports, newest first.
pub fn atom(ctx: &Ctx, reports: &[Period]) -> Vec<u8> {
    let l = ctx.locale;
    let mut reports: Vec<Period> = reports.to_vec();
    // Newest first by end; for the same end, the longer period (the quarter closing with its last month) first.
    reports.sort_by(|a, b| b.end().cmp(&a.end()).then(a.start.cmp(&b.start)));
    reports.truncate(FEED_ENTRIES);
    let updated_day = |p: &Period| match ctx.metrics.last_day {
        Some(last) if last < p.end() => last,
        _ => p.end(),
    };
    let updated = reports.iter().map(updated_day).max().map(|d| end_of(ctx, d));
    let id = |path: &str| {
        if ctx.config.base_url.is_empty() {
            format!("urn:rapport:{}", path.trim_end_matches("index.html").trim_end_matches('/').replace('/', ":"))
        } else {
            address(ctx, path)
        }
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        ctx.config.language.code()
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml(&ctx.config.title)));
    out.push_str(&format!("  <subtitle>{}</subtitle>\n", xml(l.t("reports"))));
    out.push_str(&format!("  <id>{}</id>\n", xml(&id("reports/index.html"))));
    if !ctx.config.base_url.is_empty() {
        out.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml(&address(ctx, "feed.xml"))
        ));
    }
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&address(ctx, "index.html"))
    ));
    // A feed with no report yet still needs a date: the epoch says "never".
    out.push_str(&format!("  <updated>{}</updated>\n", updated.as_deref().unwrap_or("1970-01-01T00:00:00Z")));
    out.push_str(&format!("  <generator version=\"{}\">rapport</generator>\n", env!("CARGO_PKG_VERSION")));
    for p in &reports {
        let path = super::pages::report_path(*p);
        let title = format!("{} · {}", l.period(*p), l.kind_report(p.kind));
        let summary = headline(ctx, &ctx.metrics.figures(Grain::Period(*p), Segment::All));
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml(&title)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&address(ctx, &path))
        ));
        out.push_str(&format!("    <id>{}</id>\n", xml(&id(&path))));
        out.push_str(&format!("    <updated>{}</updated>\n", end_of(ctx, updated_day(p))));
        out.push_str(&format!("    <summary>{}</summary>\n", xml(&summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

/// `sitemap.xml` for the HTML pages at `paths`; `None` without a `base_url`, since a sitemap needs absolute URLs.
pub fn sitemap(ctx: &Ctx, paths: &[String]) -> Option<Vec<u8>> {
    if ctx.config.base_url.is_empty() {
        return None;
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml(&address(ctx, path))));
    }
    out.push_str("</urlset>\n");
    Some(out.into_bytes())
}

/// The columns of `data/<report>.csv`, one figure per row.
pub const CSV_HEADER: [&str; 11] =
    ["period", "group", "value", "metric", "n", "estimate", "ci_low", "ci_high", "change", "p_value", "significant"];

/// `data/<report>.csv`: every published figure of one report, in long form.
pub fn report_csv(ctx: &Ctx, p: Period) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(CSV_HEADER).expect("writing to memory");
    let grain = Grain::Period(p);
    let key = p.key();
    let mut scratch = String::new();
    let mut write = |group: &str, value: &str, f: &Figures, change: Option<&Change>| {
        rows(f, change, |row| {
            for field in [key.as_str(), group, value] {
                w.write_field(field).expect("writing to memory");
            }
            row.write(&mut w, &mut scratch);
        });
    };
    write("all", "", &ctx.metrics.figures(grain, Segment::All), Some(&ctx.metrics.change(p, Segment::All)));
    for (d, dimension) in ctx.inputs.dimensions.iter().enumerate() {
        for (v, value) in dimension.values.iter().enumerate() {
            let segment = Segment::Value { dimension: d as u16, value: v as u32 };
            let f = ctx.metrics.figures(grain, segment);
            if f.responses.is_some() {
                write(&dimension.name, value, &f, Some(&ctx.metrics.change(p, segment)));
            }
        }
    }
    if ctx.metrics.has_transfers() {
        for (i, label) in TRANSFER_BUCKETS.iter().enumerate() {
            let f = ctx.metrics.figures(grain, Segment::Transfers(i as u8));
            if f.responses.is_some() {
                write("transfers", label, &f, None);
            }
        }
    }
    if ctx.metrics.has_first_response() {
        for ([lo, hi], segment) in ctx.metrics.first_response_buckets() {
            let f = ctx.metrics.figures(grain, segment);
            if f.responses.is_some() {
                let bound = |b: Option<f64>| b.map_or(String::new(), |x| x.to_string());
                write("first_response_minutes", &format!("{}-{}", bound(lo), bound(hi)), &f, None);
            }
        }
    }
    for record in super::outreach::csv_rows(ctx, p) {
        w.write_record(&record).expect("writing to memory");
    }
    for row in super::topics::csv_rows(ctx, p) {
        w.write_record(std::iter::once(key.as_str()).chain(row.iter().map(String::as_str))).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// A row of a report's CSV after its period, group and value.
struct Row<'a> {
    metric: &'a str,
    n: u64,
    estimate: f64,
    ci: [Option<f64>; 2],
    test: Option<crate::metrics::Difference>,
}

impl Row<'_> {
    /// Writes the row's fields and ends the record; numbers go through `scratch`, not a string each.
    fn write(&self, w: &mut csv::Writer<Vec<u8>>, scratch: &mut String) {
        use std::fmt::Write;
        let mut field = |w: &mut csv::Writer<Vec<u8>>, value: Option<&dyn std::fmt::Display>| {
            scratch.clear();
            if let Some(value) = value {
                write!(scratch, "{value}").expect("writing to a string");
            }
            w.write_field(scratch.as_bytes()).expect("writing to memory");
        };
        w.write_field(self.metric).expect("writing to memory");
        field(w, Some(&self.n));
        field(w, Some(&self.estimate));
        for bound in &self.ci {
            field(w, bound.as_ref().map(|b| b as &dyn std::fmt::Display));
        }
        let test = self.test.as_ref();
        field(w, test.map(|d| &d.delta as &dyn std::fmt::Display));
        field(w, test.map(|d| &d.p_value as &dyn std::fmt::Display));
        field(w, test.map(|d| &d.significant as &dyn std::fmt::Display));
        w.write_record(None::<&[u8]>).expect("writing to memory");
    }
}

/// One row per figure: metric, n, estimate, interval and, where tested, the change.
fn rows(f: &Figures, change: Option<&Change>, mut emit: impl FnMut(Row)) {
    let some = |[a, b]: [f64; 2]| [Some(a), Some(b)];
    let mut row = |metric: &str, n: u64, estimate: f64, ci: [Option<f64>; 2], test| {
        emit(Row { metric, n, estimate, ci, test });
    };
    if let Some(r) = f.responses {
        row("responses", r, r as f64, [None, None], None);
    }
    if let Some(c) = &f.csat {
        row("csat_percent", c.n, c.percent, some(c.ci), change.and_then(|x| x.csat));
        row("csat_mean", c.n, c.mean, c.mean_ci.map_or([None, None], some), None);
    }
    if let Some(c) = &f.nps {
        row("nps", c.n, c.score, some(c.ci), change.and_then(|x| x.nps));
    }
    if let Some(c) = &f.ces {
        row("ces_mean", c.n, c.mean, c.ci.map_or([None, None], some), change.and_then(|x| x.ces));
        row("ces_easy_percent", c.n, c.easy_percent, some(c.easy_ci), None);
    }
    let durations = [
        ("first_response_minutes_median", "first_response_minutes_p90", &f.first_response_minutes),
        ("resolution_minutes_median", "resolution_minutes_p90", &f.resolution_minutes),
    ];
    for (median, p90, d) in durations {
        if let Some(d) = d {
            row(median, d.n, d.median, d.median_ci, None);
            row(p90, d.n, d.p90, d.p90_ci, None);
        }
    }
    if let Some(t) = &f.transfers {
        row("transfers_mean", t.n, t.mean, t.ci.map_or([None, None], some), None);
    }
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(xml("a < b & \"c\" 'd' >\u{1}"), "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt;");
    }
}
