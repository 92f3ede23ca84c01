//! Mesos' `ContainerizerResourcesTest`: which of cpus, mem, disk and
//! ports the agent detects, and how much it keeps back.

use mesos::slave::resources::{agent_resources, HostResources};
use stout::Bytes;

use crate::agent_helpers::{create_slave_flags, small_host, tempdir};

fn resources_with(text: &str, host: &HostResources) -> mesos::Resources {
    let work_dir = tempdir::Dir::new("containerizer_resources_test");
    let mut flags = create_slave_flags(work_dir.path());
    flags.resources = Some(text.to_string());
    agent_resources(&flags, host).expect("valid resources")
}

fn ports(resources: &mesos::Resources) -> String {
    resources.ports().unwrap_or_default().to_string()
}

#[test]
fn auto_resources() {
    // Names that contain the standard ones must not stop detection.
    let resources = resources_with(
        "my.cpus:1000;cpus-suffix:3;memory(mem):1024;things:{mem,disk,ports};\
         diskports:[30000-35000]",
        &small_host(),
    );
    assert!(resources.cpus().unwrap_or(0.0) > 0.0);
    assert!(resources.mem().unwrap_or_default() > Bytes::new(0));
    assert!(resources.disk().unwrap_or_default() > Bytes::new(0));
    assert_eq!("[31000-32000]", ports(&resources));
}

#[test]
fn auto_resources_zero() {
    let resources = resources_with("cpus:0;mem(*):0;disk:0;ports:[]", &small_host());
    assert_eq!(0.0, resources.cpus().unwrap_or(0.0));
    assert_eq!(Bytes::new(0), resources.mem().unwrap_or_default());
    assert_eq!(Bytes::new(0), resources.disk().unwrap_or_default());
    assert_eq!("[]", ports(&resources));
}

#[test]
fn auto_resources_non_zero() {
    let resources = resources_with(
        "cpus:2;mem(*):1024;disk:4096;ports:[30000-35000]",
        &small_host(),
    );
    assert_eq!(2.0, resources.cpus().unwrap_or(0.0));
    assert_eq!(Bytes::megabytes(1024), resources.mem().unwrap_or_default());
    assert_eq!(Bytes::megabytes(4096), resources.disk().unwrap_or_default());
    assert_eq!("[30000-35000]", ports(&resources));
}

/// All cpus; memory less 1 GB from 2 GB up, else half; disk less 5 GB
/// from 10 GB up, else half; Mesos' fallbacks when detection fails.
#[test]
fn detected_amounts() {
    let big = HostResources {
        cpus: Ok(8.0),
        mem: Ok(Bytes::gigabytes(16)),
        disk: Ok(Bytes::gigabytes(100)),
    };
    let resources = resources_with("", &big);
    assert_eq!(Some(8.0), resources.cpus());
    assert_eq!(Some(Bytes::gigabytes(15)), resources.mem());
    assert_eq!(Some(Bytes::gigabytes(95)), resources.disk());

    let small = HostResources {
        cpus: Ok(1.0),
        mem: Ok(Bytes::megabytes(1500)),
        disk: Ok(Bytes::gigabytes(8)),
    };
    let resources = resources_with("", &small);
    assert_eq!(Some(Bytes::megabytes(750)), resources.mem());
    assert_eq!(Some(Bytes::gigabytes(4)), resources.disk());

    let unknown = HostResources {
        cpus: Err("no cpus".to_string()),
        mem: Err("no meminfo".to_string()),
        disk: Err("no statvfs".to_string()),
    };
    let resources = resources_with("", &unknown);
    assert_eq!(Some(1.0), resources.cpus());
    assert_eq!(Some(Bytes::gigabytes(1)), resources.mem());
    assert_eq!(Some(Bytes::gigabytes(10)), resources.disk());
}

/// `--resources` as JSON, and resources reserved to `--default_role`.
#[test]
fn json_resources_and_default_role() {
    let work_dir = tempdir::Dir::new("containerizer_resources_test");
    let mut flags = create_slave_flags(work_dir.path());
    flags.resources = Some(
        r#"[{"name": "cpus", "type": "SCALAR", "scalar": {"value": 24}},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 24576}}]"#
            .to_string(),
    );
    flags.default_role = "role1".to_string();
    let resources = agent_resources(&flags, &small_host()).expect("valid resources");
    assert_eq!(Some(24.0), resources.cpus());
    assert_eq!(Some(Bytes::megabytes(24576)), resources.mem());
    assert_eq!(resources, resources.reserved(Some("role1")));
    assert_eq!("[31000-32000]", ports(&resources));
}

#[test]
fn bad_resources() {
    let work_dir = tempdir::Dir::new("containerizer_resources_test");
    let mut flags = create_slave_flags(work_dir.path());
    flags.resources = Some("cpus:abc".to_string());
    assert!(agent_resources(&flags, &small_host()).is_err());
}
