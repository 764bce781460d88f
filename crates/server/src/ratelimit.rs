//! Keyed token-bucket rate limits, in memory (one server process per deployment).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::Instant;

/// Allows `burst` requests at once per key, refilled at `per_second`.
#[derive(Debug)]
pub struct RateLimiter<K> {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// A limiter of `burst` requests refilled at `per_second`.
    pub fn new(burst: u32, per_second: f64) -> RateLimiter<K> {
        RateLimiter {
            burst: f64::from(burst.max(1)),
            per_second,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request's worth for `key`; `false` when the key is over its limit.
    pub fn check(&self, key: &K) -> bool {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &K, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        // Bound memory under a flood of distinct keys: forget buckets that have refilled.
        if buckets.len() > 100_000 {
            let (burst, rate) = (self.burst, self.per_second);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry(key.clone()).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refilled_over_time() {
        let limiter = RateLimiter::new(3, 1.0);
        let t0 = Instant::now();
        assert!((0..3).all(|_| limiter.check_at(&"a", t0)));
        assert!(!limiter.check_at(&"a", t0), "fourth at once is refused");
        assert!(
            limiter.check_at(&"b", t0),
            "other keys have their own bucket"
        );
        assert!(
            limiter.check_at(&"a", t0 + Duration::from_millis(1100)),
            "refilled"
        );
    }
}
