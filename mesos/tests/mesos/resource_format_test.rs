//! Mesos' ResourceFormatTest (src/tests/resources_tests.cpp).

// `Resource.role` is deprecated upstream, but the pre-refinement format is
// all about it.
#![allow(deprecated)]

use mesos::common::resources::{self, downgrade_resources_in};
use prost::Message;

use crate::helpers::default_framework_info;
use mesos::resource::reservation_info::Type as ReservationType;
use mesos::resource::ReservationInfo;
use mesos::value::{self, Scalar};
use mesos::{Resource, SlaveId, TaskId, TaskInfo};

/// Unreserved `cpus:555.5`, built field by field.
fn cpus() -> Resource {
    let mut resource = Resource {
        name: "cpus".to_string(),
        scalar: Some(Scalar { value: 555.5 }),
        ..Default::default()
    };
    resource.set_type(value::Type::Scalar);
    resource
}

/// A reservation of the given type, role and principal.
fn reservation_info(kind: ReservationType, role: &str, principal: Option<&str>) -> ReservationInfo {
    let mut reservation = ReservationInfo {
        role: Some(role.to_string()),
        principal: principal.map(str::to_string),
        ..Default::default()
    };
    reservation.set_type(kind);
    reservation
}

/// The task the downgrade tests start from, without resources.
fn task() -> TaskInfo {
    TaskInfo {
        name: "task".to_string(),
        task_id: TaskId {
            value: "task_id".to_string(),
        },
        slave_id: SlaveId {
            value: "agent".to_string(),
        },
        ..Default::default()
    }
}

#[test]
fn pre_reservation_refinement() {
    let mut resource = cpus();

    // Unreserved.
    assert!(resources::validate(&resource).is_ok());

    resource.role = Some("*".to_string());
    assert!(resources::validate(&resource).is_ok());

    // Statically reserved.
    resource.role = Some("foo".to_string());
    assert!(resources::validate(&resource).is_ok());

    // Dynamically reserved.
    resource
        .reservation
        .get_or_insert_with(ReservationInfo::default)
        .principal = Some("principal1".to_string());

    assert!(resources::validate(&resource).is_ok());
}

#[test]
fn post_reservation_refinement() {
    let mut resource = cpus();

    // Unreserved.
    assert!(resources::validate(&resource).is_ok());

    resource.reservations.push(ReservationInfo {
        role: Some("foo".to_string()),
        principal: Some("principal1".to_string()),
        ..Default::default()
    });

    // Static.
    resource.reservations[0].set_type(ReservationType::Static);
    assert!(resources::validate(&resource).is_ok());

    // Dynamic.
    resource.reservations[0].set_type(ReservationType::Dynamic);
    assert!(resources::validate(&resource).is_ok());

    // A static reservation may not refine another one.
    resource.reservations[0].set_type(ReservationType::Static);
    resource.reservations.push(reservation_info(
        ReservationType::Static,
        "foo/bar",
        Some("principal2"),
    ));
    assert!(resources::validate(&resource).is_err());

    // A dynamic one may refine a static one...
    resource.reservations[1].set_type(ReservationType::Dynamic);
    assert!(resources::validate(&resource).is_ok());

    // ... or a dynamic one.
    resource.reservations[0].set_type(ReservationType::Dynamic);
    assert!(resources::validate(&resource).is_ok());
}

#[test]
fn endpoint() {
    let mut resource = cpus();
    resource.role = Some("r1".to_string());

    // Both formats at once, dynamically reserved to r1.
    resource.reservation = Some(ReservationInfo {
        principal: Some("principal1".to_string()),
        ..Default::default()
    });

    resource.reservations.push(reservation_info(
        ReservationType::Dynamic,
        "r1",
        Some("principal1"),
    ));

    // Consistent: valid.
    assert!(resources::validate(&resource).is_ok());

    // Each inconsistency between the two formats is invalid.
    {
        resource.reservations[0].role = Some("r2".to_string());
        assert!(resources::validate(&resource).is_err());
        resource.reservations[0].role = Some("r1".to_string());

        resource.reservations[0].set_type(ReservationType::Static);
        assert!(resources::validate(&resource).is_err());
        resource.reservations[0].set_type(ReservationType::Dynamic);

        resource.reservation.as_mut().unwrap().principal = Some("principal2".to_string());
        assert!(resources::validate(&resource).is_err());
        resource.reservation.as_mut().unwrap().principal = Some("principal1".to_string());

        // Back to consistent.
        assert!(resources::validate(&resource).is_ok());
    }

    // The endpoint format has no room for a refined reservation.
    resource.reservations.push(reservation_info(
        ReservationType::Dynamic,
        "r1/r2",
        Some("principal1"),
    ));

    assert!(resources::validate(&resource).is_err());
}

// The whole TaskInfo is downgraded, as upstream does; the comparison is
// field-wise, which is stricter than upstream's.
#[test]
fn downgrade_with_resources_without_refined_reservations() {
    let mut actual = task();
    {
        // Post-refinement format.
        let mut resource = cpus();

        // Unreserved.
        actual.resources.push(resource.clone());

        // Statically reserved to foo.
        resource
            .reservations
            .push(reservation_info(ReservationType::Static, "foo", None));
        actual.resources.push(resource.clone());

        // Dynamically reserved to bar.
        resource.reservations[0].set_type(ReservationType::Dynamic);
        resource.reservations[0].role = Some("bar".to_string());
        resource.reservations[0].principal = Some("principal1".to_string());
        actual.resources.push(resource.clone());
    }

    let mut expected = task();
    {
        // Pre-refinement format.
        let mut resource = cpus();

        // Unreserved.
        resource.role = Some("*".to_string());
        expected.resources.push(resource.clone());

        // Statically reserved to foo.
        resource.role = Some("foo".to_string());
        expected.resources.push(resource.clone());

        // Dynamically reserved to bar.
        resource.role = Some("bar".to_string());
        resource.reservation = Some(ReservationInfo {
            principal: Some("principal1".to_string()),
            ..Default::default()
        });
        expected.resources.push(resource.clone());
    }

    assert!(downgrade_resources_in(&mut actual).is_ok());
    assert_eq!(expected, actual);
}

// The downgrade stops at the refined resource, which stays in the
// post-refinement format.
#[test]
fn downgrade_with_resources_with_refined_reservations() {
    let mut actual = task();
    {
        // Post-refinement format.
        let mut resource = cpus();

        // Unreserved.
        actual.resources.push(resource.clone());

        // Statically reserved to foo.
        resource
            .reservations
            .push(reservation_info(ReservationType::Static, "foo", None));
        actual.resources.push(resource.clone());

        // Dynamically reserved to bar.
        resource.reservations[0].set_type(ReservationType::Dynamic);
        resource.reservations[0].role = Some("bar".to_string());
        resource.reservations[0].principal = Some("principal1".to_string());
        actual.resources.push(resource.clone());

        // Refined to bar/baz on top of that.
        resource.reservations.push(reservation_info(
            ReservationType::Dynamic,
            "bar/baz",
            Some("principal2"),
        ));
        actual.resources.push(resource.clone());
    }

    let mut expected = task();
    {
        // Pre-refinement format for the first three.
        let mut resource = cpus();

        // Unreserved.
        resource.role = Some("*".to_string());
        expected.resources.push(resource.clone());

        // Statically reserved to foo.
        resource.role = Some("foo".to_string());
        expected.resources.push(resource.clone());

        // Dynamically reserved to bar.
        resource.role = Some("bar".to_string());
        resource.reservation = Some(ReservationInfo {
            principal: Some("principal1".to_string()),
            ..Default::default()
        });
        expected.resources.push(resource.clone());

        // The refined one cannot be downgraded and is left as it was.
        resource.role = None;
        resource.reservation = None;

        resource.reservations.push(reservation_info(
            ReservationType::Dynamic,
            "bar",
            Some("principal1"),
        ));
        resource.reservations.push(reservation_info(
            ReservationType::Dynamic,
            "bar/baz",
            Some("principal2"),
        ));

        expected.resources.push(resource);
    }

    assert!(downgrade_resources_in(&mut actual).is_err());
    assert_eq!(expected, actual);
}

#[test]
fn downgrade_without_resources() {
    let mut framework_info = default_framework_info();
    assert!(downgrade_resources_in(&mut framework_info).is_ok());
    assert_eq!(
        default_framework_info().encode_to_vec(),
        framework_info.encode_to_vec()
    );
}

/// Resources inside nested messages (a task's executor) are converted
/// too, and upgrading brings them back.
#[test]
fn downgrade_and_upgrade_reach_nested_resources() {
    let mut reserved = cpus();
    reserved
        .reservations
        .push(reservation_info(ReservationType::Static, "foo", None));

    let mut actual = task();
    actual.executor = Some(mesos::ExecutorInfo {
        resources: vec![reserved.clone()],
        ..Default::default()
    });

    assert!(downgrade_resources_in(&mut actual).is_ok());
    let executor = actual.executor.clone().unwrap();
    assert_eq!(Some("foo"), executor.resources[0].role.as_deref());
    assert!(executor.resources[0].reservations.is_empty());

    assert!(resources::upgrade_resources_in(&mut actual).is_ok());
    assert_eq!(vec![reserved], actual.executor.unwrap().resources);
}
