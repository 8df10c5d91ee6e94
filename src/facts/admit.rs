//! Bounds the text parsed at once across threads, so that the memory of a check does not grow
//! with the number of cores: parsing holds each YAML node several times over, and two 16 MiB
//! files parsed side by side need twice the memory of one. A file weighs its bytes or its nodes
//! ([`weight`]), whichever is more: a file at the node budget is parsed alone too.

use std::sync::{Condvar, Mutex};

/// Most bytes of text being parsed at once, by all threads together: the size cap of one file,
/// so a file at the cap is parsed alone and small files are parsed side by side as before.
pub const MAX_BYTES_AT_ONCE: u64 = super::load::MAX_FILE_BYTES;

static IN_FLIGHT: Mutex<u64> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// The share of a file of `bytes` holding (at most) `nodes` YAML nodes.
pub fn weight(bytes: u64, nodes: u64) -> u64 {
    bytes.max(nodes.saturating_mul(MAX_BYTES_AT_ONCE) / super::guard::MAX_NODES)
}

/// A share of [`MAX_BYTES_AT_ONCE`], given back when dropped.
pub struct Permit(u64);

/// Waits until a file of weight `bytes` (at most [`MAX_BYTES_AT_ONCE`]) can be parsed next to
/// what other threads are parsing, and takes that share.
pub fn admit(bytes: u64) -> Permit {
    let want = bytes.min(MAX_BYTES_AT_ONCE);
    // A poisoned lock only means another thread panicked while counting; the count is a u64.
    let mut used = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
    while *used + want > MAX_BYTES_AT_ONCE {
        used = FREED.wait(used).unwrap_or_else(|e| e.into_inner());
    }
    *used += want;
    Permit(want)
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut used = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.0;
        FREED.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn a_share_waits_until_the_others_leave_room() {
        let whole = admit(u64::MAX);
        assert_eq!(whole.0, MAX_BYTES_AT_ONCE);
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                let _small = admit(1);
                done.store(true, Ordering::SeqCst);
            });
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(!done.load(Ordering::SeqCst), "admitted past the limit");
            drop(whole);
        });
        assert!(done.load(Ordering::SeqCst));
    }
}
