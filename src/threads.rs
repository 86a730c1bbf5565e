//! Work shared among threads, its results in the order one thread would give them, so that
//! nothing a run prints depends on how many threads it had (`--threads`).

use std::sync::Mutex;

/// Every core the system gives the process; 1 when it cannot tell.
pub fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `work` applied to every item, on up to `threads` threads, the results in the items' order.
/// A thread takes the next item when it is done with one, so that a large item does not hold
/// up the others behind it. With one thread, or one item, all runs on the calling thread. A
/// panic in `work` is raised again here.
pub fn map<T, R, F>(threads: usize, items: Vec<T>, work: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.into_iter().map(work).collect();
    }
    let count = items.len();
    let queue = Mutex::new(items.into_iter().enumerate());
    let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).next();
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some((i, item)) = next() {
                        done.push((i, work(item)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    debug_assert_eq!(done.len(), count);
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_whatever_the_threads() {
        let items: Vec<u64> = (0..1000).collect();
        let one = map(1, items.clone(), |i| i * i);
        for threads in [2, 3, 8, 2000] {
            assert_eq!(map(threads, items.clone(), |i| i * i), one);
        }
        assert_eq!(map(4, Vec::<u8>::new(), |i| i), Vec::<u8>::new());
    }

    #[test]
    fn one_thread_is_the_calling_thread() {
        let caller = std::thread::current().id();
        let ids = map(1, vec![1, 2, 3], |_| std::thread::current().id());
        assert!(ids.iter().all(|&id| id == caller));
    }

    #[test]
    #[should_panic(expected = "item 7")]
    fn a_panic_reaches_the_caller() {
        map(4, (0..20).collect(), |i: i32| {
            assert!(i != 7, "item {i}");
        });
    }
}
