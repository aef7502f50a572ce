//! What shortcodes mean: `metric(...)`, `chart(...)` and `table(...)` checked
//! against the site, then turned into HTML by the theme's
//! `templates/shortcodes/*.html`.
//!
//! Checking happens in two steps because of what each needs. Names,
//! arguments, periods, dimensions and values are checked before the figures
//! are counted ([`resolve`]): a `where` with several conditions and a period
//! kind the site does not publish must be counted too, and the cube is
//! planned before it is filled. Whether a period has data, and the HTML
//! itself, come after ([`expand`]). Both run while the site loads, so
//! `rapport check` reports a broken shortcode as a build would.

mod expand;
#[cfg(test)]
mod tests;

use std::ops::Range;

use indexmap::IndexMap;

use crate::config::{Config, MetricName, PeriodKind};
use crate::content::shortcodes::{Arg, Shortcode, Value};
use crate::content::{Content, ContentError, Markdown, Scope};
use crate::diagnostic::{Diagnostic, nearest};
use crate::ingest::Inputs;
use crate::metrics::{Extra, Period, Segment};

pub(super) use expand::expand;

/// Every shortcode of the content, checked, by document (in the order of [`Content::documents`]).
#[derive(Debug, Default)]
pub(super) struct Calls {
    documents: Vec<Vec<Call>>,
    /// Groups of several conditions, counted as filters after the case studies' (see [`Calls::extend`]).
    filters: Vec<IndexMap<String, String>>,
    kinds: Vec<PeriodKind>,
}

impl Calls {
    /// Asks the metrics to count what the shortcodes need beyond the pages.
    pub(super) fn extend(&self, extra: &mut Extra) {
        extra.filters.extend(self.filters.iter().cloned());
        extra.kinds.extend(&self.kinds);
    }
}

/// A checked shortcode. Spans point into the document for errors found later.
#[derive(Debug, Clone, PartialEq)]
enum Call {
    Metric { figure: Figure, when: When, who: Who, show: Show, name_span: Range<usize> },
    Chart { kind: ChartKind, metric: MetricName, when: When, who: Who, by: Option<usize>, periods: usize },
    Table { by: usize, when: When },
}

/// Which period's responses.
#[derive(Debug, Clone, PartialEq)]
enum When {
    All,
    /// The dashboard's period: the latest complete one of the shortest kind published.
    Latest,
    /// A period; with the span of the argument when it was written (not a report's own period).
    Period(Period, Option<Range<usize>>),
}

/// Whose responses.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Everyone,
    Segment(Segment),
    /// The `i`-th filter of [`Calls::filters`].
    Filter(usize),
    /// The customer of case study `i`.
    Case(usize),
}

/// The figures `metric(name=…)` can show, by name.
const FIGURES: [(&str, Figure); 11] = [
    ("csat", Figure::Headline(MetricName::Csat)),
    ("csat_mean", Figure::Headline(MetricName::CsatMean)),
    ("nps", Figure::Headline(MetricName::Nps)),
    ("ces", Figure::Headline(MetricName::Ces)),
    ("ces_easy", Figure::Headline(MetricName::CesEasy)),
    ("responses", Figure::Responses),
    ("first_response_median", Figure::Operations("first_response_median")),
    ("first_response_p90", Figure::Operations("first_response_p90")),
    ("resolution_median", Figure::Operations("resolution_median")),
    ("resolution_p90", Figure::Operations("resolution_p90")),
    ("transfers", Figure::Operations("transfers_mean")),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Figure {
    Headline(MetricName),
    Responses,
    /// A support-operations figure, by the key of its tile.
    Operations(&'static str),
}

/// Metrics a chart can draw, by name.
const METRICS: [(&str, MetricName); 5] = [
    ("csat", MetricName::Csat),
    ("csat_mean", MetricName::CsatMean),
    ("nps", MetricName::Nps),
    ("ces", MetricName::Ces),
    ("ces_easy", MetricName::CesEasy),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Show {
    Value,
    Ci,
    N,
    Change,
    Full,
}

const SHOWS: [(&str, Show); 5] =
    [("value", Show::Value), ("ci", Show::Ci), ("n", Show::N), ("change", Show::Change), ("full", Show::Full)];

#[derive(Debug, Clone, Copy, PartialEq)]
enum ChartKind {
    Trend,
    Distribution,
    Nps,
    Groups,
}

const KINDS: [(&str, ChartKind); 4] = [
    ("trend", ChartKind::Trend),
    ("distribution", ChartKind::Distribution),
    ("nps", ChartKind::Nps),
    ("groups", ChartKind::Groups),
];

const SHORTCODES: [(&str, &[&str]); 3] = [
    ("metric", &["name", "period", "where", "show"]),
    ("chart", &["kind", "metric", "period", "where", "by", "periods"]),
    ("table", &["by", "period"]),
];

/// Checks every shortcode of `content` against the configuration and the responses' dimensions.
pub(super) fn resolve(config: &Config, inputs: &Inputs, content: &Content) -> Result<Calls, ContentError> {
    let mut calls = Calls::default();
    for (scope, markdown) in content.documents() {
        let mut document = Vec::new();
        for shortcode in markdown.shortcodes() {
            let mut args = Args { markdown, shortcode, config, inputs, cases: content.cases.len() };
            let call = args.call(scope, &mut calls).map_err(ContentError::Invalid)?;
            document.push(call);
        }
        calls.documents.push(document);
    }
    Ok(calls)
}

/// One shortcode's arguments, read against the site.
struct Args<'a> {
    markdown: &'a Markdown,
    shortcode: &'a Shortcode,
    config: &'a Config,
    inputs: &'a Inputs,
    cases: usize,
}

/// Diagnostics are large; boxed, a result stays small on the happy path.
type Checked<T> = Result<T, Box<Diagnostic>>;

/// `a`, `b` and `c` as a list for a help text: "`a`, `b`, `c`".
fn listed<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// "did you mean `x`? " when `wrong` looks like one of `names`.
fn did_you_mean<'a>(wrong: &str, names: impl IntoIterator<Item = &'a str> + Clone) -> String {
    nearest(wrong, names).map(|n| format!("did you mean `{n}`? ")).unwrap_or_default()
}

impl Args<'_> {
    fn error(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        label: &str,
        help: impl Into<String>,
    ) -> Box<Diagnostic> {
        Box::new(self.markdown.error(span, message, label, help))
    }

    fn name(&self) -> &str {
        &self.shortcode.name
    }

    fn call(&mut self, scope: Scope, calls: &mut Calls) -> Checked<Call> {
        let s = self.shortcode;
        let Some((_, allowed)) = SHORTCODES.iter().find(|(name, _)| *name == s.name) else {
            let names = SHORTCODES.map(|(n, _)| n);
            return Err(self.error(
                s.name_span.clone(),
                format!("there is no shortcode `{}`", s.name),
                "unknown shortcode",
                format!("{}the shortcodes are {}", did_you_mean(&s.name, names), listed(names)),
            ));
        };
        for arg in &s.args {
            if !allowed.contains(&arg.key.as_str()) {
                return Err(self.error(
                    arg.key_span.clone(),
                    format!("`{}` has no argument `{}`", s.name, arg.key),
                    "unknown argument",
                    format!(
                        "{}{}(…) takes {}",
                        did_you_mean(&arg.key, allowed.iter().copied()),
                        s.name,
                        listed(allowed.iter().copied())
                    ),
                ));
            }
        }
        let when = self.when(scope, calls)?;
        match s.name.as_str() {
            "metric" => {
                let (figure, name_span) = self.choice("name", &FIGURES, None, "the figure to show")?;
                let show = self.choice("show", &SHOWS, Some(Show::Value), "what to show")?.0;
                self.check_show(figure, show, &when)?;
                let who = self.who(scope, calls)?;
                Ok(Call::Metric { figure, when, who, show, name_span })
            }
            "chart" => self.chart(scope, when, calls),
            _ => {
                self.refuse_where("a table shows every group of its dimension")?;
                let by = self.dimension("by")?.ok_or_else(|| self.missing("by", "by=\"channel\""))?;
                Ok(Call::Table { by, when })
            }
        }
    }

    fn chart(&mut self, scope: Scope, when: When, calls: &mut Calls) -> Checked<Call> {
        let kind = self.choice("kind", &KINDS, None, "the kind of chart")?.0;
        let (metric, metric_span) = self.choice("metric", &METRICS, Some(MetricName::Csat), "the metric to draw")?;
        let drawable: &[MetricName] = match kind {
            ChartKind::Distribution => &[MetricName::Csat, MetricName::Nps, MetricName::Ces],
            ChartKind::Nps => &[MetricName::Nps],
            ChartKind::Trend | ChartKind::Groups => &METRICS.map(|(_, m)| m),
        };
        if !drawable.contains(&metric) {
            let names = drawable.iter().map(|m| m.key());
            return Err(self.error(
                metric_span,
                format!(
                    "a {} chart cannot draw `{}`",
                    KINDS.iter().find(|k| k.1 == kind).map_or("", |k| k.0),
                    metric.key()
                ),
                "not drawn by this kind",
                format!("it draws {}", listed(names)),
            ));
        }
        let by = self.dimension("by")?;
        match (kind, by) {
            (ChartKind::Groups, None) => return Err(self.missing("by", "by=\"channel\"")),
            (ChartKind::Groups, Some(_)) => {
                self.refuse_where("a groups chart compares every group of its dimension")?
            }
            (ChartKind::Trend, Some(_)) => self.refuse_where("a trend by a dimension draws its largest groups")?,
            (_, Some(_)) => {
                let span = self.shortcode.arg("by").map(|a| a.key_span.clone()).unwrap_or_default();
                return Err(self.error(
                    span,
                    "only kind=\"groups\" and kind=\"trend\" draw a line or bar per group",
                    "not for this kind",
                    "draw a metric by a dimension with chart(kind=\"groups\", metric=\"csat\", by=\"channel\"), \
                     or one group with where=\"channel=email\"",
                ));
            }
            _ => {}
        }
        let periods = match kind {
            ChartKind::Trend => self.count("periods", 13)?,
            ChartKind::Nps => self.count("periods", 6)?,
            _ => {
                if let Some(arg) = self.shortcode.arg("periods") {
                    return Err(self.error(
                        arg.key_span.clone(),
                        "only trend and nps charts span several periods",
                        "not for this kind",
                        "leave `periods` out",
                    ));
                }
                0
            }
        };
        let who = self.who(scope, calls)?;
        Ok(Call::Chart { kind, metric, when, who, by, periods })
    }

    fn missing(&self, key: &str, example: &str) -> Box<Diagnostic> {
        self.error(
            self.shortcode.name_span.clone(),
            format!("`{}` needs a `{key}` argument", self.name()),
            format!("no `{key}`").as_str(),
            format!("add it, e.g. {}({example})", self.name()),
        )
    }

    /// A string argument, or `None` when absent.
    fn string(&self, key: &str) -> Checked<Option<(&str, &Arg)>> {
        let Some(arg) = self.shortcode.arg(key) else { return Ok(None) };
        match &arg.value {
            Value::Str(s) => Ok(Some((s.as_str(), arg))),
            other => Err(self.wrong_type(arg, "a string", other)),
        }
    }

    fn wrong_type(&self, arg: &Arg, expected: &str, found: &Value) -> Box<Diagnostic> {
        self.error(
            arg.value_span.clone(),
            format!("`{}` must be {expected}, not {}", arg.key, found.kind()),
            format!("{} here", found.kind()).as_str(),
            format!("write it as {}=\"…\"", arg.key),
        )
    }

    /// One of `choices` by name; `default` when absent (required when there is none).
    fn choice<T: Copy>(
        &self,
        key: &str,
        choices: &[(&str, T)],
        default: Option<T>,
        what: &str,
    ) -> Checked<(T, Range<usize>)> {
        let names = || choices.iter().map(|(n, _)| *n);
        let Some((text, arg)) = self.string(key)? else {
            return match default {
                Some(d) => Ok((d, self.shortcode.name_span.clone())),
                None => {
                    let d = self.missing(key, &format!("{key}=\"{}\"", choices[0].0));
                    Err(Box::new(d.with_help(format!("name {what}: {}", listed(names())))))
                }
            };
        };
        match choices.iter().find(|(n, _)| *n == text) {
            Some((_, value)) => Ok((*value, arg.value_span.clone())),
            None => Err(self.error(
                arg.value_span.clone(),
                format!("`{text}` is not a `{key}` of {}(…)", self.name()),
                format!("unknown {key}").as_str(),
                format!("{}{key} is one of {}", did_you_mean(text, names()), listed(names())),
            )),
        }
    }

    /// A whole number of periods, 2 to 60.
    fn count(&self, key: &str, default: usize) -> Checked<usize> {
        let Some(arg) = self.shortcode.arg(key) else { return Ok(default) };
        match arg.value {
            Value::Int(n) if (2..=60).contains(&n) => Ok(n as usize),
            Value::Int(_) => Err(self.error(
                arg.value_span.clone(),
                format!("`{key}` must be between 2 and 60"),
                "out of range",
                format!("the default is {default}"),
            )),
            ref other => Err(self.error(
                arg.value_span.clone(),
                format!("`{key}` must be a whole number, not {}", other.kind()),
                format!("{} here", other.kind()).as_str(),
                format!("write it as {key}={default}"),
            )),
        }
    }

    /// `period`, or the document's own: its report's period, all time in a case study, else the latest.
    fn when(&self, scope: Scope, calls: &mut Calls) -> Checked<When> {
        let Some(arg) = self.shortcode.arg("period") else {
            return Ok(match scope {
                Scope::Report(p) => When::Period(p, None),
                Scope::Case(_) => When::All,
                Scope::Dashboard | Scope::Page => When::Latest,
            });
        };
        let text = match &arg.value {
            Value::Str(s) => s.clone(),
            // period=2026 is a year.
            Value::Int(year) => year.to_string(),
            other => return Err(self.wrong_type(arg, "a string", other)),
        };
        match text.as_str() {
            "all" => return Ok(When::All),
            "latest" => return Ok(When::Latest),
            _ => {}
        }
        let Some(period) = Period::parse_key(&text) else {
            return Err(self.error(
                arg.value_span.clone(),
                format!("`{text}` is not a period"),
                "unknown period",
                "write a month \"2026-10\", a quarter \"2026-Q3\", an ISO week \"2026-W41\", a year \"2026\", \
                 \"latest\" (the dashboard's period) or \"all\"",
            ));
        };
        if period.kind != PeriodKind::Month
            && !self.config.periods.contains(&period.kind)
            && !calls.kinds.contains(&period.kind)
        {
            calls.kinds.push(period.kind);
        }
        Ok(When::Period(period, Some(arg.value_span.clone())))
    }

    /// `where`, or everyone (the customer, in a case study).
    fn who(&self, scope: Scope, calls: &mut Calls) -> Checked<Who> {
        let Some(arg) = self.shortcode.arg("where") else {
            return Ok(match scope {
                Scope::Case(i) => Who::Case(i),
                _ => Who::Everyone,
            });
        };
        let items: Vec<(&Value, Range<usize>)> = match &arg.value {
            Value::List(items) => items.iter().map(|(v, span)| (v, span.clone())).collect(),
            single => vec![(single, arg.value_span.clone())],
        };
        let mut conditions: Vec<(usize, u32, &str, &str)> = Vec::new();
        for (value, span) in items {
            let Value::Str(text) = value else {
                return Err(self.wrong_type(arg, "a \"dimension=value\" string or a list of them", value));
            };
            conditions.push(self.condition(text, span)?);
        }
        Ok(match conditions.as_slice() {
            [] => Who::Everyone,
            [(d, v, _, _)] => Who::Segment(Segment::Value { dimension: *d as u16, value: *v }),
            several => {
                let filter: IndexMap<String, String> =
                    several.iter().map(|(_, _, name, value)| (name.to_string(), value.to_string())).collect();
                let i = calls.filters.iter().position(|f| *f == filter).unwrap_or_else(|| {
                    calls.filters.push(filter);
                    calls.filters.len() - 1
                });
                Who::Filter(self.cases + i)
            }
        })
    }

    /// `dimension=value`, both known.
    fn condition<'t>(&self, text: &'t str, span: Range<usize>) -> Checked<(usize, u32, &'t str, &'t str)> {
        let Some((name, value)) = text.split_once('=') else {
            return Err(self.error(
                span,
                format!("`{text}` is not a condition"),
                "expected dimension=value",
                "write a condition as \"channel=email\"; several as [\"channel=email\", \"touchpoint=billing\"]",
            ));
        };
        let (name, value) = (name.trim(), value.trim());
        let d = self.known_dimension(name, span.clone())?;
        let values = &self.inputs.dimensions[d].values;
        let Some(v) = self.inputs.value(d, value) else {
            let near = did_you_mean(value, values.iter().map(String::as_str));
            let known = if values.len() <= 12 {
                format!("; the {name} values are {}", listed(values.iter().map(String::as_str)))
            } else {
                String::new()
            };
            return Err(self.error(
                span,
                format!("no response has {name} = \"{value}\""),
                "unknown value",
                format!("{near}values are compared exactly, including case{known}"),
            ));
        };
        Ok((d, v, name, value))
    }

    /// The dimension named by `key`, if given.
    fn dimension(&self, key: &str) -> Checked<Option<usize>> {
        let Some((name, arg)) = self.string(key)? else { return Ok(None) };
        self.known_dimension(name, arg.value_span.clone()).map(Some)
    }

    fn known_dimension(&self, name: &str, span: Range<usize>) -> Checked<usize> {
        if let Some(d) = self.inputs.dimension(name) {
            return Ok(d);
        }
        let names = self.config.dimensions();
        let help = if names.is_empty() {
            "map a column under [sources.dimensions] in site.toml first".to_string()
        } else {
            format!(
                "{}the dimensions of site.toml are {}",
                did_you_mean(name, names.iter().copied()),
                listed(names.iter().copied())
            )
        };
        Err(self.error(span, format!("`{name}` is not a dimension"), "unknown dimension", help))
    }

    fn refuse_where(&self, why: &str) -> Checked<()> {
        match self.shortcode.arg("where") {
            Some(arg) => Err(self.error(
                arg.key_span.clone(),
                format!("{why}, so it takes no `where`"),
                "not here",
                "leave `where` out",
            )),
            None => Ok(()),
        }
    }

    /// Whether `show` makes sense for `figure` in `when`.
    fn check_show(&self, figure: Figure, show: Show, when: &When) -> Checked<()> {
        let span = || self.shortcode.arg("show").map(|a| a.value_span.clone()).unwrap_or_default();
        let comparable = matches!(figure, Figure::Headline(MetricName::Csat | MetricName::Nps | MetricName::Ces));
        match show {
            Show::Ci | Show::N | Show::Full if figure == Figure::Responses => Err(self.error(
                span(),
                "`responses` is a count: it has no interval and no n",
                "nothing to show",
                "leave `show` out",
            )),
            Show::Change if !comparable => Err(self.error(
                span(),
                "only csat, nps and ces are tested for a change",
                "no change for this figure",
                "show the change of csat, nps or ces, or leave `show` out",
            )),
            Show::Change if *when == When::All => Err(self.error(
                span(),
                "a change is against the previous period, and all time has none",
                "no period",
                "name a period, e.g. period=\"2026-10\", or leave `show` out",
            )),
            _ => Ok(()),
        }
    }
}
