//! The action set's two forms (sorted list, bitset) behave exactly like a plain
//! set, whichever form each operand is in.

use std::collections::BTreeSet;

use cartguard_iam::ActionSet;
use proptest::prelude::*;

const LEN: usize = 1000;

fn build(items: &BTreeSet<usize>) -> ActionSet {
    let mut set = ActionSet::empty(LEN);
    for &i in items {
        set.insert(i);
    }
    set
}

fn items() -> impl Strategy<Value = BTreeSet<usize>> {
    // Sizes on both sides of the switch between forms (32 for 1000 positions).
    prop_oneof![
        prop::collection::btree_set(0..LEN, 0..20),
        prop::collection::btree_set(0..LEN, 20..60),
        prop::collection::btree_set(0..LEN, 400..1000),
    ]
}

proptest! {
    #[test]
    fn operations_match_a_plain_set(a in items(), b in items()) {
        let (x, y) = (build(&a), build(&b));
        prop_assert_eq!(x.iter().collect::<BTreeSet<_>>(), a.clone());
        prop_assert_eq!(x.count(), a.len());
        let mut union = x.clone();
        union.union_with(&y);
        prop_assert_eq!(union.iter().collect::<BTreeSet<_>>(), a.union(&b).copied().collect::<BTreeSet<_>>());
        let mut inter = x.clone();
        inter.intersect_with(&y);
        prop_assert_eq!(inter.iter().collect::<BTreeSet<_>>(), a.intersection(&b).copied().collect::<BTreeSet<_>>());
        prop_assert_eq!(x.difference(&y).iter().collect::<BTreeSet<_>>(), a.difference(&b).copied().collect::<BTreeSet<_>>());
        prop_assert_eq!(x.is_subset(&y), a.is_subset(&b));
        prop_assert_eq!(x.intersects(&y), !a.is_disjoint(&b));
        // Equal sets are equal values, however they were built.
        prop_assert_eq!(union.clone(), build(&a.union(&b).copied().collect()));
        for probe in [0, 1, LEN - 1, LEN, 500] {
            prop_assert_eq!(x.contains(probe), a.contains(&probe));
        }
    }
}

#[test]
fn full_and_empty() {
    let full = ActionSet::full(LEN);
    assert!(full.is_full());
    assert_eq!(full.count(), LEN);
    assert!(ActionSet::empty(LEN).is_empty());
    assert!(ActionSet::empty(LEN).is_subset(&full));
}
