//! `rapport serve`: build, serve on 127.0.0.1, rebuild on every change and reload the browser.
//!
//! The site is served from memory: each build renders every file (as
//! `rapport build` does before it writes) and the result replaces the served
//! one in a single swap. Nothing is written to disk, so a tab never sees half
//! of an old build and half of a new one, there is no temporary folder to
//! clean up on Ctrl-C, and no URL is ever turned into a path on disk. A
//! failed build keeps the last good one served, with its error over every
//! page, until the next save fixes it. Parsed exports and the figures stay in
//! a [`Cache`] between builds, so editing commentary or a template does not
//! read the exports again.

mod http;
mod live;

use std::io::IsTerminal;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::cli::{ServeArgs, Verbosity};
use crate::config::{Config, FILE_NAME};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::site::{BuildOptions, Cache, Site};
use live::Live;

/// Zola's port: authors who use both need to remember one number.
const DEFAULT_PORT: u16 = 1111;
/// The folders a site is made of; `site.toml` is watched through the site folder itself.
const WATCHED: [&str; 4] = ["content", "templates", "static", "themes"];
/// Saves closer together than this are one change.
const DEBOUNCE: Duration = Duration::from_millis(100);

pub fn run(args: &ServeArgs, verbosity: Verbosity) -> Result<(), Error> {
    let root = args.root.root.clone();
    // Without a site.toml there is nothing to wait for: say how to start, as build does.
    if !root.join(FILE_NAME).is_file() {
        Config::load(&root)?;
    }
    let listener = bind(args)?;
    let address = listener.local_addr().map_err(|e| cannot_listen(args, args.port.unwrap_or(DEFAULT_PORT), &e))?;
    let url = format!("http://{address}/");
    let live = Arc::new(Live::default());
    let mut builder = Builder {
        options: BuildOptions {
            root: root.clone(),
            output: PathBuf::from("public"),
            base_url: Some(format!("http://{address}")),
            drafts: args.drafts,
            now: super::build_time()?,
        },
        cache: Cache::keeping(),
        last: None,
        verbosity,
        styled: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    // Watching starts first, so that nothing saved from here on is missed.
    let watch = Watch::start(&root)?;
    builder.build(&live, &[]);
    let server = Arc::clone(&live);
    std::thread::spawn(move || http::serve(listener, server));
    if ctrlc::set_handler(|| {
        eprintln!("\nStopped.");
        std::process::exit(0);
    })
    .is_err()
    {
        eprintln!("warning: Ctrl-C will end the server abruptly (no handler could be installed)");
    }
    if !address.ip().is_loopback() {
        eprintln!("warning: listening on {}: the site can be reached from other machines", address.ip());
    }
    println!("Serving {} at {url} (Ctrl-C to stop)", std::path::absolute(&root).unwrap_or(root.clone()).display());
    if args.open {
        open_browser(&url);
    }
    watch.run(|changed| builder.build(&live, changed))
}

/// Listens on the interface and port asked for; the default port falls back to any free one.
fn bind(args: &ServeArgs) -> Result<TcpListener, Error> {
    let port = args.port.unwrap_or(DEFAULT_PORT);
    match TcpListener::bind(SocketAddr::new(args.interface, port)) {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && args.port.is_none() => {
            let listener =
                TcpListener::bind(SocketAddr::new(args.interface, 0)).map_err(|e| cannot_listen(args, 0, &e))?;
            if let Ok(address) = listener.local_addr() {
                eprintln!(
                    "Port {DEFAULT_PORT} is in use; using {} instead (choose one with --port N).",
                    address.port()
                );
            }
            Ok(listener)
        }
        Err(e) => Err(cannot_listen(args, port, &e)),
    }
}

fn cannot_listen(args: &ServeArgs, port: u16, e: &std::io::Error) -> Error {
    let help = match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            "another program (perhaps another `rapport serve`) uses this port: stop it, or choose another with --port N (--port 0 picks a free one)"
        }
        std::io::ErrorKind::AddrNotAvailable => "--interface must be an address of this machine, e.g. 127.0.0.1",
        std::io::ErrorKind::PermissionDenied => "ports below 1024 need privileges: choose a higher one with --port N",
        _ => "choose another port with --port N, or another address with --interface",
    };
    Error::usage(
        Diagnostic::new(format!("cannot listen on {}: {e}", SocketAddr::new(args.interface, port))).with_help(help),
    )
}

/// Builds the site in memory, reusing what the last build read.
struct Builder {
    options: BuildOptions,
    cache: Cache,
    /// The last good render and the figures it was made from: a commentary edit that leaves
    /// the figures as they were renders only its pages again.
    last: Option<(Arc<crate::metrics::Metrics>, crate::site::Rendered)>,
    verbosity: Verbosity,
    styled: bool,
}

impl Builder {
    fn build(&mut self, live: &Live, changed: &[PathBuf]) {
        let started = Instant::now();
        if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
            // A server left running past midnight closes the day's periods.
            self.options.now = jiff::Timestamp::now();
        }
        let bars = super::progress::wanted(self.verbosity).then(super::progress::Bars::new);
        let progress: &dyn crate::ingest::Progress = match &bars {
            Some(bars) => bars,
            None => &(),
        };
        let root = std::path::absolute(&self.options.root).unwrap_or_else(|_| self.options.root.clone());
        let last = &self.last;
        let result = Site::load_with(&self.options, &mut self.cache, progress).and_then(|mut site| {
            let clock = Instant::now();
            let rendered = match last {
                Some((metrics, previous)) if !changed.is_empty() && Arc::ptr_eq(metrics, &site.metrics) => {
                    site.render_after(previous, &root, changed)?
                }
                _ => site.render_keeping()?,
            };
            site.timings.push(("render", clock.elapsed()));
            Ok((site, rendered))
        });
        let what = match changed {
            [] => String::new(),
            [one] => format!(" after a change to {}", self.shown(one)),
            [one, rest @ ..] => format!(" after changes to {} and {} more", self.shown(one), rest.len()),
        };
        match result {
            Ok((site, rendered)) => {
                for warning in &site.warnings {
                    eprintln!("{}", warning.render(self.styled));
                }
                let took = started.elapsed().as_millis();
                if self.verbosity == Verbosity::Verbose {
                    super::progress::details(&site.timings, &site.inputs.files);
                }
                if self.verbosity != Verbosity::Quiet {
                    let t = site.inputs.totals();
                    println!(
                        "Built {} pages from {} responses ({} rejected, {} duplicates){what} in {took} ms.",
                        rendered.pages,
                        t.responses_counted(),
                        t.rows_rejected,
                        t.duplicates
                    );
                }
                self.last = Some((Arc::clone(&site.metrics), rendered.clone()));
                live.publish(rendered);
            }
            Err(error) => {
                let diagnostic = error.diagnostic();
                eprintln!("{}", diagnostic.render(self.styled));
                eprintln!("The build failed{what}; the last good build is still served. Waiting for the next change.");
                live.fail(diagnostic.render(false));
            }
        }
    }

    fn shown(&self, path: &Path) -> String {
        let root = std::path::absolute(&self.options.root).unwrap_or_else(|_| self.options.root.clone());
        path.strip_prefix(&root).unwrap_or(path).to_string_lossy().replace('\\', "/")
    }
}

/// The site's files being watched; changes made from [`Watch::start`] on are seen.
struct Watch {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    watched: Vec<&'static str>,
}

impl Watch {
    fn start(root: &Path) -> Result<Watch, Error> {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let (tx, events) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx).map_err(|e| cannot_watch(&root, &e))?;
        // The site folder itself, not recursively: site.toml (editors often replace it by a rename,
        // which a watch on the file would lose) and the appearance of a watched folder.
        watcher.watch(&root, RecursiveMode::NonRecursive).map_err(|e| cannot_watch(&root, &e))?;
        let mut watch = Watch { root, watcher, events, watched: Vec::new() };
        watch.folders();
        Ok(watch)
    }

    /// Calls `rebuild` with the changed files after every burst of changes, until the watcher stops.
    ///
    /// Debounced by hand: the first change waits until [`DEBOUNCE`] passes without another,
    /// so an editor's write-rename-chmod, or a `git checkout`, is one build. Reads are not
    /// changes (inotify reports every open, and each build opens every file).
    fn run(mut self, mut rebuild: impl FnMut(&[PathBuf])) -> Result<(), Error> {
        let mut changed: Vec<PathBuf> = Vec::new();
        loop {
            let event = if changed.is_empty() {
                match self.events.recv() {
                    Ok(event) => event,
                    Err(_) => return Ok(()),
                }
            } else {
                match self.events.recv_timeout(DEBOUNCE) {
                    Ok(event) => event,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        changed.sort();
                        changed.dedup();
                        self.folders();
                        rebuild(&changed);
                        changed.clear();
                        continue;
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
                }
            };
            match event {
                Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
                Ok(event) => changed.extend(event.paths.into_iter().filter(|p| relevant(&self.root, p))),
                Err(e) => eprintln!("warning: watching {} failed: {e}", self.root.display()),
            }
        }
    }

    /// Starts watching each of [`WATCHED`] that exists and is not watched yet.
    fn folders(&mut self) {
        // A folder removed and made again is a new folder to the watcher.
        self.watched.retain(|folder| self.root.join(folder).is_dir());
        for folder in WATCHED {
            if !self.watched.contains(&folder) && self.root.join(folder).is_dir() {
                match self.watcher.watch(&self.root.join(folder), RecursiveMode::Recursive) {
                    Ok(()) => self.watched.push(folder),
                    Err(e) => eprintln!("warning: changes in {folder}/ are not seen: {e}"),
                }
            }
        }
    }
}

/// Whether a change to `path` can change the site: site.toml and the site's folders,
/// not editors' swap and backup files.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else { return false };
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
    {
        return false;
    }
    let mut components = relative.components();
    match (components.next(), components.next()) {
        (Some(first), None) => first.as_os_str() == FILE_NAME || WATCHED.iter().any(|w| first.as_os_str() == *w),
        (Some(first), Some(_)) => WATCHED.iter().any(|w| first.as_os_str() == *w),
        (None, _) => false,
    }
}

fn cannot_watch(root: &Path, e: &dyn std::fmt::Display) -> Error {
    Error::usage(
        Diagnostic::new(format!("cannot watch {} for changes: {e}", root.display()))
            .with_help("on Linux, raise the number of watches: sudo sysctl fs.inotify.max_user_watches=524288"),
    )
}

/// Opens `url` in the default browser, without waiting for it and never asking anything.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command.arg(url).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null());
    command.stderr(std::process::Stdio::null());
    match command.spawn() {
        // Reap it when it ends, so it does not linger as a zombie.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => eprintln!("Could not open a browser ({e}); open {url} yourself."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sites_own_files_trigger_a_build() {
        let root = Path::new("/site");
        for (path, expected) in [
            ("/site/site.toml", true),
            ("/site/content/_index.md", true),
            ("/site/templates/base.html", true),
            ("/site/themes/x/static/a.css", true),
            ("/site/content", true),
            ("/site/public/index.html", false),
            ("/site/target/debug/rapport", false),
            ("/site/README.md", false),
            ("/site/content/.index.md.swp", false),
            ("/site/content/_index.md~", false),
            ("/elsewhere/site.toml", false),
        ] {
            assert_eq!(relevant(root, Path::new(path)), expected, "{path}");
        }
    }
}
