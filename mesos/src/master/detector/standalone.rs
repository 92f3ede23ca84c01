//! The detector whose leader is appointed by its owner (Mesos'
//! `StandaloneMasterDetector`): for a single master, `mesos-local` and
//! tests.

use std::sync::Arc;

use libprocess::{Future, Promise, UPID};
use parking_lot::Mutex;

use super::MasterDetector;
use crate::common::protobuf_utils;
use crate::MasterInfo;

/// A detector that reports whatever leader it was last appointed.
/// Clones share the leader.
#[derive(Clone, Debug, Default)]
pub struct StandaloneMasterDetector {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    leader: Option<MasterInfo>,
    /// Detections waiting for the leader to change.
    pending: Vec<Promise<Option<MasterInfo>>>,
}

impl StandaloneMasterDetector {
    /// A detector with no leader yet.
    pub fn new() -> StandaloneMasterDetector {
        StandaloneMasterDetector::default()
    }

    /// A detector whose leader is `leader`.
    pub fn with_leader(leader: MasterInfo) -> StandaloneMasterDetector {
        let detector = StandaloneMasterDetector::new();
        detector.appoint(Some(leader));
        detector
    }

    /// A detector whose leader is the master at `pid`, with the
    /// `MasterInfo` Mesos derives from a pid alone.
    pub fn with_pid(pid: &UPID) -> StandaloneMasterDetector {
        StandaloneMasterDetector::with_leader(protobuf_utils::master::create_master_info(pid))
    }

    /// Makes `leader` the leader (`None`: no leader) and wakes the
    /// detections that were waiting for a change.
    pub fn appoint(&self, leader: Option<MasterInfo>) {
        let pending = {
            let mut state = self.state.lock();
            state.leader = leader.clone();
            std::mem::take(&mut state.pending)
        };
        for promise in pending {
            promise.set(leader.clone());
        }
    }
}

impl MasterDetector for StandaloneMasterDetector {
    fn detect(&self, previous: Option<MasterInfo>) -> Future<Option<MasterInfo>> {
        let mut state = self.state.lock();
        if state.leader != previous {
            return Future::ready(state.leader.clone());
        }
        let promise = Promise::new();
        let future = promise.future();
        state.pending.push(promise);
        drop(state);
        // A caller that discards its detection (the agent re-detecting
        // after missing pings) sees it discarded, as in Mesos.
        let shared = Arc::downgrade(&self.state);
        future.on_discard(move || {
            let Some(shared) = shared.upgrade() else {
                return;
            };
            let discarded: Vec<_> = {
                let mut state = shared.lock();
                let (discarded, kept) = std::mem::take(&mut state.pending)
                    .into_iter()
                    .partition(|p| p.future().has_discard());
                state.pending = kept;
                discarded
            };
            for promise in discarded {
                promise.discard();
            }
        });
        future
    }
}
