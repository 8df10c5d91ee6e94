//! Stalled clients (issue 19, item 11): the real binary closes a connection whose request head
//! trickles in past `--header-timeout`, and one left idle past `--idle-timeout`, while other
//! clients keep being served.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::Server;
use crate::util::root;

/// Waits for the server to close `s`; returns how long that took, or `None` after `within`.
fn closed_within(s: &mut TcpStream, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 4096];
    while start.elapsed() < within {
        match s.read(&mut buf) {
            Ok(0) => return Some(start.elapsed()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(start.elapsed()),
        }
    }
    None
}

/// Whether the server has closed `s` (one short read).
fn is_closed(s: &mut TcpStream) -> bool {
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let mut buf = [0u8; 4096];
    match s.read(&mut buf) {
        Ok(n) => n == 0,
        Err(e) => !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
    }
}

/// Reads one response (head and `Content-Length` body) from a kept-alive connection.
fn read_response(s: &mut TcpStream) -> String {
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = s.read(&mut buf).expect("a response");
        assert!(n > 0, "closed before the response");
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .expect("a Content-Length");
            if body.len() >= len {
                return head.to_string();
            }
        }
    }
}

#[test]
fn trickled_request_head_is_cut_at_the_header_timeout() {
    let server = Server::start(
        &root(),
        &[
            "--facts",
            "seeds",
            "--header-timeout",
            "2",
            "--idle-timeout",
            "60",
        ],
    );
    let mut slow = TcpStream::connect(server.addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let start = Instant::now();
    // One header byte every 300 ms: never idle, never complete.
    let mut closed = false;
    while start.elapsed() < Duration::from_secs(8) {
        std::thread::sleep(Duration::from_millis(300));
        if slow.write_all(b"X").is_err() || is_closed(&mut slow) {
            closed = true;
            break;
        }
        // A second client is served meanwhile.
        if start.elapsed() < Duration::from_millis(700) {
            let (status, _, _) = server.request("/assets/style.css", &[]);
            assert_eq!(status, 200);
        }
    }
    let took = start.elapsed();
    assert!(closed, "still open after {took:?}");
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
}

#[test]
fn silent_and_idle_connections_are_closed() {
    let server = Server::start(
        &root(),
        &[
            "--facts",
            "seeds",
            "--header-timeout",
            "2",
            "--idle-timeout",
            "60",
        ],
    );
    // Connects and sends nothing.
    let mut silent = TcpStream::connect(server.addr).unwrap();
    let took = closed_within(&mut silent, Duration::from_secs(8));
    assert!(took.is_some_and(|t| t < Duration::from_secs(5)), "{took:?}");

    let server = Server::start(
        &root(),
        &[
            "--facts",
            "seeds",
            "--header-timeout",
            "60",
            "--idle-timeout",
            "2",
        ],
    );
    // One request on a kept-alive connection, then silence.
    let mut idle = TcpStream::connect(server.addr).unwrap();
    idle.write_all(b"GET /assets/style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let head = read_response(&mut idle);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let took = closed_within(&mut idle, Duration::from_secs(8));
    assert!(took.is_some_and(|t| t < Duration::from_secs(5)), "{took:?}");
    let (status, _, _) = server.request("/assets/style.css", &[]);
    assert_eq!(status, 200);
}
