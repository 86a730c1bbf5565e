//! A set of sample indices (of one input, group or test), shared between states until one
//! narrows it.
//!
//! A generated proxy gives one header ten thousand samples, and each flow singles out one of
//! them: its states hold `{t5}`, "all but `t5`" and everything. Such sets are kept as their few
//! members or their few absentees, so that narrowing, joining and comparing them costs what
//! differs, not the domain's size; only the others are bits.

use std::rc::Rc;

#[derive(Clone)]
pub struct SampleSet(Rc<Repr>);

/// Past this many members (or absentees), a set is bits.
const FEW: usize = 16;

/// Canonical: a set of `FEW` members or fewer is always `Few`, and `AllBut` always has more
/// than `FEW` members and at most `FEW` absentees, so two sets in different forms differ in
/// size, except an `AllBut` and `Bits`, which are then compared by their members.
enum Repr {
    /// The members, increasing.
    Few(Box<[u16]>),
    /// The samples `0..n` but `but` (increasing).
    AllBut {
        n: usize,
        but: Box<[u16]>,
    },
    Bits(Bits),
}

struct Bits {
    words: Box<[u64]>,
    len: usize,
    /// Of the nonzero words and their places: sets of one size that differ are mostly told
    /// apart without comparing their words.
    hash: u64,
}

impl SampleSet {
    /// The samples `0..n`.
    pub fn first(n: usize) -> SampleSet {
        SampleSet::all_but(n, Vec::new())
    }

    /// The samples `0..n` but `but` (increasing, each below `n`).
    fn all_but(n: usize, but: Vec<u16>) -> SampleSet {
        let len = n - but.len();
        if len <= FEW {
            let members = (0..n as u16).filter(|s| but.binary_search(s).is_err());
            return SampleSet::few(members.collect());
        }
        if but.len() > FEW {
            let mut words = vec![u64::MAX; n / 64];
            if !n.is_multiple_of(64) {
                words.push((1 << (n % 64)) - 1);
            }
            for &s in &but {
                words[s as usize / 64] &= !(1 << (s % 64));
            }
            return SampleSet::bits(words.into());
        }
        SampleSet(Rc::new(Repr::AllBut { n, but: but.into() }))
    }

    /// The members given (increasing).
    fn few(members: Vec<u16>) -> SampleSet {
        if members.len() > FEW {
            return SampleSet::from_sorted(&members);
        }
        SampleSet(Rc::new(Repr::Few(members.into())))
    }

    fn from_sorted(members: &[u16]) -> SampleSet {
        let last = members.last().map_or(0, |&s| s as usize / 64 + 1);
        let mut words = vec![0u64; last];
        for &s in members {
            words[s as usize / 64] |= 1 << (s % 64);
        }
        SampleSet::bits(words.into())
    }

    fn bits(words: Box<[u64]>) -> SampleSet {
        let len: usize = words.iter().map(|w| w.count_ones() as usize).sum();
        if len <= FEW {
            return SampleSet::few(bit_members(&words).collect());
        }
        let hash = words
            .iter()
            .zip((1u64..).step_by(2))
            .fold(0u64, |h, (w, odd)| h.wrapping_add(w.wrapping_mul(odd)));
        SampleSet(Rc::new(Repr::Bits(Bits { words, len, hash })))
    }

    pub fn len(&self) -> usize {
        match &*self.0 {
            Repr::Few(members) => members.len(),
            Repr::AllBut { n, but } => n - but.len(),
            Repr::Bits(bits) => bits.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The one sample, if there is exactly one.
    pub fn only(&self) -> Option<u16> {
        match &*self.0 {
            Repr::Few(members) if members.len() == 1 => Some(members[0]),
            _ => None,
        }
    }

    pub fn contains(&self, sample: u16) -> bool {
        match &*self.0 {
            Repr::Few(members) => members.binary_search(&sample).is_ok(),
            Repr::AllBut { n, but } => {
                (sample as usize) < *n && but.binary_search(&sample).is_err()
            }
            Repr::Bits(bits) => bits.contains(sample),
        }
    }

    /// In increasing order.
    pub fn iter(&self) -> Iter<'_> {
        match &*self.0 {
            Repr::Few(members) => Iter::Few(members.iter()),
            Repr::AllBut { n, but } => Iter::AllBut {
                next: 0,
                n: *n,
                but: but.iter().peekable(),
            },
            Repr::Bits(bits) => Iter::Bits(bit_members(&bits.words)),
        }
    }

    /// These samples but `others`.
    pub fn without(&self, others: &[u16]) -> SampleSet {
        if !others.iter().any(|&s| self.contains(s)) {
            return self.clone();
        }
        match &*self.0 {
            Repr::Few(members) => SampleSet::few(
                members
                    .iter()
                    .copied()
                    .filter(|s| !others.contains(s))
                    .collect(),
            ),
            Repr::AllBut { n, but } => {
                let mut but = but.to_vec();
                but.extend(others.iter().filter(|&&s| (s as usize) < *n));
                but.sort_unstable();
                but.dedup();
                SampleSet::all_but(*n, but)
            }
            Repr::Bits(bits) => {
                let mut words = bits.words.clone();
                for &s in others {
                    let s = s as usize;
                    if let Some(w) = words.get_mut(s / 64) {
                        *w &= !(1 << (s % 64));
                    }
                }
                SampleSet::bits(words)
            }
        }
    }

    /// The union of the two.
    pub fn union(&self, other: &SampleSet) -> SampleSet {
        if other.is_empty() || self == other {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        match (&*self.0, &*other.0) {
            (Repr::AllBut { n, but }, _) => other.widen_all_but(*n, but),
            (_, Repr::AllBut { n, but }) => self.widen_all_but(*n, but),
            (Repr::Few(a), Repr::Few(b)) => {
                let mut members: Vec<u16> = a.iter().chain(b.iter()).copied().collect();
                members.sort_unstable();
                members.dedup();
                SampleSet::few(members)
            }
            (Repr::Bits(bits), Repr::Few(members)) | (Repr::Few(members), Repr::Bits(bits)) => {
                bits.with(members)
            }
            (Repr::Bits(a), Repr::Bits(b)) => {
                let (long, short) = match a.words.len() >= b.words.len() {
                    true => (a, b),
                    false => (b, a),
                };
                let mut words = long.words.clone();
                for (w, o) in words.iter_mut().zip(short.words.iter()) {
                    *w |= o;
                }
                SampleSet::bits(words)
            }
        }
    }

    /// `0..n` but `but`, with these samples too.
    fn widen_all_but(&self, n: usize, but: &[u16]) -> SampleSet {
        let but = but.iter().copied().filter(|&s| !self.contains(s)).collect();
        SampleSet::all_but(n, but)
    }
}

/// A set's members, increasing.
pub enum Iter<'a> {
    Few(std::slice::Iter<'a, u16>),
    AllBut {
        next: usize,
        n: usize,
        but: std::iter::Peekable<std::slice::Iter<'a, u16>>,
    },
    Bits(BitMembers<'a>),
}

impl Iterator for Iter<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        match self {
            Iter::Few(members) => members.next().copied(),
            Iter::AllBut { next, n, but } => {
                while but.next_if(|&&s| s as usize == *next).is_some() {
                    *next += 1;
                }
                (*next < *n).then(|| {
                    *next += 1;
                    (*next - 1) as u16
                })
            }
            Iter::Bits(members) => members.next(),
        }
    }
}

impl Bits {
    fn contains(&self, sample: u16) -> bool {
        let s = sample as usize;
        self.words
            .get(s / 64)
            .is_some_and(|w| w >> (s % 64) & 1 == 1)
    }

    /// These bits and `members`.
    fn with(&self, members: &[u16]) -> SampleSet {
        let last = members.last().map_or(0, |&s| s as usize / 64 + 1);
        let mut words = self.words.to_vec();
        if words.len() < last {
            words.resize(last, 0);
        }
        for &s in members {
            words[s as usize / 64] |= 1 << (s % 64);
        }
        SampleSet::bits(words.into())
    }
}

/// The set bits of `words`, increasing.
fn bit_members(words: &[u64]) -> BitMembers<'_> {
    BitMembers {
        words,
        at: 0,
        rest: words.first().copied().unwrap_or(0),
    }
}

pub struct BitMembers<'a> {
    words: &'a [u64],
    /// The word `rest` is left of.
    at: usize,
    rest: u64,
}

impl Iterator for BitMembers<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        while self.rest == 0 {
            self.at += 1;
            self.rest = *self.words.get(self.at)?;
        }
        let bit = self.rest.trailing_zeros() as usize;
        self.rest &= self.rest - 1;
        Some((self.at * 64 + bit) as u16)
    }
}

impl FromIterator<u16> for SampleSet {
    fn from_iter<I: IntoIterator<Item = u16>>(samples: I) -> SampleSet {
        let mut members: Vec<u16> = samples.into_iter().collect();
        members.sort_unstable();
        members.dedup();
        SampleSet::few(members)
    }
}

/// Equal when they hold the same samples, whatever their form.
impl PartialEq for SampleSet {
    /// Inlined for its first test: states compare thousands of shared sets.
    #[inline]
    fn eq(&self, other: &SampleSet) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.equal_members(other)
    }
}

impl SampleSet {
    fn equal_members(&self, other: &SampleSet) -> bool {
        if self.len() != other.len() {
            return false;
        }
        match (&*self.0, &*other.0) {
            (Repr::Few(a), Repr::Few(b)) => a == b,
            (Repr::AllBut { n, but }, Repr::AllBut { n: m, but: b }) if n == m => but == b,
            (Repr::Bits(x), Repr::Bits(y)) => {
                let (a, b) = (&x.words, &y.words);
                let common = a.len().min(b.len());
                x.hash == y.hash
                    && a[..common] == b[..common]
                    && a[common..].iter().chain(&b[common..]).all(|&w| w == 0)
            }
            // Of one size: equal when one holds every sample of the other.
            _ => self.iter().all(|s| other.contains(s)),
        }
    }
}

impl std::fmt::Debug for SampleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form, built every way, against the same sets as plain vectors.
    fn forms(n: usize) -> Vec<(SampleSet, Vec<u16>)> {
        let all: Vec<u16> = (0..n as u16).collect();
        let picks: Vec<Vec<u16>> = vec![
            vec![],
            vec![3],
            all.iter().copied().step_by(3).collect(),
            all.iter().copied().filter(|s| s % 97 != 5).collect(),
            all.iter().copied().filter(|&s| s != 7).collect(),
            all.clone(),
        ];
        let mut out = Vec::new();
        for pick in picks {
            let gone: Vec<u16> = all.iter().copied().filter(|s| !pick.contains(s)).collect();
            out.push((pick.iter().copied().collect(), pick.clone()));
            out.push((SampleSet::first(n).without(&gone), pick.clone()));
            let (a, b) = pick.split_at(pick.len() / 2);
            let halves: (SampleSet, SampleSet) =
                (a.iter().copied().collect(), b.iter().copied().collect());
            out.push((halves.0.union(&halves.1), pick));
        }
        out
    }

    #[test]
    fn every_form_agrees_with_the_plain_set() {
        for n in [5, 40, 300] {
            let forms = forms(n);
            for (x, xs) in &forms {
                assert_eq!(x.iter().collect::<Vec<_>>(), *xs);
                assert_eq!(x.len(), xs.len());
                assert_eq!(x.only(), (xs.len() == 1).then(|| xs[0]));
                for s in 0..n as u16 + 70 {
                    assert_eq!(x.contains(s), xs.contains(&s));
                }
                for (y, ys) in &forms {
                    assert_eq!(x == y, xs == ys, "{x:?} {y:?}");
                    let mut union: Vec<u16> = xs.iter().chain(ys).copied().collect();
                    union.sort_unstable();
                    union.dedup();
                    assert_eq!(x.union(y).iter().collect::<Vec<_>>(), union);
                    let rest: Vec<u16> = xs.iter().copied().filter(|s| !ys.contains(s)).collect();
                    assert_eq!(x.without(ys).iter().collect::<Vec<_>>(), rest);
                }
            }
        }
    }

    #[test]
    fn narrowing_a_large_domain_by_one_keeps_the_absentees_only() {
        let all = SampleSet::first(10_000);
        let but = all.without(&[5_000]);
        assert!(matches!(&*but.0, Repr::AllBut { but, .. } if **but == [5_000]));
        let one: SampleSet = [5_000].into_iter().collect();
        assert!(matches!(&*one.0, Repr::Few(_)));
        assert!(matches!(&*but.union(&one).0, Repr::AllBut { but, .. } if but.is_empty()));
        assert!(but.union(&one) == all);
    }
}
