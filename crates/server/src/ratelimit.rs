//! Keyed token-bucket rate limits, in memory, per server process. What must hold for every
//! instance on one database together (wrong invite codes) is counted in the database instead
//! (`Storage::bucket_take`).

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

    /// Whether `key` has a request's worth left, without taking it.
    pub fn has_room(&self, key: &K) -> bool {
        let now = Instant::now();
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets.get(key).is_none_or(|(tokens, at)| {
            tokens + now.duration_since(*at).as_secs_f64() * self.per_second >= 1.0
        })
    }

    /// Whether `key` has not used its bucket lately (it is full again).
    pub fn untouched(&self, key: &K) -> bool {
        let now = Instant::now();
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets.get(key).is_none_or(|(tokens, at)| {
            tokens + now.duration_since(*at).as_secs_f64() * self.per_second >= self.burst
        })
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

/// Counts requests in flight per key and refuses more than `max` at once.
#[derive(Debug)]
pub struct InFlight<K: Hash + Eq> {
    max: usize,
    counts: Mutex<HashMap<K, usize>>,
}

/// One request in flight; it is counted until dropped.
#[derive(Debug)]
pub struct Permit<K: Hash + Eq + Clone> {
    limiter: std::sync::Arc<InFlight<K>>,
    key: K,
}

impl<K: Hash + Eq + Clone> InFlight<K> {
    /// At most `max` requests in flight per key.
    pub fn new(max: usize) -> InFlight<K> {
        InFlight {
            max: max.max(1),
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// A permit for one more request of `key`, or `None` when it has `max` in flight.
    pub fn enter(self: &std::sync::Arc<Self>, key: &K) -> Option<Permit<K>> {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = counts.entry(key.clone()).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Permit {
            limiter: self.clone(),
            key: key.clone(),
        })
    }
}

impl<K: Hash + Eq + Clone> Drop for Permit<K> {
    fn drop(&mut self) {
        let mut counts = self
            .limiter
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.key);
            }
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

    #[test]
    fn requests_in_flight_are_counted_until_they_end() {
        let limiter = std::sync::Arc::new(InFlight::new(2));
        let a = limiter.enter(&"phone").expect("first");
        let _b = limiter.enter(&"phone").expect("second");
        assert!(
            limiter.enter(&"phone").is_none(),
            "a third at once is refused"
        );
        assert!(limiter.enter(&"other").is_some(), "per key");
        drop(a);
        assert!(
            limiter.enter(&"phone").is_some(),
            "room again when one ends"
        );
    }
}
