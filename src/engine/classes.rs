//! The request classes a symbolic state stands for: for each input, the indices of its samples
//! still possible; for each pattern test, whether a request may fail it and may pass it.
//!
//! A proxy generated with thousands of flows has thousands of tests (and may have thousands of
//! inputs: a header per flow), and a run copies its states at every split: tests take two bits
//! each, and both are kept in shared chunks (see `Chunked`), so a copy costs a pointer and a
//! comparison only looks into the chunks that differ.

use smallvec::SmallVec;
use std::rc::Rc;

use super::chunked::Chunked;
use super::inputs::Domain;
pub use super::sample_set::SampleSet;

/// How a state's domains are laid out, and when a test or a group matters; one for every state
/// of a run. Domain indices list the inputs, then the tests, then the groups.
#[derive(Debug, Default)]
pub struct Layout {
    /// Each input's number of samples; its last is "any other value".
    inputs: Vec<usize>,
    /// Each test's input, and its group (the group's domain index) and anchor, if it has one.
    tests: Vec<(usize, Option<(usize, u16)>)>,
    /// Each group's input and number of samples (its anchors, and none of them).
    groups: Vec<(usize, usize)>,
    /// By group (its index among the groups), by anchor: its tests.
    anchor_tests: Vec<Vec<Vec<usize>>>,
    /// The tests without a group, as the low bit of their two.
    ungrouped: Vec<u64>,
}

impl Layout {
    pub fn new(
        inputs: Vec<usize>,
        tests: Vec<(usize, Option<(usize, u16)>)>,
        groups: Vec<(usize, usize)>,
    ) -> Layout {
        let first_group = inputs.len() + tests.len();
        let mut anchor_tests: Vec<Vec<Vec<usize>>> =
            groups.iter().map(|&(_, n)| vec![Vec::new(); n]).collect();
        let mut ungrouped = vec![0u64; (2 * tests.len()).div_ceil(64)];
        for (t, &(_, group)) in tests.iter().enumerate() {
            match group {
                Some((g, anchor)) => anchor_tests[g - first_group][anchor as usize].push(t),
                None => ungrouped[2 * t / 64] |= 1 << (2 * t % 64),
            }
        }
        Layout {
            inputs,
            tests,
            groups,
            anchor_tests,
            ungrouped,
        }
    }

    /// The domain index of the group at index `g` among the groups.
    fn group_domain(&self, g: usize) -> usize {
        self.inputs.len() + self.tests.len() + g
    }
}

/// Where a domain index is kept.
enum Slot {
    /// Inputs, then groups.
    Set(usize),
    Test(usize),
}

impl Layout {
    fn slot(&self, d: usize) -> Slot {
        match Domain::at(d, self.inputs.len(), self.tests.len()) {
            Domain::Input(i) => Slot::Set(i),
            Domain::Test(t) => Slot::Test(t),
            Domain::Group(g) => Slot::Set(self.inputs.len() + g),
        }
    }
}

/// The request classes of a state: a product of the samples each domain allows, where a test
/// only constrains requests whose input is "any other value" (and whose group, if the test
/// has one, is its anchor), and a group only requests whose input is "any other value". What
/// does not constrain a state is free when states are compared and joined, which keeps joins
/// of states taking different paths exact (see `differences`).
#[derive(Clone, Debug)]
pub struct Classes {
    /// The inputs, then the groups.
    sets: Chunked<SampleSet>,
    /// Two bits a test, from bit 0 up: "may fail" (sample 0), then "may pass" (sample 1).
    tests: Chunked<u64>,
    /// A test's samples as sets, to lend them out: fails, passes, either.
    test_sets: [SampleSet; 3],
    layout: Rc<Layout>,
}

/// Past this many anchors on both sides, a group's tests are compared by the words that
/// differ rather than anchor by anchor.
const FEW_ANCHORS: usize = 64;

impl PartialEq for Classes {
    fn eq(&self, other: &Classes) -> bool {
        self.sets == other.sets && self.tests == other.tests
    }
}

impl Classes {
    /// Every class of the layout.
    pub fn all(layout: Rc<Layout>) -> Classes {
        let sets: Vec<SampleSet> = layout
            .inputs
            .iter()
            .chain(layout.groups.iter().map(|(_, n)| n))
            .map(|&n| SampleSet::first(n))
            .collect();
        Classes {
            sets: Chunked::new(sets),
            tests: Chunked::new(vec![u64::MAX; (2 * layout.tests.len()).div_ceil(64)]),
            test_sets: [
                [0].into_iter().collect(),
                [1].into_iter().collect(),
                SampleSet::first(2),
            ],
            layout,
        }
    }

    fn set_at(&self, s: usize) -> &SampleSet {
        self.sets.get(s)
    }

    /// The samples domain index `d` allows.
    pub fn get(&self, d: usize) -> &SampleSet {
        match self.layout.slot(d) {
            Slot::Set(s) => self.set_at(s),
            Slot::Test(t) => match self.bits(t) {
                0b01 => &self.test_sets[0],
                0b10 => &self.test_sets[1],
                _ => &self.test_sets[2],
            },
        }
    }

    fn bits(&self, t: usize) -> u64 {
        (self.tests.get(2 * t / 64) >> (2 * t % 64)) & 0b11
    }

    /// Narrows domain index `d` to `samples` (for a test: a subset of 0 and 1).
    pub fn set(&mut self, d: usize, samples: SampleSet) {
        match self.layout.slot(d) {
            Slot::Set(s) => {
                if *self.set_at(s) != samples {
                    self.sets.set(s, samples);
                }
            }
            Slot::Test(t) => {
                let bits = samples.iter().fold(0, |bits, s| bits | 1 << s);
                if self.bits(t) != bits {
                    put_bits(&mut self.tests, t, bits);
                }
            }
        }
    }

    /// May the input be "any other value"?
    fn other_possible(&self, input: usize) -> bool {
        self.layout
            .inputs
            .get(input)
            .is_some_and(|&n| self.set_at(input).contains(n as u16 - 1))
    }

    /// The sets (inputs, groups) whose samples differ, as indices among the sets.
    fn differing_sets<'a>(&'a self, other: &'a Classes) -> impl Iterator<Item = usize> + 'a {
        self.sets.unshared(&other.sets).flat_map(|(first, a, b)| {
            a.iter()
                .zip(b)
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .map(move |(k, _)| first + k)
        })
    }

    /// The tests whose bits differ: those without a group, or those of a group (`grouped`).
    fn differing_tests<'a>(
        &'a self,
        other: &'a Classes,
        grouped: bool,
    ) -> impl Iterator<Item = usize> + 'a {
        self.tests
            .unshared(&other.tests)
            .flat_map(|(first, a, b)| {
                a.iter()
                    .zip(b)
                    .zip(&self.layout.ungrouped[first..])
                    .enumerate()
                    .map(move |(k, words)| (first + k, words))
            })
            .flat_map(move |(w, ((a, b), ungrouped))| {
                let mask = match grouped {
                    true => !ungrouped & 0x5555_5555_5555_5555,
                    false => *ungrouped,
                };
                // One bit a test that differs.
                let mut rest = (a ^ b | (a ^ b) >> 1) & mask;
                std::iter::from_fn(move || {
                    (rest != 0).then(|| {
                        let bit = rest.trailing_zeros() as usize;
                        rest &= rest - 1;
                        w * 32 + bit / 2
                    })
                })
            })
    }

    /// The tests of groups whose bits differ, among the anchors of each group that
    /// `allowed(group's domain index, its input)` gives (both sets of the pair must hold an
    /// anchor; `None` leaves the group out): walked anchor by anchor where the anchors are few,
    /// else by the words that differ.
    fn differing_grouped<'a>(
        &'a self,
        other: &'a Classes,
        allowed: impl Fn(usize, usize) -> Option<(&'a SampleSet, &'a SampleSet)>,
    ) -> Vec<usize> {
        let mut differing = Vec::new();
        let mut many = false;
        for (g, &(input, _)) in self.layout.groups.iter().enumerate() {
            let Some((a, b)) = allowed(self.layout.group_domain(g), input) else {
                continue;
            };
            if a.len().min(b.len()) > FEW_ANCHORS {
                many = true;
                continue;
            }
            for anchor in shared(a, b) {
                let tests = &self.layout.anchor_tests[g][anchor as usize];
                differing.extend(tests.iter().filter(|&&t| self.bits(t) != other.bits(t)));
            }
        }
        if many {
            differing.extend(self.differing_tests(other, true).filter(|&t| {
                let (input, group) = self.layout.tests[t];
                group.is_some_and(|(gd, anchor)| {
                    allowed(gd, input).is_some_and(|(a, b)| {
                        a.len().min(b.len()) > FEW_ANCHORS
                            && a.contains(anchor)
                            && b.contains(anchor)
                    })
                })
            }));
        }
        differing
    }

    /// In how many dimensions the two differ, counted up to 2; their union is exactly the
    /// classes of both when it is 1 or less.
    ///
    /// An input's groups and tests only constrain its "any other value", and a group's tests
    /// only the requests with their anchor: a group is one factor of that part, whatever
    /// anchors the two allow, while each anchor's tests differ in one at most; a test without
    /// a group is a factor of its own. The input is one dimension while one factor at most
    /// differs (its texts may differ besides: they are a part apart). What constrains only one
    /// of the two is free.
    pub fn differences(&self, other: &Classes) -> usize {
        let inputs = self.layout.inputs.len();
        let mut dims = Dims::default();
        let both = |input: usize| {
            input < inputs && self.other_possible(input) && other.other_possible(input)
        };
        for s in self.differing_sets(other) {
            match s.checked_sub(inputs) {
                None => dims.samples(s),
                Some(g) => {
                    let input = self.layout.groups[g].0;
                    if both(input) {
                        dims.factor(
                            input,
                            Factor::Group(self.layout.inputs.len() + self.layout.tests.len() + g),
                        );
                    }
                }
            }
            if dims.total() >= 2 {
                return 2;
            }
        }
        for t in self.differing_tests(other, false) {
            let input = self.layout.tests[t].0;
            if both(input) {
                dims.factor(input, Factor::Test(t));
                if dims.total() >= 2 {
                    return 2;
                }
            }
        }
        if self.tests.same(&other.tests) {
            return dims.total();
        }
        // A group's tests: those of the anchors both allow that differ.
        let allowed = |gd: usize, input: usize| both(input).then(|| (self.get(gd), other.get(gd)));
        let differing = self.differing_grouped(other, allowed);
        for t in differing {
            let (input, group) = self.layout.tests[t];
            let Some((gd, anchor)) = group else { continue };
            dims.factor(input, Factor::Group(gd));
            if dims.anchor_test(gd, anchor) || dims.total() >= 2 {
                return 2;
            }
        }
        dims.total()
    }

    /// Widens these classes by `other`'s: the union of their samples, domain by domain, where
    /// a test or group that constrains one of the two only takes that one's samples.
    pub fn unite(&mut self, other: &Classes) {
        // The work is in the anchors `other` allows: take the one with more as the base.
        if self.anchors_allowed() < other.anchors_allowed() {
            let mine = std::mem::replace(self, other.clone());
            self.unite_from(&mine);
        } else {
            self.unite_from(other);
        }
    }

    /// How many anchors the groups allow, over the groups that constrain some request.
    fn anchors_allowed(&self) -> usize {
        let first = self.layout.inputs.len();
        self.layout
            .groups
            .iter()
            .enumerate()
            .filter(|(_, &(input, _))| self.other_possible(input))
            .map(|(g, _)| self.set_at(first + g).len())
            .sum()
    }

    fn unite_from(&mut self, other: &Classes) {
        let before = self.clone();
        let inputs = self.layout.inputs.len();
        let sets: Vec<usize> = before.differing_sets(other).collect();
        for s in sets {
            let matters = |c: &Classes| {
                s.checked_sub(inputs)
                    .is_none_or(|g| c.other_possible(c.layout.groups[g].0))
            };
            let united = match (matters(&before), matters(other)) {
                (true, false) => continue,
                (false, true) => other.set_at(s).clone(),
                _ => before.set_at(s).union(other.set_at(s)),
            };
            self.sets.set(s, united);
        }
        if before.tests.same(&other.tests) {
            return;
        }
        // Each test that differs and constrains `other` (a test that constrains neither is
        // left as it is: no request of the union has it matter).
        let mut changes: Vec<(usize, u64)> = Vec::new();
        for t in before.differing_tests(other, false) {
            let input = self.layout.tests[t].0;
            if other.other_possible(input) {
                let mine = before.other_possible(input).then(|| before.bits(t));
                changes.push((t, mine.unwrap_or(0) | other.bits(t)));
            }
        }
        // A group's tests that differ and constrain `other`.
        let theirs = |gd: usize, input: usize| {
            other
                .other_possible(input)
                .then(|| (other.get(gd), other.get(gd)))
        };
        for t in before.differing_grouped(other, theirs) {
            let (input, group) = self.layout.tests[t];
            let Some((gd, anchor)) = group else { continue };
            let matters = before.other_possible(input) && before.get(gd).contains(anchor);
            let mine = if matters { before.bits(t) } else { 0 };
            changes.push((t, mine | other.bits(t)));
        }
        if changes.is_empty() {
            return;
        }
        for (t, bits) in changes {
            put_bits(&mut self.tests, t, bits);
        }
    }
}

/// A part of an input's "any other value" that two states' classes may differ in.
#[derive(Clone, Copy, PartialEq)]
enum Factor {
    /// A group (its domain index), with its tests.
    Group(usize),
    /// A test without a group.
    Test(usize),
}

/// What two states' classes differ in, input by input (see `Classes::differences`); counting
/// stops at 2, so the lists are short and kept inline.
#[derive(Default)]
struct Dims {
    inputs: SmallVec<[InputDims; 2]>,
    /// Per group and anchor: how many of its tests differ.
    anchors: SmallVec<[((usize, u16), usize); 4]>,
}

/// An input, whether its samples differ, and the factors that do.
type InputDims = (usize, bool, SmallVec<[Factor; 2]>);

impl Dims {
    fn at(&mut self, input: usize) -> &mut InputDims {
        let at = match self.inputs.iter().position(|d| d.0 == input) {
            Some(at) => at,
            None => {
                self.inputs.push((input, false, SmallVec::new()));
                self.inputs.len() - 1
            }
        };
        &mut self.inputs[at]
    }

    fn samples(&mut self, input: usize) {
        self.at(input).1 = true;
    }

    fn factor(&mut self, input: usize, factor: Factor) {
        let factors = &mut self.at(input).2;
        if !factors.contains(&factor) {
            factors.push(factor);
        }
    }

    /// Counts a test of `anchor` that differs; true past one (the union is then no product).
    fn anchor_test(&mut self, group: usize, anchor: u16) -> bool {
        match self
            .anchors
            .iter_mut()
            .find(|(key, _)| *key == (group, anchor))
        {
            Some((_, count)) => {
                *count += 1;
                true
            }
            None => {
                self.anchors.push(((group, anchor), 1));
                false
            }
        }
    }

    fn total(&self) -> usize {
        self.inputs
            .iter()
            .map(|(_, samples, factors)| factors.len().max(usize::from(*samples)))
            .sum()
    }
}

/// The samples both sets hold, found by walking the smaller.
fn shared<'a>(a: &'a SampleSet, b: &'a SampleSet) -> impl Iterator<Item = u16> + 'a {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().filter(move |&s| large.contains(s))
}

/// Writes test `t`'s two bits ("may fail", "may pass") into the words.
fn put_bits(words: &mut Chunked<u64>, t: usize, bits: u64) {
    let shift = 2 * t % 64;
    let word = *words.get(2 * t / 64);
    words.set(2 * t / 64, (word & !(0b11 << shift)) | bits << shift);
}
