//! The detector a driver built from a master string uses (Mesos'
//! `MasterDetector::create`): `host:port`, `master@host:port` or
//! `file://<path>` holding one of these. ZooKeeper URLs are refused
//! until ZooKeeper detection exists.

use std::sync::Arc;

use libprocess::UPID;

use crate::master::detector::{MasterDetector, StandaloneMasterDetector};

/// A detector for `master`, or why there is none.
pub(super) fn create(master: &str) -> Result<Arc<dyn MasterDetector>, String> {
    if master.starts_with("zk://") {
        return Err(format!(
            "ZooKeeper master detection ('{}') is not supported yet",
            master
        ));
    }
    if let Some(path) = master.strip_prefix("file://") {
        let contents = std::fs::read_to_string(path)
            .map_err(|_| format!("Failed to read from file at '{}'", path))?;
        return create(contents.trim());
    }
    let text = if master.starts_with("master@") {
        master.to_string()
    } else {
        format!("master@{}", master)
    };
    let pid = UPID::parse(&text).map_err(|_| format!("Failed to parse '{}'", master))?;
    Ok(Arc::new(StandaloneMasterDetector::with_pid(&pid)))
}
