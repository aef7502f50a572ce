//! Markdown -> HTML with the extensions report authors expect (tables,
//! footnotes, strikethrough, task lists, smart punctuation, heading ids).
//!
//! Markdown files belong to the site's authors and may hold raw HTML, as in
//! Zola; untrusted text (survey comments) never passes through here.
//!
//! Shortcodes are replaced by placeholders before the markdown is parsed and
//! their HTML is put in afterwards, as events: so a figure's markup is never
//! read as markdown (a blank line or an indented line in it cannot turn into
//! a paragraph or a code block), and smart punctuation never touches it.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream, html};

use super::slugify;

/// The extensions every markdown file is read with.
pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(markdown: &str) -> String {
    render_with(markdown, &[])
}

/// HTML that replaces a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub struct Substitute {
    pub html: String,
    /// A block (a figure, a table) ends the paragraph it stands in, instead of sitting inside it.
    pub block: bool,
}

/// The placeholder of substitute `i`: private-use characters, which markdown gives no meaning.
pub(super) fn placeholder(i: usize) -> String {
    format!("{OPEN}{i}{CLOSE}")
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Renders `markdown` whose placeholders stand for `substitutes`.
pub(super) fn render_with(markdown: &str, substitutes: &[Substitute]) -> String {
    let events: Vec<Event> = TextMergeStream::new(Parser::new_ext(markdown, options())).collect();
    let events = if substitutes.is_empty() { events } else { substitute(events, substitutes) };
    let events = with_heading_ids(events);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// Splits `text` at placeholders: (text before, substitute index) pairs and the text after the last.
fn split(text: &str) -> (Vec<(&str, usize)>, &str) {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        let after = &rest[open + OPEN.len_utf8()..];
        let Some(close) = after.find(CLOSE) else { break };
        let Ok(i) = after[..close].parse::<usize>() else { break };
        parts.push((&rest[..open], i));
        rest = &after[close + CLOSE.len_utf8()..];
    }
    (parts, rest)
}

/// Puts each substitute's HTML where its placeholder is.
fn substitute<'a>(events: Vec<Event<'a>>, substitutes: &[Substitute]) -> Vec<Event<'a>> {
    let html = |i: usize| substitutes.get(i).map_or_else(String::new, |s| s.html.clone());
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut paragraph = false;
    for event in events {
        match event {
            Event::Start(Tag::Paragraph) => {
                paragraph = true;
                out.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                paragraph = false;
                // A paragraph left empty by a block that ended it is dropped.
                if matches!(out.last(), Some(Event::Start(Tag::Paragraph))) {
                    out.pop();
                } else {
                    out.push(event);
                }
            }
            Event::Text(text) if text.contains(OPEN) => {
                let (parts, tail) = split(&text);
                // Text at the start of a paragraph (one a block reopened) needs no leading space.
                let push_text = |out: &mut Vec<Event>, text: &str| {
                    let text =
                        if matches!(out.last(), Some(Event::Start(Tag::Paragraph))) { text.trim_start() } else { text };
                    if !text.is_empty() {
                        out.push(Event::Text(CowStr::from(text.to_string())));
                    }
                };
                for (before, i) in parts {
                    push_text(&mut out, before);
                    let block = substitutes.get(i).is_some_and(|s| s.block);
                    if block && paragraph {
                        if matches!(out.last(), Some(Event::SoftBreak | Event::HardBreak)) {
                            out.pop();
                        }
                        if let Some(Event::Text(text)) = out.last_mut() {
                            *text = CowStr::from(text.trim_end().to_string());
                        }
                        if matches!(out.last(), Some(Event::Start(Tag::Paragraph))) {
                            out.pop();
                        } else {
                            out.push(Event::End(TagEnd::Paragraph));
                        }
                        out.push(Event::Html(CowStr::from(html(i))));
                        out.push(Event::Start(Tag::Paragraph));
                    } else {
                        out.push(Event::InlineHtml(CowStr::from(html(i))));
                    }
                }
                push_text(&mut out, tail);
            }
            Event::Html(text) | Event::InlineHtml(text) if text.contains(OPEN) => {
                let (parts, tail) = split(&text);
                let mut joined = String::new();
                for (before, i) in parts {
                    joined.push_str(before);
                    joined.push_str(&html(i));
                }
                joined.push_str(tail);
                out.push(Event::Html(CowStr::from(joined)));
            }
            Event::SoftBreak if matches!(out.last(), Some(Event::Start(Tag::Paragraph))) => {}
            other => out.push(other),
        }
    }
    out
}

/// Gives every heading without an explicit `{#id}` an id from its text, so sections can be linked.
fn with_heading_ids(mut events: Vec<Event>) -> Vec<Event> {
    let mut used: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, level, .. }) = &events[i]
            && *level != HeadingLevel::H1
        {
            let text: String = events[i + 1..]
                .iter()
                .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let base = slugify(&text);
            let mut id = if base.is_empty() { "section".to_string() } else { base.clone() };
            let mut n = 1;
            while used.contains(&id) {
                n += 1;
                id = format!("{}-{n}", if base.is_empty() { "section" } else { &base });
            }
            used.push(id.clone());
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(id.into());
            }
        }
        i += 1;
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tables_and_smart_punctuation() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n\"quoted\" -- dash");
        assert!(html.contains("<table>"));
        assert!(html.contains("“quoted” – dash"), "{html}");
    }

    #[test]
    fn headings_get_unique_ids() {
        let html = render("## Wait times\n\n## Wait times\n\n### Custom {#mine}");
        assert!(html.contains(r#"<h2 id="wait-times">"#), "{html}");
        assert!(html.contains(r#"<h2 id="wait-times-2">"#), "{html}");
        assert!(html.contains(r#"<h3 id="mine">"#), "{html}");
    }
}
