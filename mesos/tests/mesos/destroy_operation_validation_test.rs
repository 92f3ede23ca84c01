//! Mesos' DestroyOperationValidationTest (src/tests/master_validation_tests.cpp).

use std::collections::HashMap;

use mesos::master::validation::operation;
use mesos::offer::operation::Destroy;
use mesos::{FrameworkId, Resource, ResourceProviderId, Resources};

use crate::helpers::*;
use crate::validation_helpers::*;

/// `Resources::parse(name, value, role).get()`.
fn parse(name: &str, value: &str, role: &str) -> Resource {
    Resources::parse_resource(name, value, role).expect(value)
}

/// A disk of `value` reserved to `role`, a volume `id` at `path`.
fn volume_of(value: &str, role: &str, id: &str, path: &str) -> Resource {
    let mut volume = parse("disk", value, role);
    volume.disk = Some(create_disk_info(
        Some(id),
        Some(path),
        None,
        None,
        None,
        None,
    ));
    volume
}

fn destroy_of(volumes: Vec<Resource>) -> Destroy {
    Destroy { volumes }
}

fn framework_id(value: &str) -> FrameworkId {
    FrameworkId {
        value: value.to_string(),
    }
}

#[test]
fn persistent_volumes() {
    let volume1 = volume_of("128", "role1", "id1", "path1");
    let volume2 = volume_of("64", "role1", "id2", "path2");

    let mut volumes = Resources::new();
    volumes += volume1.clone();
    volumes += volume2.clone();

    let mut destroy = destroy_of(vec![volume1.clone()]);

    assert_ok(operation::validate_destroy(
        &destroy,
        &volumes,
        &HashMap::new(),
    ));

    let cpus = parse("cpus", "2", "*");
    destroy.volumes.push(cpus);

    let error = operation::validate_destroy(&destroy, &volumes, &HashMap::new());

    assert!(error.is_err());
}

#[test]
fn shared_persistent_volume_in_use() {
    let cpus = parse("cpus", "1", "*");
    let mem = parse("mem", "5", "*");
    let disk1 = create_disk_resource("50", "role1", Some("1"), Some("path1"), None, true);
    let disk2 = create_disk_resource("100", "role1", Some("2"), Some("path2"), None, false);

    let mut volumes = Resources::new();
    volumes += disk1.clone();
    volumes += disk2.clone();

    let framework_id1 = framework_id("id1");
    let framework_id2 = framework_id("id2");

    let mut used_resources: HashMap<FrameworkId, Resources> = HashMap::new();

    // What the first framework uses.
    used_resources.insert(
        framework_id1.clone(),
        Resources::from(cpus.clone()) + mem.clone() + disk1.clone() + disk2.clone(),
    );

    // What the second framework uses.
    used_resources.insert(
        framework_id2.clone(),
        Resources::from(cpus.clone()) + mem.clone() + disk1.clone(),
    );

    let destroy = destroy_of(vec![disk1.clone()]);

    let error = operation::validate_destroy(&destroy, &volumes, &used_resources);

    assert!(error.is_err());

    for id in [&framework_id1, &framework_id2] {
        if let Some(used) = used_resources.get_mut(id) {
            *used -= disk1.clone();
        }
    }

    assert_ok(operation::validate_destroy(
        &destroy,
        &volumes,
        &used_resources,
    ));
}

#[test]
fn unknown_persistent_volume() {
    let volume = volume_of("128", "role1", "id1", "path1");

    let destroy = destroy_of(vec![volume.clone()]);

    assert_ok(operation::validate_destroy(
        &destroy,
        &Resources::from(volume.clone()),
        &HashMap::new(),
    ));

    let error = operation::validate_destroy(&destroy, &Resources::new(), &HashMap::new());

    assert!(error.is_err());
}

#[test]
fn multiple_resource_providers() {
    let resource1 = volume_of("10", "role", "id1", "path1");

    let mut resource2 = volume_of("10", "role", "id2", "path2");
    resource2.provider_id = Some(ResourceProviderId {
        value: "provider1".to_string(),
    });

    let mut resource3 = volume_of("10", "role", "id3", "path3");
    resource3.provider_id = Some(ResourceProviderId {
        value: "provider2".to_string(),
    });

    let volumes = Resources::from(resource1.clone()) + resource2.clone() + resource3.clone();

    {
        let destroy = destroy_of(vec![resource1.clone(), resource2.clone()]);

        assert_error_contains(
            operation::validate_destroy(&destroy, &volumes, &HashMap::new()),
            "Invalid resources: Some resources have a resource provider and some do not",
        );
    }

    {
        let destroy = destroy_of(vec![resource2.clone(), resource3.clone()]);

        assert_error_contains(
            operation::validate_destroy(&destroy, &volumes, &HashMap::new()),
            "Invalid resources: The resources have multiple resource providers: provider2, \
             provider1",
        );
    }

    {
        let destroy = destroy_of(vec![resource2.clone()]);

        assert_ok(operation::validate_destroy(
            &destroy,
            &volumes,
            &HashMap::new(),
        ));
    }
}
