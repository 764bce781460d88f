//! Group commit: writes that arrive while one is being committed wait, and then go together
//! in the next transaction, so they share one sync to disk. Each caller still gets its own
//! answer, and only after the transaction that holds its write is committed.
//!
//! There is no thread of its own: the first caller that finds no commit under way becomes the
//! leader, takes the waiting jobs in the order they came and commits them; the others sleep
//! until their answer is there or they find the way free and lead the next group themselves.
//!
//! A group is bounded by the weight of its jobs: everyone in a group is answered when the last
//! of them is written, so where writing costs more than syncing (a fast disk) a large group
//! would only make the first ones wait longer.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Jobs of type `J` waiting to be committed together, and the answers (`R`) of those that were.
pub struct Group<J, R> {
    queue: Mutex<Queue<J, R>>,
    /// The weight one group may reach (a single job weighing more goes alone).
    budget: usize,
    weight: fn(&J) -> usize,
}

struct Queue<J, R> {
    waiting: Vec<(u64, J)>,
    /// A leader is committing, or has handed the lead to `next_leader`.
    committing: bool,
    next_leader: Option<u64>,
    answers: HashMap<u64, R>,
    /// How to wake each waiting caller: only those answered and the next leader are woken, not
    /// every caller at every commit.
    wakers: HashMap<u64, Arc<Condvar>>,
    next_ticket: u64,
}

impl<J, R> std::fmt::Debug for Group<J, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let queue = self.lock();
        f.debug_struct("Group")
            .field("waiting", &queue.waiting.len())
            .field("committing", &queue.committing)
            .field("budget", &self.budget)
            .finish()
    }
}

impl<J, R> Group<J, R> {
    /// Groups of jobs weighing at most `budget` together, by `weight`.
    pub(crate) fn new(budget: usize, weight: fn(&J) -> usize) -> Self {
        Group {
            queue: Mutex::new(Queue {
                waiting: Vec::new(),
                committing: false,
                next_leader: None,
                answers: HashMap::new(),
                wakers: HashMap::new(),
                next_ticket: 0,
            }),
            budget,
            weight,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue<J, R>> {
        // Nothing runs under this lock that can leave the queue half changed.
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Commits `job` together with others that are waiting and returns its answer. `commit`
    /// receives the jobs of one group in the order they arrived and returns one answer for
    /// each, in the same order. Should it panic, every job of that group is answered `lost()`.
    pub(crate) fn submit(&self, job: J, commit: impl Fn(Vec<J>) -> Vec<R>, lost: fn() -> R) -> R {
        let mut queue = self.lock();
        let ticket = queue.next_ticket;
        queue.next_ticket += 1;
        queue.waiting.push((ticket, job));
        let wake = Arc::new(Condvar::new());
        queue.wakers.insert(ticket, Arc::clone(&wake));
        loop {
            if let Some(answer) = queue.answers.remove(&ticket) {
                queue.wakers.remove(&ticket);
                return answer;
            }
            if queue.next_leader == Some(ticket) {
                queue.next_leader = None;
            } else if queue.committing {
                queue = wake.wait(queue).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            // Lead: the oldest waiting jobs, as many as the budget holds (at least one). Should
            // this caller's own job not fit, it is answered by a later leader.
            queue.committing = true;
            let mut weight = 0;
            let taken = queue
                .waiting
                .iter()
                .take_while(|(_, j)| {
                    weight += (self.weight)(j);
                    weight <= self.budget
                })
                .count()
                .max(1);
            let (tickets, jobs): (Vec<u64>, Vec<J>) = queue.waiting.drain(..taken).unzip();
            drop(queue);
            let answers = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| commit(jobs)))
                .ok()
                .filter(|a| a.len() == tickets.len());
            queue = self.lock();
            let answers: Vec<R> = match answers {
                Some(answers) => answers,
                None => tickets.iter().map(|_| lost()).collect(),
            };
            for (t, answer) in tickets.into_iter().zip(answers) {
                if let Some(w) = queue.wakers.get(&t) {
                    w.notify_one();
                }
                queue.answers.insert(t, answer);
            }
            // The oldest caller still waiting leads next; with none, the next to come does.
            match queue.waiting.first().map(|(t, _)| *t) {
                Some(next) => {
                    queue.next_leader = Some(next);
                    if let Some(w) = queue.wakers.get(&next) {
                        w.notify_one();
                    }
                }
                None => queue.committing = false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Barrier};

    use super::*;

    /// 16 callers at once against a slow commit, in groups of at most `budget` jobs: each
    /// gets its own answer; returns the sizes of the groups committed.
    fn sixteen_at_once(budget: usize) -> Vec<usize> {
        let group: Arc<Group<u32, u32>> = Arc::new(Group::new(budget, |_| 1));
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let start = Arc::new(Barrier::new(16));
        let threads: Vec<_> = (0..16u32)
            .map(|i| {
                let (group, sizes, start) = (group.clone(), sizes.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    let answer = group.submit(
                        i,
                        |jobs| {
                            sizes.lock().expect("sizes").push(jobs.len());
                            // Slow like a sync to disk, so others arrive meanwhile.
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            jobs.into_iter().map(|j| j * 10).collect()
                        },
                        || u32::MAX,
                    );
                    (i, answer)
                })
            })
            .collect();
        for t in threads {
            let (i, answer) = t.join().expect("thread");
            assert_eq!(answer, i * 10);
        }
        let sizes = sizes.lock().expect("sizes").clone();
        assert_eq!(sizes.iter().sum::<usize>(), 16, "every job committed once");
        sizes
    }

    #[test]
    fn every_caller_gets_its_own_answer_and_waiting_jobs_share_a_commit() {
        let sizes = sixteen_at_once(usize::MAX);
        assert!(
            sizes.len() < 16,
            "16 callers at once took {} commits: nothing was grouped",
            sizes.len()
        );
    }

    #[test]
    fn a_group_never_weighs_more_than_its_budget() {
        let sizes = sixteen_at_once(3);
        assert!(sizes.iter().all(|&n| n <= 3), "{sizes:?}");
        assert!(
            sizes.iter().any(|&n| n > 1),
            "nothing was grouped: {sizes:?}"
        );
        let heavy: Group<u32, u32> = Group::new(3, |j| *j as usize);
        assert_eq!(
            heavy.submit(7, |jobs| jobs, || 0),
            7,
            "too heavy goes alone"
        );
    }

    #[test]
    fn a_commit_that_panics_answers_its_group_lost_and_the_next_one_runs() {
        let group: Group<u32, u32> = Group::new(10, |_| 1);
        let answer = group.submit(1, |_| panic!("disk gone"), || u32::MAX);
        assert_eq!(answer, u32::MAX);
        assert_eq!(group.submit(2, |jobs| jobs, || u32::MAX), 2);
        let short = group.submit(3, |_| Vec::new(), || u32::MAX);
        assert_eq!(short, u32::MAX, "a commit that answers too few is lost");
    }
}
