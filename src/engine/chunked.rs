//! A vector shared between copies until one changes it, kept in chunks of chunks: a copy
//! costs a pointer, a change copies one chunk of each level, and two copies are compared by
//! the chunks that differ. A generated proxy's states have ten thousand inputs and tests, and
//! a run copies, narrows and compares its states at every flow.

use std::rc::Rc;

/// Items a leaf holds, and leaves a middle chunk holds. Small leaves: a change copies one, and
/// a comparison looks through those two states do not share.
const LEAF: usize = 8;
const MID: usize = 32;

type Leaf<T> = Rc<Vec<T>>;
type Mid<T> = Rc<Vec<Leaf<T>>>;

#[derive(Clone)]
pub struct Chunked<T>(Rc<Vec<Mid<T>>>);

impl<T: Clone> Chunked<T> {
    pub fn new(items: Vec<T>) -> Chunked<T> {
        let leaves: Vec<Leaf<T>> = items.chunks(LEAF).map(|c| Rc::new(c.to_vec())).collect();
        Chunked(Rc::new(
            leaves.chunks(MID).map(|m| Rc::new(m.to_vec())).collect(),
        ))
    }

    pub fn get(&self, i: usize) -> &T {
        &self.0[i / (LEAF * MID)][i / LEAF % MID][i % LEAF]
    }

    pub fn set(&mut self, i: usize, item: T) {
        let mid = &mut Rc::make_mut(&mut self.0)[i / (LEAF * MID)];
        let leaf = &mut Rc::make_mut(mid)[i / LEAF % MID];
        Rc::make_mut(leaf)[i % LEAF] = item;
    }

    /// Are the two the same copy, unchanged?
    pub fn same(&self, other: &Chunked<T>) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// The leaves the two do not share, with the index of their first item (the two have
    /// the same length).
    pub fn unshared<'a>(
        &'a self,
        other: &'a Chunked<T>,
    ) -> impl Iterator<Item = (usize, &'a [T], &'a [T])> + 'a {
        let same = self.same(other);
        self.0
            .iter()
            .zip(other.0.iter())
            .enumerate()
            .filter(move |(_, (a, b))| !same && !Rc::ptr_eq(a, b))
            .flat_map(|(m, (a, b))| {
                a.iter()
                    .zip(b.iter())
                    .enumerate()
                    .filter(|(_, (x, y))| !Rc::ptr_eq(x, y))
                    .map(move |(l, (x, y))| ((m * MID + l) * LEAF, &x[..], &y[..]))
            })
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter().flat_map(|m| m.iter().flat_map(|l| l.iter()))
    }
}

/// Equal when they hold equal items.
impl<T: Clone + PartialEq> PartialEq for Chunked<T> {
    fn eq(&self, other: &Chunked<T>) -> bool {
        self.unshared(other).all(|(_, a, b)| a == b)
    }
}

impl<T: Clone + std::fmt::Debug> std::fmt::Debug for Chunked<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_share_what_neither_changed() {
        let n = 3 * LEAF * MID + 5;
        let a = Chunked::new((0..n).collect::<Vec<usize>>());
        let mut b = a.clone();
        assert!(a.same(&b) && a == b);
        b.set(LEAF * MID + 7, 0);
        b.set(n - 1, 1);
        assert!(!a.same(&b) && a != b);
        let unshared: Vec<usize> = a.unshared(&b).map(|(first, _, _)| first).collect();
        assert_eq!(unshared, [LEAF * MID, n - 1 - (n - 1) % LEAF]);
        assert_eq!(
            (*b.get(LEAF * MID + 7), *b.get(n - 1), *b.get(8)),
            (0, 1, 8)
        );
        assert_eq!(b.iter().count(), n);
        b.set(LEAF * MID + 7, LEAF * MID + 7);
        b.set(n - 1, n - 1);
        assert!(a == b);
    }
}
