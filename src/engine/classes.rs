//! The request classes a symbolic state stands for: for each input, the indices of its samples
//! still possible; for each pattern test, whether a request may fail it and may pass it.
//!
//! A proxy generated with thousands of flows has thousands of tests (and may have thousands of
//! inputs: a header per flow), and a run copies its states at every split: tests take two bits
//! each, and inputs come in chunks; both are shared between copies until one narrows them, so a
//! copy or a comparison costs the chunks, and only the ones that differ are looked into.

use std::rc::Rc;

/// Samples of one input (or of a test: 0 fails, 1 passes), as a set of their indices; shared
/// between states until one narrows it. Thousands of samples cost a few hundred words, and
/// the sets a split makes are found word by word.
#[derive(Clone)]
pub struct SampleSet(Rc<Bits>);

#[derive(PartialEq)]
struct Bits {
    words: Box<[u64]>,
    len: usize,
}

impl SampleSet {
    /// The samples `0..n`.
    pub fn first(n: usize) -> SampleSet {
        let mut words = vec![u64::MAX; n / 64];
        if !n.is_multiple_of(64) {
            words.push((1 << (n % 64)) - 1);
        }
        SampleSet(Rc::new(Bits {
            words: words.into(),
            len: n,
        }))
    }

    pub fn len(&self) -> usize {
        self.0.len
    }

    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }

    /// The one sample, if there is exactly one.
    pub fn only(&self) -> Option<u16> {
        (self.0.len == 1).then(|| self.iter().next()).flatten()
    }

    pub fn contains(&self, sample: u16) -> bool {
        let s = sample as usize;
        self.0
            .words
            .get(s / 64)
            .is_some_and(|w| w >> (s % 64) & 1 == 1)
    }

    /// In increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        self.0.words.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    (w * 64 + bit) as u16
                })
            })
        })
    }

    /// These samples but `others`.
    pub fn without(&self, others: &[u16]) -> SampleSet {
        let mut words = self.0.words.clone();
        for &s in others {
            let s = s as usize;
            if let Some(w) = words.get_mut(s / 64) {
                *w &= !(1 << (s % 64));
            }
        }
        SampleSet::from_words(words)
    }

    /// The union of the two.
    pub fn union(&self, other: &SampleSet) -> SampleSet {
        if self == other {
            return self.clone();
        }
        let (long, short) = if self.0.words.len() >= other.0.words.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut words = long.0.words.clone();
        for (w, o) in words.iter_mut().zip(short.0.words.iter()) {
            *w |= o;
        }
        SampleSet::from_words(words)
    }

    fn from_words(words: Box<[u64]>) -> SampleSet {
        let len = words.iter().map(|w| w.count_ones() as usize).sum();
        SampleSet(Rc::new(Bits { words, len }))
    }
}

impl FromIterator<u16> for SampleSet {
    fn from_iter<I: IntoIterator<Item = u16>>(samples: I) -> SampleSet {
        let mut words: Vec<u64> = Vec::new();
        for s in samples {
            let s = s as usize;
            if words.len() <= s / 64 {
                words.resize(s / 64 + 1, 0);
            }
            words[s / 64] |= 1 << (s % 64);
        }
        SampleSet::from_words(words.into())
    }
}

/// Equal when they hold the same samples, whatever their allocated words.
impl PartialEq for SampleSet {
    fn eq(&self, other: &SampleSet) -> bool {
        if Rc::ptr_eq(&self.0, &other.0) {
            return true;
        }
        let (a, b) = (&self.0.words, &other.0.words);
        let common = a.len().min(b.len());
        self.0.len == other.0.len
            && a[..common] == b[..common]
            && a[common..].iter().chain(&b[common..]).all(|&w| w == 0)
    }
}

impl std::fmt::Debug for SampleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// The inputs, [`CHUNK`] a chunk.
    inputs: Vec<Rc<Vec<SampleSet>>>,
    input_count: usize,
    /// Two bits a test, from bit 0 up: "may fail" (sample 0), then "may pass" (sample 1).
    tests: Rc<Vec<u64>>,
    /// A test's samples as sets, to lend them out: fails, passes, either.
    test_sets: [SampleSet; 3],
}

const CHUNK: usize = 32;

impl Classes {
    /// Every class: inputs with their `sizes` samples each, and `tests` tests either way.
    pub fn all(sizes: impl IntoIterator<Item = usize>, tests: usize) -> Classes {
        let inputs: Vec<SampleSet> = sizes.into_iter().map(SampleSet::first).collect();
        Classes {
            input_count: inputs.len(),
            inputs: inputs.chunks(CHUNK).map(|c| Rc::new(c.to_vec())).collect(),
            tests: Rc::new(vec![u64::MAX; (2 * tests).div_ceil(64)]),
            test_sets: [
                [0].into_iter().collect(),
                [1].into_iter().collect(),
                SampleSet::first(2),
            ],
        }
    }

    /// The samples domain index `d` (an input, then the tests) allows.
    pub fn get(&self, d: usize) -> &SampleSet {
        if d < self.input_count {
            return &self.inputs[d / CHUNK][d % CHUNK];
        }
        match self.bits(d - self.input_count) {
            0b01 => &self.test_sets[0],
            0b10 => &self.test_sets[1],
            _ => &self.test_sets[2],
        }
    }

    fn bits(&self, t: usize) -> u64 {
        (self.tests[2 * t / 64] >> (2 * t % 64)) & 0b11
    }

    /// Narrows domain index `d` to `samples` (for a test: a subset of 0 and 1).
    pub fn set(&mut self, d: usize, samples: SampleSet) {
        if d < self.input_count {
            if self.inputs[d / CHUNK][d % CHUNK] != samples {
                Rc::make_mut(&mut self.inputs[d / CHUNK])[d % CHUNK] = samples;
            }
            return;
        }
        let t = d - self.input_count;
        let bits = samples.iter().fold(0, |bits, s| bits | 1 << s);
        if self.bits(t) != bits {
            let word = &mut Rc::make_mut(&mut self.tests)[2 * t / 64];
            *word = (*word & !(0b11 << (2 * t % 64))) | bits << (2 * t % 64);
        }
    }

    /// In how many domain indices the two differ, counted up to 2.
    pub fn differences(&self, other: &Classes) -> usize {
        let inputs = self
            .inputs
            .iter()
            .zip(&other.inputs)
            .filter(|(a, b)| !Rc::ptr_eq(a, b))
            .flat_map(|(a, b)| a.iter().zip(b.iter()))
            .filter(|(a, b)| a != b)
            .take(2)
            .count();
        if inputs >= 2 || Rc::ptr_eq(&self.tests, &other.tests) {
            return inputs;
        }
        let mut total = inputs;
        for (a, b) in self.tests.iter().zip(other.tests.iter()) {
            let differ = a ^ b;
            // One bit a test that differs.
            total += ((differ | differ >> 1) & 0x5555_5555_5555_5555).count_ones() as usize;
            if total >= 2 {
                return 2;
            }
        }
        total
    }

    /// Widens these classes by `other`'s: the union of their samples, index by index.
    pub fn unite(&mut self, other: &Classes) {
        for (mine, theirs) in self.inputs.iter_mut().zip(&other.inputs) {
            if !Rc::ptr_eq(mine, theirs) && mine != theirs {
                for (m, t) in Rc::make_mut(mine).iter_mut().zip(theirs.iter()) {
                    *m = m.union(t);
                }
            }
        }
        if !Rc::ptr_eq(&self.tests, &other.tests) && self.tests != other.tests {
            for (mine, theirs) in Rc::make_mut(&mut self.tests)
                .iter_mut()
                .zip(other.tests.iter())
            {
                *mine |= theirs;
            }
        }
    }
}
