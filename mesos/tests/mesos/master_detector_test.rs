//! The standalone master detector: detections wait for a change of
//! leader, and a discarded detection ends discarded.

use libprocess::testing::{await_discarded, await_ready};
use libprocess::UPID;
use mesos::common::protobuf_utils::master::create_master_info;
use mesos::master::detector::{MasterDetector, StandaloneMasterDetector};

fn leader(id: &str) -> mesos::MasterInfo {
    let pid = UPID::parse(&format!("{id}@127.0.0.1:5050")).expect("a pid");
    create_master_info(&pid)
}

#[test]
fn standalone_detect_waits_for_a_new_leader() {
    let _runtime = libprocess::testing::runtime();
    let detector = StandaloneMasterDetector::new();
    assert_eq!(await_ready(&detector.detect(Some(leader("old")))), None);

    let pending = detector.detect(None);
    assert!(pending.is_pending());
    let first = leader("master");
    detector.appoint(Some(first.clone()));
    assert_eq!(await_ready(&pending), Some(first.clone()));

    // The same leader again is no change.
    let pending = detector.detect(Some(first.clone()));
    assert!(pending.is_pending());
    detector.appoint(None);
    assert_eq!(await_ready(&pending), None);
}

#[test]
fn standalone_discarded_detection_ends_discarded() {
    let _runtime = libprocess::testing::runtime();
    let detector = StandaloneMasterDetector::with_leader(leader("master"));
    let current = await_ready(&detector.detect(None));
    let pending = detector.detect(current.clone());
    pending.discard();
    await_discarded(&pending);

    // Others still hear of the next leader.
    let waiting = detector.detect(current);
    let next = leader("next");
    detector.appoint(Some(next.clone()));
    assert_eq!(await_ready(&waiting), Some(next));
}

#[test]
fn create_master_info_from_a_pid() {
    let pid = UPID::parse("master@10.0.0.5:5050").expect("a pid");
    let info = create_master_info(&pid);
    assert!(info.id.starts_with("master@10.0.0.5:5050-"));
    assert_eq!(info.pid.as_deref(), Some("master@10.0.0.5:5050"));
    assert_eq!(info.port, 5050);
    assert_eq!(info.ip.to_ne_bytes(), [10, 0, 0, 5]);
    let address = info.address.expect("an address");
    assert_eq!(address.ip.as_deref(), Some("10.0.0.5"));
    assert_eq!(address.port, 5050);
    assert_eq!(info.version.as_deref(), Some(mesos::MESOS_VERSION));
    assert_eq!(info.capabilities.len(), 3);
}
