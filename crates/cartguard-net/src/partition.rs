//! Splitting the traffic space into cells inside which a rule list decides the same way.
//!
//! Firewall rules only change their answer at the edges of their port ranges, so
//! evaluating each list once per elementary cell (and looking the cell up by
//! port later) is exact and makes every later query a binary search.

use crate::interval::IntervalSet;
use crate::service::{Protocol, ServiceSet};

/// For each protocol, consecutive cells `(from, to, value)` covering its domain.
#[derive(Debug, Clone)]
pub(crate) struct Partition<V> {
    cells: [Vec<(u16, u16, V)>; 5],
}

impl<V> Partition<V> {
    /// Builds the cells of `items` (each with the traffic it matches); `decide`
    /// gets the protocol, the cell's first port and the items matching the cell,
    /// in their original order.
    pub(crate) fn build<'x, X>(
        items: &'x [X],
        services: impl Fn(&X) -> &ServiceSet,
        mut decide: impl FnMut(Protocol, u16, &[&'x X]) -> V,
    ) -> Self {
        let mut cells: [Vec<(u16, u16, V)>; 5] = Default::default();
        for (slot, p) in cells.iter_mut().zip(Protocol::ALL) {
            let mut cuts: Vec<u32> = Vec::new();
            for item in items {
                for &(lo, hi) in services(item).get(p).ranges() {
                    cuts.push(u32::from(lo));
                    cuts.push(u32::from(hi) + 1);
                }
            }
            for (lo, hi) in split(&p.domain(), &mut cuts) {
                let covering: Vec<&X> = items
                    .iter()
                    .filter(|i| services(i).contains(p, lo))
                    .collect();
                slot.push((lo, hi, decide(p, lo, &covering)));
            }
        }
        Partition { cells }
    }

    /// The value of the cell holding `port`.
    pub(crate) fn lookup(&self, protocol: Protocol, port: u16) -> Option<&V> {
        let cells = &self.cells[protocol as usize];
        let i = cells.partition_point(|c| c.1 < port);
        cells.get(i).filter(|c| c.0 <= port).map(|c| &c.2)
    }

    /// The first port of every cell of `protocol`.
    pub(crate) fn cuts(&self, protocol: Protocol) -> impl Iterator<Item = u32> + '_ {
        self.cells[protocol as usize].iter().map(|c| u32::from(c.0))
    }

    /// The cells of `protocol`.
    pub(crate) fn cells(&self, protocol: Protocol) -> &[(u16, u16, V)] {
        &self.cells[protocol as usize]
    }
}

/// Splits `domain` at every cut point (sorted and deduplicated in place).
pub(crate) fn split(domain: &IntervalSet<u16>, cuts: &mut Vec<u32>) -> Vec<(u16, u16)> {
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for &(lo, hi) in domain.ranges() {
        let mut start = u32::from(lo);
        let end = u32::from(hi);
        let first = cuts.partition_point(|&c| c <= start);
        for &c in &cuts[first..] {
            if c > end {
                break;
            }
            out.push((start as u16, (c - 1) as u16));
            start = c;
        }
        out.push((start as u16, end as u16));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_rule_edges() {
        let items = [
            ServiceSet::port(Protocol::Tcp, 22),
            ServiceSet::ports(Protocol::Tcp, 20, 80),
        ];
        let p = Partition::build(&items, |s| s, |_, _, covering| covering.len());
        let tcp: Vec<(u16, u16, usize)> = p.cells(Protocol::Tcp).to_vec();
        assert_eq!(
            tcp,
            vec![
                (0, 19, 0),
                (20, 21, 1),
                (22, 22, 2),
                (23, 80, 1),
                (81, 65535, 0)
            ]
        );
        assert_eq!(p.lookup(Protocol::Tcp, 50), Some(&1));
        assert_eq!(p.cells(Protocol::Udp).len(), 1);
    }
}
