//! libprocess' `SequenceTest`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

use libprocess::testing::{self, await_discarded, await_ready};
use libprocess::{
    defer, dispatch, spawn, terminate, wait, Clock, Future, Process, Promise, SelfPid, Sequence,
};

use crate::process_test::Calls;

struct TestProcess {
    promised: Future<()>,
}

impl Process for TestProcess {}

impl TestProcess {
    fn foo(&mut self) -> Future<()> {
        libprocess::dispatch!(self.self_pid(), TestProcess::foo_)
    }

    fn foo_(&mut self) -> Future<()> {
        libprocess::dispatch!(self.self_pid(), TestProcess::foo__)
    }

    fn foo__(&mut self) -> Future<()> {
        self.promised.clone()
    }

    fn bar(&mut self) {}
}

#[test]
fn serialize() {
    let _rt = testing::runtime();
    let promise = Promise::new();
    let process = spawn(TestProcess {
        promised: promise.future(),
    });

    let sequence = Sequence::new();

    let bar = testing::future_dispatch(&process, TestProcess::bar);

    let f = defer!(process, TestProcess::foo);
    sequence.add(move || f(()));
    let f = defer!(process, TestProcess::bar);
    sequence.add(move || f(()));

    // Were `bar` able to run, it would have by now.
    Clock::pause();
    Clock::settle();
    Clock::resume();

    assert!(bar.is_pending());

    promise.set(());

    await_ready(&bar);

    drop(sequence);
    terminate(&process, true);
    wait(&process, None);
}

#[derive(Default)]
struct DiscardProcess {
    promised: Future<()>,
    func1: Calls,
    func2: Calls,
    func3: Calls,
}

impl Process for DiscardProcess {}

impl DiscardProcess {
    fn func0(&mut self) -> Future<()> {
        self.promised.clone()
    }

    fn func1(&mut self) {
        self.func1.hit();
    }

    fn func2(&mut self) {
        self.func2.hit();
    }

    fn func3(&mut self) {
        self.func3.hit();
    }
}

/// A `DiscardProcess` whose `func0` waits for the promise, and its four
/// functions added to `sequence`.
fn add_all(
    sequence: &Sequence,
) -> (
    libprocess::PID<DiscardProcess>,
    Promise<()>,
    DiscardProcess,
    [Future<()>; 4],
) {
    let promise = Promise::new();
    let calls = DiscardProcess::default();
    let process = spawn(DiscardProcess {
        promised: promise.future(),
        func1: calls.func1.clone(),
        func2: calls.func2.clone(),
        func3: calls.func3.clone(),
    });
    let f = defer!(process, DiscardProcess::func0);
    let f0 = sequence.add(move || f(()));
    let f = defer!(process, DiscardProcess::func1);
    let f1 = sequence.add(move || f(()));
    let f = defer!(process, DiscardProcess::func2);
    let f2 = sequence.add(move || f(()));
    let f = defer!(process, DiscardProcess::func3);
    let f3 = sequence.add(move || f(()));
    (process, promise, calls, [f0, f1, f2, f3])
}

#[test]
fn discard_one() {
    let _rt = testing::runtime();
    let sequence = Sequence::new();
    let (process, promise, calls, [_f0, _f1, f2, f3]) = add_all(&sequence);

    // Every callback is in the sequence.
    Clock::pause();
    Clock::settle();
    Clock::resume();

    f2.discard();

    // Start the sequence of calls.
    promise.set(());

    await_ready(&f3);
    assert_eq!(1, calls.func1.count());
    assert_eq!(0, calls.func2.count());
    assert_eq!(1, calls.func3.count());

    drop(sequence);
    terminate(&process, true);
    wait(&process, None);
}

#[test]
fn discard_all() {
    let _rt = testing::runtime();
    let sequence = Sequence::new();
    let (process, promise, calls, [f0, f1, f2, f3]) = add_all(&sequence);

    // Cancels every callback not yet run.
    drop(sequence);

    // Start the sequence of calls.
    promise.set(());

    await_ready(&f0);
    await_discarded(&f1);
    await_discarded(&f2);
    await_discarded(&f3);

    // Nothing left to run them: the process has served everything.
    await_ready(&dispatch(&process, |_| ()));
    assert_eq!(0, calls.func1.count());
    assert_eq!(0, calls.func2.count());
    assert_eq!(0, calls.func3.count());

    terminate(&process, true);
    wait(&process, None);
}

#[derive(Default)]
struct RandomProcess {
    value: i32,
    /// How many `verify` saw a `pulse` half done.
    violations: usize,
}

impl Process for RandomProcess {}

impl RandomProcess {
    fn verify(&mut self) {
        if self.value != 0 {
            self.violations += 1;
        }
    }

    fn pulse(&mut self) -> Future<()> {
        self.value += 1;
        libprocess::dispatch!(self.self_pid(), RandomProcess::pulse_)
    }

    fn pulse_(&mut self) {
        self.value -= 1;
    }
}

#[test]
fn random() {
    let _rt = testing::runtime();
    let process = spawn(RandomProcess::default());

    let sequence = Sequence::new();

    // Without the sequence, a `verify` could run between a `pulse` and
    // its `pulse_`.
    let mut state = RandomState::new().build_hasher().finish() | 1;
    for _ in 0..100 {
        // xorshift64: any sequence of choices must do.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if state % 2 == 0 {
            let f = defer!(process, RandomProcess::pulse);
            sequence.add(move || f(()));
        } else {
            let f = defer!(process, RandomProcess::verify);
            sequence.add(move || f(()));
        }
    }

    Clock::pause();
    Clock::settle();
    Clock::resume();

    assert_eq!(0, await_ready(&dispatch(&process, |p| p.violations)));

    drop(sequence);
    terminate(&process, true);
    wait(&process, None);
}
