//! The served site as it stands: the last good build, the error of the last
//! build if it failed, and a version that tells open tabs to reload.
//!
//! The reload script and the error overlay are added to HTML as it is
//! served, never to the build's files, so `rapport build` output cannot
//! carry them.

use std::io::Write;
use std::net::TcpStream;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::content::escape_html as escape;
use crate::site::Rendered;

/// Shared between the builder and every connection.
#[derive(Default)]
pub struct Live {
    state: Mutex<Snapshot>,
    changed: Condvar,
}

/// One moment of the served site; cheap to clone.
#[derive(Clone, Default)]
pub struct Snapshot {
    site: Option<Arc<Rendered>>,
    /// The last build's error, as plain text, when it failed.
    error: Option<Arc<str>>,
    /// Increases with every build, good or bad.
    version: u64,
}

impl Live {
    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        // A connection thread that panicked cannot have left the snapshot half-written: take it as it is.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// A good build: serve it and reload every tab.
    pub fn publish(&self, site: Rendered) {
        let mut state = self.lock();
        state.site = Some(Arc::new(site));
        state.error = None;
        state.version += 1;
        self.changed.notify_all();
    }

    /// A failed build: keep serving the last good one, with the error over every page.
    pub fn fail(&self, error: String) {
        let mut state = self.lock();
        state.error = Some(error.into());
        state.version += 1;
        self.changed.notify_all();
    }

    /// The version once it differs from `seen`, or the current one after `timeout`.
    fn wait(&self, seen: Option<u64>, timeout: Duration) -> u64 {
        let state = self.lock();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| Some(s.version) == seen)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.version
    }
}

impl Snapshot {
    pub fn has_site(&self) -> bool {
        self.site.is_some()
    }

    /// The bytes of the file at `path` (relative, `/`-separated).
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        let files = &self.site.as_ref()?.files;
        let i = files.binary_search_by(|(p, _)| p.as_str().cmp(path)).ok()?;
        Some(&files[i].1)
    }

    /// `html` with the reload script, and the error overlay when the last build failed, before `</body>`.
    pub fn inject(&self, html: &[u8]) -> Vec<u8> {
        let mut extra = String::new();
        if let Some(error) = &self.error {
            extra.push_str(&overlay(error, self.site.is_some()));
        }
        extra.push_str(&script(self.version));
        let at = memchr::memmem::rfind(html, b"</body>").unwrap_or(html.len());
        let mut out = Vec::with_capacity(html.len() + extra.len());
        out.extend_from_slice(&html[..at]);
        out.extend_from_slice(extra.as_bytes());
        out.extend_from_slice(&html[at..]);
        out
    }
}

/// Listens for new versions and reloads when the served one differs from the page's.
/// EventSource reconnects by itself when the server restarts.
fn script(version: u64) -> String {
    format!(
        "<script data-rapport-live-reload>(()=>{{const v=\"{version}\";\
         const s=new EventSource(\"{}\");\
         s.onmessage=e=>{{if(e.data!==v){{s.close();location.reload();}}}};}})();</script>",
        super::http::EVENTS
    )
}

/// The error of the last build, over the page; its text is escaped, so a message quoting
/// the user's files (or a comment of a survey) cannot become markup.
fn overlay(error: &str, has_site: bool) -> String {
    let note = if has_site {
        "The last change broke the build. This page is from the last good build; save a fix and it reloads."
    } else {
        "The site does not build yet. Save a fix and this page reloads."
    };
    format!(
        "<div id=\"rapport-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
         margin:0;padding:2rem;background:rgba(24,24,27,.94);color:#fafafa;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace\">\
         <p style=\"margin:0 0 1rem;color:#fca5a5;font-weight:bold\">{note}</p>\
         <pre style=\"white-space:pre-wrap;margin:0\">{}</pre>\
         <button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"margin-top:1rem\">Hide</button></div>",
        escape(error)
    )
}

/// A Server-Sent Events stream: the current version at once, then each new one
/// (and a comment every 15 s, so a closed tab is noticed and its thread ends).
pub fn events(mut stream: TcpStream, live: &Live) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
    )?;
    let mut seen = None;
    loop {
        let version = live.wait(seen, Duration::from_secs(15));
        if Some(version) == seen {
            stream.write_all(b": ping\n\n")?;
        } else {
            stream.write_all(format!("data: {version}\n\n").as_bytes())?;
            seen = Some(version);
        }
        stream.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_escaped_in_the_overlay() {
        let live = Live::default();
        live.fail("site.toml:3:1 <script>alert(1)</script> & \"more\"".into());
        let html = String::from_utf8(live.snapshot().inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"), "{html}");
        assert!(!html.contains("<script>alert"));
        assert!(html.find("rapport-error").unwrap() < html.find("</body>").unwrap());
        assert!(html.contains("data-rapport-live-reload"));
    }
}
