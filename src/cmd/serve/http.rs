//! A minimal HTTP/1.1 server for `rapport serve`, on the standard library.
//!
//! It answers GET and HEAD for the files of the last good build, held in
//! memory, and keeps one Server-Sent Events stream open per tab to tell it
//! when to reload. A URL is never turned into a path on disk: it is decoded,
//! checked segment by segment (no `.`, `..`, backslashes or drive letters)
//! and looked up among the rendered files, so nothing outside the site can be
//! served whatever the request says. One thread per connection is plenty for
//! one author's browser; every response closes its connection.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use super::live::{self, Live};

/// The endpoint the injected script listens to.
pub const EVENTS: &str = "/__rapport/events";

/// A request head larger than this is refused.
const MAX_HEAD: usize = 16 * 1024;

/// Accepts connections until the process ends.
pub fn serve(listener: TcpListener, live: Arc<Live>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let live = Arc::clone(&live);
        std::thread::spawn(move || {
            // A browser that goes away mid-answer is not an error worth telling anyone about.
            let _ = handle(stream, &live);
        });
    }
}

fn handle(mut stream: TcpStream, live: &Live) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let Some(head) = read_head(&mut stream)? else {
        return respond(
            &mut stream,
            false,
            &Answer::text(400, "Bad Request", "a request head ends with an empty line"),
        );
    };
    let mut words = head.lines().next().unwrap_or("").split(' ');
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(&mut stream, false, &Answer::text(405, "Method Not Allowed", "only GET and HEAD are served"));
    }
    if target.split('?').next() == Some(EVENTS) && !head_only {
        return live::events(stream, live);
    }
    let answer = answer(target, live);
    respond(&mut stream, head_only, &answer)
}

/// Reads up to the empty line that ends a request head; `None` when there is none within [`MAX_HEAD`].
fn read_head(stream: &mut TcpStream) -> std::io::Result<Option<String>> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0; 2048];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = memchr::memmem::find(&head, b"\r\n\r\n") {
            return Ok(String::from_utf8(head[..end].to_vec()).ok());
        }
        if head.len() > MAX_HEAD {
            return Ok(None);
        }
    }
}

/// A response, before it is written.
pub struct Answer {
    pub status: u16,
    pub reason: &'static str,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
}

impl Answer {
    fn text(status: u16, reason: &'static str, text: &str) -> Answer {
        Answer { status, reason, content_type: "text/plain; charset=utf-8", body: text.into(), location: None }
    }
}

/// What to answer a GET for `target`: a file of the site, a redirect, 400 or 404.
pub fn answer(target: &str, live: &Live) -> Answer {
    let Some(path) = site_path(target) else {
        return Answer::text(400, "Bad Request", "this address cannot name a file of the site");
    };
    let snapshot = live.snapshot();
    let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.clone() };
    if let Some(bytes) = snapshot.file(&file) {
        let content_type = content_type(&file);
        let body = if content_type.starts_with("text/html") { snapshot.inject(bytes) } else { bytes.to_vec() };
        return Answer { status: 200, reason: "OK", content_type, body, location: None };
    }
    if !path.ends_with('/') && snapshot.file(&format!("{path}/index.html")).is_some() {
        // Pages link to each other relatively, so a folder's address must end with a slash.
        let raw = target.split(['?', '#']).next().unwrap_or("/");
        return Answer {
            status: 301,
            reason: "Moved Permanently",
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            location: Some(format!("{raw}/")),
        };
    }
    let status = if snapshot.has_site() { 404 } else { 500 };
    let reason = if status == 404 { "Not Found" } else { "Internal Server Error" };
    let body = match snapshot.file("404.html") {
        Some(page) => snapshot.inject(page),
        None => snapshot.inject(
            format!(
                "<!doctype html><meta charset=\"utf-8\"><title>Not found</title><body><h1>Not found</h1>\
                 <p>The site has no page at <code>/{}</code>. <a href=\"/\">Go to the dashboard</a>.</p></body>",
                crate::content::escape_html(&path)
            )
            .as_bytes(),
        ),
    };
    Answer { status, reason, content_type: "text/html; charset=utf-8", body, location: None }
}

fn respond(stream: &mut TcpStream, head_only: bool, answer: &Answer) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        answer.status,
        answer.reason,
        answer.content_type,
        answer.body.len()
    );
    if let Some(location) = &answer.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&answer.body)?;
    }
    stream.flush()
}

/// The file a request target names, relative to the site root ("" for the root,
/// a trailing `/` for a folder), or `None` when it is malformed or would leave the site.
pub fn site_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next()?;
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        if segment.is_empty() {
            continue;
        }
        if segment == "." || segment == ".." || segment.contains(['\\', '\0', ':']) {
            return None;
        }
        segments.push(segment);
    }
    let mut joined = segments.join("/");
    if decoded.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// `%XX` escapes to bytes, then UTF-8; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "otf" => "font/otf",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_site() {
        for target in [
            "/../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/reports/../../x",
            "/a/./b",
            "/..%2fsite.toml",
            "/%2e%2e%5csite.toml",
            "/..\\site.toml",
            "/C:/Windows/win.ini",
            "/%00",
            "/%zz",
            "/%c3",
            "site.toml",
            "http://example.com/",
            "",
        ] {
            assert_eq!(site_path(target), None, "{target}");
        }
        // An absolute path is looked up inside the site, where it names nothing.
        assert_eq!(site_path("//etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(site_path("/reports/?q=1#top").as_deref(), Some("reports/"));
        assert_eq!(site_path("/segments/channel/e%20mail/").as_deref(), Some("segments/channel/e mail/"));
        assert_eq!(site_path("/data/metrics.json").as_deref(), Some("data/metrics.json"));
    }

    #[test]
    fn content_types_follow_the_extension() {
        for (path, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("static/style.css", "text/css; charset=utf-8"),
            ("static/app.js", "text/javascript; charset=utf-8"),
            ("charts/a.svg", "image/svg+xml"),
            ("fonts/a.woff2", "font/woff2"),
            ("fonts/a.OTF", "font/otf"),
            ("data/metrics.json", "application/json"),
            ("feed.xml", "application/xml"),
            ("data/2026-10.csv", "text/csv; charset=utf-8"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }
}
