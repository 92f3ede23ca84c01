//! How agents and schedulers find the leading master (Mesos'
//! `MasterDetector`): a trait, with the standalone detector that is told
//! the leader. The ZooKeeper detector comes with leader election.

mod standalone;

pub use standalone::StandaloneMasterDetector;

use std::sync::Arc;

use libprocess::{Future, UPID};
use stout::{Error, Try};

use crate::MasterInfo;

/// Mesos' `mesos::master::detector::MasterDetector`.
pub trait MasterDetector: Send + Sync + 'static {
    /// Becomes ready with the leading master (`None`: no leader) once it
    /// differs from `previous`, the leader the caller knows of. Pending
    /// detections can be discarded.
    fn detect(&self, previous: Option<MasterInfo>) -> Future<Option<MasterInfo>>;
}

/// A detector for `master` as Mesos' `--master` flags take it
/// (`MasterDetector::create`): `host:port` or `master@host:port` for a
/// standalone master, or `file://<path>` of a file holding one of these.
/// ZooKeeper URLs (`zk://`) are refused until leader election exists.
pub fn create(master: &str) -> Try<Arc<dyn MasterDetector>> {
    let master = master.trim();
    if master.starts_with("zk://") {
        return Err(Error::new(format!(
            "ZooKeeper master detection ('{}') is not supported by this build yet",
            master
        )));
    }
    if let Some(path) = master.strip_prefix("file://") {
        let contents = std::fs::read_to_string(path)
            .map_err(|e| Error::new(format!("Failed to read from file at '{}': {}", path, e)))?;
        return create(&contents);
    }
    let text = if master.contains('@') {
        master.to_string()
    } else {
        format!("master@{}", master)
    };
    let pid =
        UPID::parse(&text).map_err(|_| Error::new(format!("Failed to parse '{}'", master)))?;
    Ok(Arc::new(StandaloneMasterDetector::with_pid(&pid)))
}
