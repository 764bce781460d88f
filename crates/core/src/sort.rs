//! Stable sorting with one sorting routine for every type.
//!
//! The standard library's stable sort is generic: each element type and comparison gets its
//! own copy of the whole algorithm (a few kilobytes of wasm each, dozens of them in the app).
//! These helpers sort a list of positions with a single, non-generic routine and then move
//! the elements into that order, so a new sorted list costs the app a few hundred bytes.
//! Comparisons go through one indirect call; the lists the screens sort are short enough
//! (thousands at most) for that not to show.
//!
//! Collecting into a `BTreeMap` or `BTreeSet` sorts too (the standard `FromIterator` sorts the
//! items first, with a copy of the stable sort per item type): [`map`] and [`set`] insert one
//! at a time instead, with the same result (a later value for the same key wins).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// A map of `items`, built without sorting them first.
pub fn map<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(items);
    map
}

/// A set of `items`, built without sorting them first.
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// Sorts `items` stably by `compare`.
pub fn sort_by<T>(items: &mut Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &mut |a, b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `items` stably by the key `key` gives.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The one instance of the standard stable sort: positions, compared through `compare`.
#[inline(never)]
fn sort_positions(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|a, b| compare(*a, *b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_and_sets_are_those_collect_builds() {
        let items = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd')];
        assert_eq!(map(items), items.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(
            set([5, 1, 5, 2]),
            [5, 1, 5, 2].into_iter().collect::<BTreeSet<_>>()
        );
    }

    #[test]
    fn sorts_stably_like_the_standard_sort() {
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        for len in [0, 1, 2, 3, 10, 100, 1000] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    ((rng % 7) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |x| x.0);
            let mut std = items.clone();
            std.sort_by_key(|x| x.0);
            assert_eq!(ours, std, "length {len}");
            let mut reversed = items;
            sort_by(&mut reversed, |a, b| b.0.cmp(&a.0));
            assert!(
                reversed
                    .windows(2)
                    .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1))
            );
        }
    }

    #[test]
    fn owned_values_move_without_copies() {
        let mut names = vec![String::from("b"), String::from("a"), String::from("c")];
        sort_by(&mut names, |a, b| a.cmp(b));
        assert_eq!(names, ["a", "b", "c"]);
    }
}
