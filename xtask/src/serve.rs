//! `cargo xtask serve`: build, then serve `dist/` on 127.0.0.1 with a small threaded HTTP/1.1 server.
//!
//! Development only: GET and HEAD of static files, one thread per connection,
//! `Connection: close`. It sends the content security policy the hosted page
//! will have, so an inline script or style breaks here first.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::args::Args;
use crate::build::{self, DIST};
use crate::shell::Error;

/// The policy the page must run under (no inline code; wasm compilation allowed).
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// How to serve.
pub struct Options {
    pub release: bool,
    pub port: u16,
}

impl Options {
    /// `--dev` (a fast debug build instead of the release build), and `--port N` (else `$PORT`, else 8080).
    pub fn from_args(args: &mut Args) -> Result<Options, Error> {
        let release = !args.flag("--dev");
        let port_text = match args.value("--port")? {
            Some(text) => Some(text),
            None => std::env::var("PORT").ok().filter(|text| !text.is_empty()),
        };
        let port = match port_text {
            Some(text) => text.parse().map_err(|_| Error::new(format!("invalid port `{text}`")))?,
            None => 8080,
        };
        Ok(Options { release, port })
    }
}

pub fn run(root: &Path, options: &Options) -> Result<(), Error> {
    build::run(root, &build::Options { release: options.release })?;
    let dist = root
        .join(DIST)
        .canonicalize()
        .map_err(|error| Error::new(format!("cannot open {DIST}/: {error}")))?;
    let listener = TcpListener::bind(("127.0.0.1", options.port))
        .map_err(|error| Error::new(format!("cannot listen on 127.0.0.1:{}: {error}", options.port)))?;
    let port = listener.local_addr()?.port();
    println!("Delever is at http://127.0.0.1:{port}/  (Ctrl-C stops)");
    accept(listener, dist, true);
    Ok(())
}

/// Serves the already built `dist/` on 127.0.0.1 at a port the system picks, from a
/// background thread, without logging requests; returns the port.
///
/// For `cargo xtask e2e` and the browser benchmark: port 0 cannot clash with another
/// server, and the server ends with the xtask process, so nothing is left running.
pub fn spawn_background(root: &Path) -> Result<u16, Error> {
    let dist = root
        .join(DIST)
        .canonicalize()
        .map_err(|error| Error::new(format!("cannot open {DIST}/: {error}; build it first")))?;
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .map_err(|error| Error::new(format!("cannot listen on 127.0.0.1: {error}")))?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || accept(listener, dist, false));
    Ok(port)
}

/// Answers each connection on its own thread, for as long as the listener lives.
fn accept(listener: TcpListener, dist: PathBuf, log: bool) {
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(error) => {
                eprintln!("serve: accept failed: {error}");
                continue;
            }
        };
        let dist = dist.clone();
        std::thread::spawn(move || {
            if let Err(error) = handle(stream, &dist, log) {
                eprintln!("serve: {error}");
            }
        });
    }
}

fn handle(stream: TcpStream, dist: &Path, log: bool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.by_ref().take(8192).read_line(&mut request_line)?;
    // Drain the headers; nothing in them changes the answer.
    let mut header = String::new();
    loop {
        header.clear();
        let read = reader.by_ref().take(8192).read_line(&mut header)?;
        if read == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    if request_line.trim().is_empty() {
        // The client connected and left without asking anything (a probe, a cancelled preload).
        return Ok(());
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let response = respond(dist, method, target);
    if log {
        println!("{method} {target} {}", response.status);
    }
    let mut stream = stream;
    stream.write_all(&response.head())?;
    if method != "HEAD" {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

struct Response {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    allow: bool,
}

impl Response {
    fn text(status: &'static str, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{body}\n").into_bytes(),
            allow: false,
        }
    }

    fn head(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\nContent-Security-Policy: {CONTENT_SECURITY_POLICY}\r\n\
             Connection: close\r\n",
            self.status,
            self.content_type,
            self.body.len(),
        );
        if self.allow {
            head.push_str("Allow: GET, HEAD\r\n");
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

fn respond(dist: &Path, method: &str, target: &str) -> Response {
    if method != "GET" && method != "HEAD" {
        return Response { allow: true, ..Response::text("405 Method Not Allowed", "method not allowed") };
    }
    let Some(path) = resolve(dist, target) else {
        return Response::text("404 Not Found", "not found");
    };
    match fs::read(&path) {
        Ok(body) => Response { status: "200 OK", content_type: content_type(&path), body, allow: false },
        Err(_) => Response::text("404 Not Found", "not found"),
    }
}

/// Maps a request target to a file inside `dist`, or `None`.
///
/// `/` and any path ending in `/` mean that directory's `index.html`. The query
/// is ignored. Percent-escapes are decoded, then `.` and `..` segments, empty
/// segments, backslashes and NUL are refused, and the canonical path must still
/// lie inside `dist`, so neither escapes nor symlinks reach outside it.
fn resolve(dist: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let path = path.strip_prefix('/')?;
    let decoded = percent_decode(path)?;
    let mut file = dist.to_path_buf();
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (index, segment) in segments.iter().enumerate() {
        if segment.is_empty() && index == last {
            file.push("index.html");
            break;
        }
        if segment.is_empty() || *segment == "." || *segment == ".." || segment.contains(['\\', '\0']) {
            return None;
        }
        file.push(segment);
    }
    let file = file.canonicalize().ok()?;
    (file.starts_with(dist) && file.is_file()).then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(byte);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "css" => "text/css",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "csv" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::{content_type, percent_decode, resolve, respond};
    use std::fs;
    use std::path::{Path, PathBuf};

    /// A throwaway `dist/` with an index, a nested file, and a secret just outside it.
    fn fixture(name: &str) -> (PathBuf, PathBuf) {
        let base = std::env::temp_dir().join(format!("xtask-serve-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let dist = base.join("dist");
        fs::create_dir_all(dist.join("presets")).unwrap();
        fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
        fs::write(dist.join("presets/licheng-2019.json"), "{}").unwrap();
        fs::write(dist.join("a b.css"), "").unwrap();
        fs::write(base.join("secret.txt"), "no").unwrap();
        (base, dist.canonicalize().unwrap())
    }

    #[track_caller]
    fn check(dist: &Path, target: &str, expected: Option<&str>) {
        let got = resolve(dist, target);
        let expected = expected.map(|relative| dist.join(relative));
        assert_eq!(got, expected, "{target}");
    }

    #[test]
    fn serves_files_and_refuses_escapes() {
        let (base, dist) = fixture("resolve");
        check(&dist, "/", Some("index.html"));
        check(&dist, "/index.html?v=1", Some("index.html"));
        check(&dist, "/presets/licheng-2019.json", Some("presets/licheng-2019.json"));
        check(&dist, "/a%20b.css", Some("a b.css"));
        check(&dist, "/missing.js", None);
        check(&dist, "/presets", None);
        check(&dist, "/../secret.txt", None);
        check(&dist, "/presets/../../secret.txt", None);
        check(&dist, "/%2e%2e/secret.txt", None);
        check(&dist, "/..%2fsecret.txt", None);
        check(&dist, "/presets//licheng-2019.json", None);
        check(&dist, "/%00", None);
        check(&dist, "/%zz", None);
        check(&dist, "index.html", None);
        check(&dist, "http://example.com/", None);
        fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn symlinks_out_of_dist_are_refused() {
        let (base, dist) = fixture("symlink");
        std::os::unix::fs::symlink(base.join("secret.txt"), dist.join("link.txt")).unwrap();
        check(&dist, "/link.txt", None);
        fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn responses_carry_status_type_and_policy() {
        let (base, dist) = fixture("respond");
        let ok = respond(&dist, "GET", "/");
        assert_eq!((ok.status, ok.content_type), ("200 OK", "text/html; charset=utf-8"));
        let head = String::from_utf8(ok.head()).unwrap();
        assert!(head.contains("Content-Length: 15\r\n"), "{head}");
        assert!(head.contains("Content-Security-Policy: default-src 'self'"), "{head}");
        assert_eq!(respond(&dist, "GET", "/nope").status, "404 Not Found");
        assert_eq!(respond(&dist, "POST", "/").status, "405 Method Not Allowed");
        fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn content_types() {
        for (file, expected) in [
            ("delever_bg.wasm", "application/wasm"),
            ("delever.js", "text/javascript"),
            ("style.css", "text/css"),
            ("presets/x.json", "application/json"),
            ("index.html", "text/html; charset=utf-8"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(file)), expected, "{file}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%E5%AD%98").as_deref(), Some("存"));
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%ff"), None);
    }
}
