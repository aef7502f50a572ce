//! Markdown -> HTML with the extensions report authors expect (tables,
//! footnotes, strikethrough, task lists, smart punctuation, heading ids).
//!
//! Markdown files belong to the site's authors and may hold raw HTML, as in
//! Zola; untrusted text (survey comments) never passes through here.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::slugify;

pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let events = with_heading_ids(events);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
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
