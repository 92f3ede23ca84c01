//! How agents and schedulers find the leading master (Mesos'
//! `MasterDetector`): a trait, with the standalone detector that is told
//! the leader. The ZooKeeper detector comes with leader election.

mod standalone;

pub use standalone::StandaloneMasterDetector;

use libprocess::Future;

use crate::MasterInfo;

/// Mesos' `mesos::master::detector::MasterDetector`.
pub trait MasterDetector: Send + Sync + 'static {
    /// Becomes ready with the leading master (`None`: no leader) once it
    /// differs from `previous`, the leader the caller knows of. Pending
    /// detections can be discarded.
    fn detect(&self, previous: Option<MasterInfo>) -> Future<Option<MasterInfo>>;
}
