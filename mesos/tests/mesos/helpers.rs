//! The resource helpers of Mesos' `src/tests/mesos.hpp`, for the ported
//! suites.

#![allow(dead_code)] // Each suite uses some of them.

use mesos::framework_info::{capability, Capability};
use mesos::offer::{operation, Operation};
use mesos::resource::disk_info::{source, Persistence, Source};
use mesos::resource::{reservation_info, DiskInfo, ReservationInfo, SharedInfo};
use mesos::{volume, FrameworkInfo, Label, Labels, Resource, Resources, Volume};
use stout::Bytes;

pub(crate) fn create_static_reservation_info(role: &str) -> ReservationInfo {
    ReservationInfo {
        r#type: Some(reservation_info::Type::Static as i32),
        role: Some(role.to_string()),
        ..ReservationInfo::default()
    }
}

pub(crate) fn create_dynamic_reservation_info(
    role: &str,
    principal: Option<&str>,
    labels: Option<Labels>,
) -> ReservationInfo {
    ReservationInfo {
        r#type: Some(reservation_info::Type::Dynamic as i32),
        role: Some(role.to_string()),
        principal: principal.map(str::to_string),
        labels,
    }
}

/// An unreserved resource parsed from `name` and `value`, given the
/// reservation stack as it is (not validated).
pub(crate) fn create_reserved_resource(
    name: &str,
    value: &str,
    reservations: &[ReservationInfo],
) -> Resource {
    let mut resource = Resources::parse_resource(name, value, "*").expect(value);
    resource.reservations = reservations.to_vec();
    resource
}

/// A volume only when `container_path` is given, read-write unless `mode`
/// says otherwise.
pub(crate) fn create_disk_info(
    persistence_id: Option<&str>,
    container_path: Option<&str>,
    mode: Option<volume::Mode>,
    host_path: Option<&str>,
    source: Option<Source>,
    principal: Option<&str>,
) -> DiskInfo {
    let persistence = (persistence_id.is_some() || principal.is_some()).then(|| Persistence {
        id: persistence_id.unwrap_or_default().to_string(),
        principal: principal.map(str::to_string),
    });
    let volume = container_path.map(|path| Volume {
        container_path: path.to_string(),
        mode: mode.unwrap_or(volume::Mode::Rw) as i32,
        host_path: host_path.map(str::to_string),
        ..Volume::default()
    });
    DiskInfo {
        persistence,
        volume,
        source,
    }
}

fn disk_source(kind: source::Type, id: Option<&str>, profile: Option<&str>) -> Source {
    Source {
        r#type: kind as i32,
        id: id.map(str::to_string),
        profile: profile.map(str::to_string),
        ..Source::default()
    }
}

pub(crate) fn create_disk_source_path(
    root: Option<&str>,
    id: Option<&str>,
    profile: Option<&str>,
) -> Source {
    Source {
        path: root.map(|root| source::Path {
            root: Some(root.to_string()),
        }),
        ..disk_source(source::Type::Path, id, profile)
    }
}

pub(crate) fn create_disk_source_mount(
    root: Option<&str>,
    id: Option<&str>,
    profile: Option<&str>,
) -> Source {
    Source {
        mount: root.map(|root| source::Mount {
            root: Some(root.to_string()),
        }),
        ..disk_source(source::Type::Mount, id, profile)
    }
}

pub(crate) fn create_disk_source_block(id: Option<&str>, profile: Option<&str>) -> Source {
    disk_source(source::Type::Block, id, profile)
}

pub(crate) fn create_disk_source_raw(id: Option<&str>, profile: Option<&str>) -> Source {
    disk_source(source::Type::Raw, id, profile)
}

/// A disk of `value` MB reserved to `role`; disk info only if one of its
/// parts is given, and `shared` only then.
pub(crate) fn create_disk_resource(
    value: &str,
    role: &str,
    persistence_id: Option<&str>,
    container_path: Option<&str>,
    source: Option<Source>,
    shared: bool,
) -> Resource {
    let mut resource = Resources::parse_resource("disk", value, role).expect(value);
    if persistence_id.is_some() || container_path.is_some() || source.is_some() {
        resource.disk = Some(create_disk_info(
            persistence_id,
            container_path,
            None,
            None,
            source,
            None,
        ));
        if shared {
            resource.shared = Some(SharedInfo {});
        }
    }
    resource
}

/// A persistent volume; `reservation_principal` makes its last
/// reservation dynamic.
#[allow(clippy::too_many_arguments)] // Mesos' signature, defaults spelled out.
pub(crate) fn create_persistent_volume(
    size: Bytes,
    role: &str,
    persistence_id: &str,
    container_path: &str,
    reservation_principal: Option<&str>,
    source: Option<Source>,
    creator_principal: Option<&str>,
    shared: bool,
) -> Resource {
    let megabytes = size.bytes() as f64 / Bytes::MEGABYTES as f64;
    let mut volume =
        Resources::parse_resource("disk", &megabytes.to_string(), role).expect("a disk size");
    volume.disk = Some(create_disk_info(
        Some(persistence_id),
        Some(container_path),
        None,
        None,
        source,
        creator_principal,
    ));
    if let Some(principal) = reservation_principal {
        if let Some(reservation) = volume.reservations.last_mut() {
            reservation.set_type(reservation_info::Type::Dynamic);
            reservation.principal = Some(principal.to_string());
        }
    }
    if shared {
        volume.shared = Some(SharedInfo {});
    }
    volume
}

pub(crate) use mesos::common::protobuf_utils::create_label;

pub(crate) fn labels(labels: &[Label]) -> Labels {
    Labels {
        labels: labels.to_vec(),
    }
}

fn operation(kind: operation::Type) -> Operation {
    Operation {
        r#type: Some(kind as i32),
        ..Operation::default()
    }
}

pub(crate) fn reserve(resources: &Resources) -> Operation {
    Operation {
        reserve: Some(operation::Reserve {
            resources: resources.to_vec(),
            ..Default::default()
        }),
        ..operation(operation::Type::Reserve)
    }
}

pub(crate) fn unreserve(resources: &Resources) -> Operation {
    Operation {
        unreserve: Some(operation::Unreserve {
            resources: resources.to_vec(),
        }),
        ..operation(operation::Type::Unreserve)
    }
}

pub(crate) fn create(volumes: &Resources) -> Operation {
    Operation {
        create: Some(operation::Create {
            volumes: volumes.to_vec(),
        }),
        ..operation(operation::Type::Create)
    }
}

pub(crate) fn destroy(volumes: &Resources) -> Operation {
    Operation {
        destroy: Some(operation::Destroy {
            volumes: volumes.to_vec(),
        }),
        ..operation(operation::Type::Destroy)
    }
}

/// `Resources::parse(text).get()`.
#[track_caller]
pub(crate) fn resources(text: &str) -> Resources {
    Resources::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// `DEFAULT_FRAMEWORK_INFO`: a multi-role framework of the current user,
/// principal `test-principal`, in role `*`.
pub(crate) fn default_framework_info() -> FrameworkInfo {
    let capability = |kind: capability::Type| Capability {
        r#type: Some(kind as i32),
    };
    FrameworkInfo {
        name: "default".to_string(),
        user: stout::os::user().expect("the current user"),
        principal: Some("test-principal".to_string()),
        roles: vec!["*".to_string()],
        capabilities: vec![
            capability(capability::Type::MultiRole),
            capability(capability::Type::ReservationRefinement),
        ],
        ..FrameworkInfo::default()
    }
}
