//! `rapport serve` driven as a user would: a browser (a tiny HTTP client here) and an editor.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{rapport, site};

/// How long a rebuild of the small fixture may take on a busy machine (debug build).
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `rapport serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &std::path::Path) -> Server {
    let mut child = common::command(dir)
        .args(["serve", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    // Keeps reading stdout so that the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://") {
                let address = line[at + 7..].split('/').next().unwrap_or_default().to_string();
                let _ = tx.send(address);
            }
        }
    });
    let address = rx.recv_timeout(PATIENCE).expect("serve prints its address");
    Server { child, address }
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// One request over a fresh connection, the target sent exactly as given.
fn get(address: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (headers, body) = text.split_once("\r\n\r\n").unwrap();
    let status = headers.split(' ').nth(1).unwrap().parse().unwrap();
    Reply { status, headers: headers.to_ascii_lowercase(), body: body.to_string() }
}

/// Polls `target` until its body satisfies `done`.
fn until(server: &Server, target: &str, what: &str, done: impl Fn(&str) -> bool) -> Reply {
    let started = Instant::now();
    loop {
        let reply = get(&server.address, target);
        if done(&reply.body) {
            return reply;
        }
        assert!(started.elapsed() < PATIENCE, "gave up waiting for {what}; last page:\n{}", reply.body);
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_answers_with_content_types_and_never_leaves_the_site() {
    let dir = site("small");
    let server = serve(dir.path());
    let home = get(&server.address, "/");
    assert_eq!(home.status, 200);
    assert!(home.headers.contains("content-type: text/html; charset=utf-8"));
    assert!(home.body.contains("data-rapport-live-reload"), "served HTML has the reload script");
    let css = get(&server.address, "/style.css");
    assert_eq!(css.status, 200, "{}", css.body);
    assert!(css.headers.contains("content-type: text/css"));
    assert!(!css.body.contains("rapport-live-reload"));
    let json = get(&server.address, "/data/metrics.json");
    assert!(json.headers.contains("content-type: application/json"));
    assert!(get(&server.address, "/feed.xml").headers.contains("content-type: application/xml"));
    let folder = get(&server.address, "/reports");
    assert_eq!(folder.status, 301);
    assert!(folder.headers.contains("location: /reports/"));
    assert_eq!(get(&server.address, "/reports/").status, 200);
    let missing = get(&server.address, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("data-rapport-live-reload"));
    for escape in
        ["/../site.toml", "/%2e%2e/site.toml", "/..%2f..%2fsite.toml", "/..\\site.toml", "/%2e%2e%5csite.toml"]
    {
        let reply = get(&server.address, escape);
        assert_eq!(reply.status, 400, "{escape}");
        assert!(!reply.body.contains("[[sources]]"), "{escape}");
    }
    // An absolute path names a file inside the site, where there is none.
    assert_eq!(get(&server.address, "//etc/passwd").status, 404);
    assert_eq!(get(&server.address, "/site.toml").status, 404);

    // The published site carries no reload script.
    let built = rapport(dir.path(), &["build"]);
    assert!(built.status.success());
    for (path, bytes) in common::tree(&dir.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("rapport-live-reload") && !text.contains("__rapport"), "{path}");
    }
}

#[test]
fn serve_rebuilds_on_save_shows_errors_and_recovers() {
    let dir = site("small");
    let server = serve(dir.path());
    let index = dir.path().join("content/_index.md");
    let original = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, format!("{original}\n\nA sentence added while serving.\n")).unwrap();
    until(&server, "/", "the edit", |body| body.contains("A sentence added while serving."));

    let toml = dir.path().join("site.toml");
    let good = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{good}\nbroken = = <b>\n")).unwrap();
    let broken = until(&server, "/", "the error overlay", |body| body.contains("id=\"rapport-error\""));
    assert!(broken.body.contains("site.toml:"), "the overlay names the file and line:\n{}", broken.body);
    assert!(broken.body.contains("&lt;b&gt;") && !broken.body.contains("= <b>"), "the error text is escaped");
    assert!(broken.body.contains("A sentence added while serving."), "the last good build is still served");

    std::fs::write(&toml, good).unwrap();
    until(&server, "/", "recovery", |body| !body.contains("id=\"rapport-error\""));
}
