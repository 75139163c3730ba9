//! Sets of integers kept as sorted, disjoint, non-adjacent inclusive ranges.
//!
//! Ports, protocol numbers and IP addresses (as `u32`/`u128`) all reduce to
//! integer ranges, so one exact set algebra serves them all: a CIDR block is a
//! range, a port range is a range, and unions, intersections and differences of
//! rules stay exact without enumerating members.

use std::fmt::Debug;

/// An integer type usable as an element of an [`IntervalSet`].
pub trait Bound: Copy + Ord + Debug {
    /// The smallest value.
    const MIN: Self;
    /// The largest value.
    const MAX: Self;
    /// The next value, if any.
    fn succ(self) -> Option<Self>;
    /// The previous value, if any.
    fn pred(self) -> Option<Self>;
}

macro_rules! bound {
    ($($t:ty),*) => {$(
        impl Bound for $t {
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
            fn succ(self) -> Option<Self> {
                self.checked_add(1)
            }
            fn pred(self) -> Option<Self> {
                self.checked_sub(1)
            }
        }
    )*};
}
bound!(u8, u16, u32, u128);

/// A set of integers as sorted, disjoint, non-adjacent inclusive ranges.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct IntervalSet<T> {
    ranges: Vec<(T, T)>,
}

impl<T: Bound> Debug for IntervalSet<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set()
            .entries(self.ranges.iter().map(|(a, b)| a..=b))
            .finish()
    }
}

impl<T: Bound> IntervalSet<T> {
    /// The empty set.
    pub const fn empty() -> Self {
        IntervalSet { ranges: Vec::new() }
    }

    /// Every value of the type.
    pub fn full() -> Self {
        Self::range(T::MIN, T::MAX)
    }

    /// The values from `lo` to `hi` inclusive (empty when `lo > hi`).
    pub fn range(lo: T, hi: T) -> Self {
        if lo > hi {
            Self::empty()
        } else {
            IntervalSet {
                ranges: vec![(lo, hi)],
            }
        }
    }

    /// One value.
    pub fn single(v: T) -> Self {
        Self::range(v, v)
    }

    /// Builds a set from ranges in any order, overlapping or not.
    pub fn from_ranges(ranges: impl IntoIterator<Item = (T, T)>) -> Self {
        let mut v: Vec<(T, T)> = ranges.into_iter().filter(|(a, b)| a <= b).collect();
        v.sort_unstable();
        let mut out: Vec<(T, T)> = Vec::with_capacity(v.len());
        for (lo, hi) in v {
            push_merged(&mut out, lo, hi);
        }
        IntervalSet { ranges: out }
    }

    /// The ranges, sorted and disjoint.
    pub fn ranges(&self) -> &[(T, T)] {
        &self.ranges
    }

    /// Whether the set has no value.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether the set holds every value of the type.
    pub fn is_full(&self) -> bool {
        self.ranges == [(T::MIN, T::MAX)]
    }

    /// Whether `v` is in the set.
    pub fn contains(&self, v: T) -> bool {
        let i = self.ranges.partition_point(|&(_, hi)| hi < v);
        self.ranges.get(i).is_some_and(|&(lo, _)| lo <= v)
    }

    /// The union.
    pub fn union(&self, other: &Self) -> Self {
        if other.ranges.is_empty() {
            return self.clone();
        }
        if self.ranges.is_empty() {
            return other.clone();
        }
        let mut out = Vec::with_capacity(self.ranges.len() + other.ranges.len());
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() || j < other.ranges.len() {
            let take_self = match (self.ranges.get(i), other.ranges.get(j)) {
                (Some(a), Some(b)) => a.0 <= b.0,
                (Some(_), None) => true,
                _ => false,
            };
            let (lo, hi) = if take_self {
                i += 1;
                self.ranges[i - 1]
            } else {
                j += 1;
                other.ranges[j - 1]
            };
            push_merged(&mut out, lo, hi);
        }
        IntervalSet { ranges: out }
    }

    /// Adds `other` to this set in place.
    pub fn extend(&mut self, other: &Self) {
        if !other.ranges.is_empty() {
            *self = self.union(other);
        }
    }

    /// The intersection.
    pub fn intersection(&self, other: &Self) -> Self {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a_lo, a_hi) = self.ranges[i];
            let (b_lo, b_hi) = other.ranges[j];
            let lo = a_lo.max(b_lo);
            let hi = a_hi.min(b_hi);
            if lo <= hi {
                out.push((lo, hi));
            }
            if a_hi < b_hi {
                i += 1;
            } else {
                j += 1;
            }
        }
        IntervalSet { ranges: out }
    }

    /// Whether the two sets share a value.
    pub fn intersects(&self, other: &Self) -> bool {
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a_lo, a_hi) = self.ranges[i];
            let (b_lo, b_hi) = other.ranges[j];
            if a_lo.max(b_lo) <= a_hi.min(b_hi) {
                return true;
            }
            if a_hi < b_hi {
                i += 1;
            } else {
                j += 1;
            }
        }
        false
    }

    /// The values not in the set.
    pub fn complement(&self) -> Self {
        let mut out = Vec::with_capacity(self.ranges.len() + 1);
        let mut next = Some(T::MIN);
        for &(lo, hi) in &self.ranges {
            if let Some(start) = next
                && start < lo
                && let Some(end) = lo.pred()
            {
                out.push((start, end));
            }
            next = hi.succ();
        }
        if let Some(start) = next {
            out.push((start, T::MAX));
        }
        IntervalSet { ranges: out }
    }

    /// The values of this set that are not in `other`.
    pub fn difference(&self, other: &Self) -> Self {
        if other.ranges.is_empty() || self.ranges.is_empty() {
            return self.clone();
        }
        self.intersection(&other.complement())
    }

    /// Whether every value of this set is in `other`.
    pub fn is_subset(&self, other: &Self) -> bool {
        let mut j = 0;
        for &(lo, hi) in &self.ranges {
            while j < other.ranges.len() && other.ranges[j].1 < lo {
                j += 1;
            }
            match other.ranges.get(j) {
                Some(&(b_lo, b_hi)) if b_lo <= lo && hi <= b_hi => {}
                _ => return false,
            }
        }
        true
    }
}

fn push_merged<T: Bound>(out: &mut Vec<(T, T)>, lo: T, hi: T) {
    if let Some(last) = out.last_mut() {
        // Adjacent ranges merge too, so equal sets always have equal representations.
        if last.1.succ().is_none_or(|next| lo <= next) {
            if hi > last.1 {
                last.1 = hi;
            }
            return;
        }
    }
    out.push((lo, hi));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_merges_adjacent_ranges() {
        let a = IntervalSet::range(1u16, 5);
        let b = IntervalSet::range(6u16, 9);
        assert_eq!(a.union(&b).ranges(), &[(1, 9)]);
    }

    #[test]
    fn complement_of_edges() {
        let s = IntervalSet::from_ranges([(0u8, 3), (250, 255)]);
        assert_eq!(s.complement().ranges(), &[(4, 249)]);
        assert!(IntervalSet::<u8>::full().complement().is_empty());
        assert!(IntervalSet::<u8>::empty().complement().is_full());
    }

    #[test]
    fn difference_splits_a_range() {
        let s = IntervalSet::range(0u16, 65535).difference(&IntervalSet::single(22));
        assert_eq!(s.ranges(), &[(0, 21), (23, 65535)]);
        assert!(!s.contains(22));
        assert!(s.contains(23));
    }

    #[test]
    fn subset_needs_one_covering_range() {
        let a = IntervalSet::range(10u32, 20);
        let b = IntervalSet::from_ranges([(0u32, 15), (16, 30)]);
        assert!(a.is_subset(&b));
        let c = IntervalSet::from_ranges([(0u32, 14), (16, 30)]);
        assert!(!a.is_subset(&c));
    }
}
