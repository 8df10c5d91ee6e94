//! The connection loop: hyper's HTTP/1.1 server (<https://www.rfc-editor.org/rfc/rfc9112>) with
//! two limits `axum::serve` lacks, so stalled clients (slowloris) cannot hold connections open:
//! a request head must arrive within the header timeout (also while a kept-alive connection
//! waits for its next request), and a connection with no traffic and no request being answered
//! for the idle timeout is closed.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How long a client may stall.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// Longest wait for a complete request head.
    pub header: Duration,
    /// Longest a connection may stay silent in both directions with no request being answered.
    pub idle: Duration,
}

/// Accepts connections on `listener` and serves `app` on each until `shutdown` completes; then
/// lets the requests in flight finish (for at most `grace`) and returns.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) {
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        match accepted {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                let conn = connection(stream, app.clone(), timeouts, stopping.clone());
                tokio::spawn(conn);
            }
            // Out of file descriptors, or a connection reset before it was accepted: keep going.
            Err(e) => {
                eprintln!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    drop(listener);
    drop(stopping);
    let _ = stop.send(true);
    // Every connection holds a receiver: `closed` completes when the last one has ended.
    let _ = tokio::time::timeout(grace, stop.closed()).await;
}

async fn connection(
    stream: TcpStream,
    app: Router,
    timeouts: Timeouts,
    mut stopping: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Tracked {
        inner: stream,
        activity: activity.clone(),
    });
    let tower = TowerToHyperService::new(app);
    let counter = activity.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let answering = Answering::new(counter.clone());
        let fut = hyper::service::Service::call(&tower, req);
        async move {
            let res = fut.await;
            drop(answering);
            res
        }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let idle = activity.idle_for(timeouts.idle);
    tokio::pin!(idle);
    // Dropping the connection closes the socket.
    tokio::select! {
        _ = conn.as_mut() => return,
        () = &mut idle => return,
        _ = stopping.changed() => conn.as_mut().graceful_shutdown(),
    }
    tokio::select! {
        _ = conn.as_mut() => {}
        () = &mut idle => {}
    }
}

/// When a connection last moved bytes, and how many of its requests are being answered.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
    answering: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
            answering: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn silent_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }

    /// Completes once the connection has been silent for `limit` with nothing being answered.
    async fn idle_for(&self, limit: Duration) {
        let tick = (limit / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        loop {
            tokio::time::sleep(tick).await;
            if self.answering.load(Ordering::Relaxed) == 0 && self.silent_for() >= limit {
                return;
            }
        }
    }
}

/// Counts a request as being answered while alive.
struct Answering(Arc<Activity>);

impl Answering {
    fn new(activity: Arc<Activity>) -> Answering {
        activity.answering.fetch_add(1, Ordering::Relaxed);
        Answering(activity)
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.touch();
        self.0.answering.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A stream that records when bytes last moved.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
