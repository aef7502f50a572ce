//! Survey fatigue: how many surveys each customer answered in a month.
//!
//! The limit (`stats.max_surveys_per_customer`) is per calendar month, so it
//! means the same on every report: a monthly report counts customers by the
//! surveys they answered in that month, a quarterly or yearly one by the
//! most they answered in any one month of it. Weeks get nothing: a monthly
//! limit says nothing about a week. Answers are what the exports hold, so
//! these are lower bounds on the surveys each customer was sent.
//!
//! Only counts of customers are published, never who they are. A count of
//! 1 to `min_group − 1` customers is withheld (with the next smallest, when
//! the total would give it away), like any small group.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::config::PeriodKind;
use crate::metrics::Period;

/// Customers per month, quarter and year, by the most surveys they answered in one month of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fatigue {
    /// `stats.max_surveys_per_customer`.
    pub max: u32,
    /// Per period: customers whose busiest month had 1, 2, …, `max` answers, then more.
    periods: BTreeMap<Period, Vec<u64>>,
    /// The most answers one customer gave over all time.
    most: u64,
}

/// Customers of one period by the most surveys they answered in a month of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CustomerLoad {
    /// Customers who answered at least one survey in the period.
    pub customers: u64,
    /// Customers whose busiest month had 1, 2, …, `max` answers, then more than `max`;
    /// `None` where a count is withheld to protect a small group.
    pub buckets: Vec<Option<u64>>,
    /// `stats.max_surveys_per_customer`.
    pub max: u32,
    /// Whether any customer answered more than `max` in a month of the period (even when
    /// how many is withheld).
    pub any_above: bool,
}

impl CustomerLoad {
    /// Customers above the limit in some month of the period; `None` when withheld.
    pub fn above(&self) -> Option<u64> {
        self.buckets.last().copied().flatten()
    }
}

impl Fatigue {
    pub fn new(max: u32) -> Fatigue {
        Fatigue { max, periods: BTreeMap::new(), most: 0 }
    }

    /// Counts one customer, from the days of their answers (in any order).
    pub fn add_customer(&mut self, days: impl IntoIterator<Item = Date>) {
        let mut months: Vec<Date> = days.into_iter().map(|d| d.first_of_month()).collect();
        self.most = self.most.max(months.len() as u64);
        months.sort_unstable();
        let mut busiest: Vec<(Period, u32)> = Vec::new();
        for same in months.chunk_by(|a, b| a == b) {
            let n = same.len() as u32;
            for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year] {
                let period = Period::containing(kind, same[0]);
                match busiest.iter_mut().find(|(p, _)| *p == period) {
                    Some((_, most)) => *most = (*most).max(n),
                    None => busiest.push((period, n)),
                }
            }
        }
        for (period, n) in busiest {
            let counts = self.periods.entry(period).or_insert_with(|| vec![0; self.max as usize + 1]);
            counts[(n.min(self.max + 1) - 1) as usize] += 1;
        }
    }

    /// The most answers one customer gave over all time: a value of the customer column that
    /// stands for "no customer" (`unknown`, `0`) shows as one customer with a large share.
    pub fn most_answers(&self) -> u64 {
        self.most
    }

    pub fn merge(&mut self, other: Fatigue) {
        self.most = self.most.max(other.most);
        for (period, counts) in other.periods {
            let mine = self.periods.entry(period).or_insert_with(|| vec![0; counts.len()]);
            for (m, c) in mine.iter_mut().zip(counts) {
                *m += c;
            }
        }
    }

    /// Whether any customer was counted.
    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }

    /// The customers of a month, quarter or year; `None` for a week, or when fewer than
    /// `min_group` customers answered in the period.
    pub fn load(&self, period: Period, min_group: u64) -> Option<CustomerLoad> {
        if period.kind == PeriodKind::Week {
            return None;
        }
        let counts = self.periods.get(&period)?;
        let customers: u64 = counts.iter().sum();
        if customers < min_group {
            return None;
        }
        let any_above = counts[self.max as usize] > 0;
        Some(CustomerLoad { customers, buckets: protect(counts, min_group), max: self.max, any_above })
    }
}

/// Counts of the parts of a published total, with each of 1 to `min_group − 1` withheld, and
/// then the smallest others until what is withheld is 0 or at least `min_group` (else the
/// total minus the published counts would give a small one away). Zeros are published.
fn protect(counts: &[u64], min_group: u64) -> Vec<Option<u64>> {
    let mut hidden: Vec<bool> = counts.iter().map(|&c| c > 0 && c < min_group).collect();
    loop {
        let withheld: u64 = counts.iter().zip(&hidden).filter(|(_, h)| **h).map(|(c, _)| c).sum();
        if withheld == 0 || withheld >= min_group {
            break;
        }
        let smallest = (0..counts.len()).filter(|&i| !hidden[i] && counts[i] > 0).min_by_key(|&i| counts[i]);
        match smallest {
            Some(i) => hidden[i] = true,
            None => break,
        }
    }
    counts.iter().zip(hidden).map(|(&c, h)| (!h).then_some(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::protect;

    #[test]
    fn small_counts_are_withheld_with_enough_others_to_hide_them() {
        // Nothing small: all published.
        assert_eq!(protect(&[40, 12, 5, 0], 5), [Some(40), Some(12), Some(5), Some(0)]);
        // 3 is small; alone it could be had as the total minus the rest, so the next smallest (6) goes too.
        assert_eq!(protect(&[40, 12, 6, 3], 5), [Some(40), Some(12), None, None]);
        // Two small ones that add up to 5 or more hide each other.
        assert_eq!(protect(&[40, 2, 3, 9], 5), [Some(40), None, None, Some(9)]);
        // A single customer in a group of their own.
        assert_eq!(protect(&[4, 1], 5), [None, None]);
    }
}
