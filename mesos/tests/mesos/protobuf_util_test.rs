//! Mesos' ProtobufUtilTest (src/tests/protobuf_utils_tests.cpp).

use std::collections::BTreeSet;

use mesos::common::protobuf_utils::{
    self, convert_labels_to_string_map, convert_string_map_to_labels, create_label, framework,
    slave,
};
use mesos::common::type_utils::labels_equal;
use mesos::framework_info::capability::Type as FrameworkCapability;
use mesos::framework_info::Capability;
use mesos::internal::RegisterSlaveMessage;
use mesos::offer::{operation, Operation};
use mesos::resource::AllocationInfo;
use mesos::slave_info::capability::Type as AgentCapability;
use mesos::{
    slave_info, ContainerId, ExecutorInfo, FrameworkInfo, Labels, Resource, Resources,
    TaskGroupInfo, TaskInfo,
};

use crate::helpers::*;

/// `LAUNCH(tasks)` of `src/tests/mesos.hpp`.
fn launch(tasks: &[TaskInfo]) -> Operation {
    Operation {
        r#type: Some(operation::Type::Launch as i32),
        launch: Some(operation::Launch {
            task_infos: tasks.to_vec(),
        }),
        ..Operation::default()
    }
}

/// `LAUNCH_GROUP(executor, task_group)` of `src/tests/mesos.hpp`.
fn launch_group(executor: &ExecutorInfo, task_group: &TaskGroupInfo) -> Operation {
    Operation {
        r#type: Some(operation::Type::LaunchGroup as i32),
        launch_group: Some(operation::LaunchGroup {
            executor: executor.clone(),
            task_group: task_group.clone(),
        }),
        ..Operation::default()
    }
}

/// Upstream compares `Resources` with a repeated field by making the
/// field `Resources`.
fn as_resources(resources: &[Resource]) -> Resources {
    Resources::from(resources)
}

// The helper `get_roles` gets the roles of a multi-role framework, and
// the role of a single-role one.
#[test]
fn get_roles() {
    // Roles of a multi-role framework.
    {
        let mut framework_info = FrameworkInfo::default();
        let mut capability = Capability::default();
        capability.set_type(FrameworkCapability::MultiRole);
        framework_info.capabilities.push(capability);
        framework_info.roles.push("bar".to_string());
        framework_info.roles.push("qux".to_string());

        let roles = framework::get_roles(&framework_info);

        assert_eq!(
            roles,
            BTreeSet::from(["qux".to_string(), "bar".to_string()])
        );
    }

    // The role of a single-role framework.
    {
        let mut framework_info = FrameworkInfo::default();
        set_role(&mut framework_info, "foo");

        let roles = framework::get_roles(&framework_info);

        assert_eq!(roles, BTreeSet::from(["foo".to_string()]));
    }
}

/// `frameworkInfo.set_role(role)`.
#[allow(deprecated)] // The single role is the deprecated field.
fn set_role(framework_info: &mut FrameworkInfo, role: &str) {
    framework_info.role = Some(role.to_string());
}

// Allocation info can be injected into and stripped from offer
// operations.
#[test]
fn inject_and_strip_allocation_info_in_offer_operation() {
    let unallocated_resources = resources("cpus:1");

    let mut allocated_resources = unallocated_resources.clone();
    allocated_resources.allocate("role");

    let allocation_info = AllocationInfo {
        role: Some("role".to_string()),
    };

    let executor_info = ExecutorInfo {
        resources: unallocated_resources.to_vec(),
        ..ExecutorInfo::default()
    };

    let task_info = TaskInfo {
        resources: unallocated_resources.to_vec(),
        executor: Some(executor_info.clone()),
        ..TaskInfo::default()
    };

    {
        // LAUNCH. The task and executor are not valid ones: only their
        // resources matter here.
        let mut launch = launch(std::slice::from_ref(&task_info));
        protobuf_utils::inject_allocation_info(&mut launch, &allocation_info);

        let tasks = &launch.launch.as_ref().expect("launch").task_infos;
        assert_eq!(1, tasks.len());

        assert_eq!(allocated_resources, as_resources(&tasks[0].resources));

        assert_eq!(
            allocated_resources,
            as_resources(&tasks[0].executor.as_ref().expect("executor").resources)
        );

        protobuf_utils::strip_allocation_info(&mut launch);

        let tasks = &launch.launch.as_ref().expect("launch").task_infos;
        assert_eq!(unallocated_resources, as_resources(&tasks[0].resources));

        assert_eq!(
            unallocated_resources,
            as_resources(&tasks[0].executor.as_ref().expect("executor").resources)
        );
    }

    {
        // LAUNCH_GROUP, likewise.
        let task_group_info = TaskGroupInfo {
            tasks: vec![task_info.clone()],
        };

        let mut launch_group = launch_group(&executor_info, &task_group_info);
        protobuf_utils::inject_allocation_info(&mut launch_group, &allocation_info);

        let tasks = &launch_group
            .launch_group
            .as_ref()
            .expect("launch_group")
            .task_group
            .tasks;
        assert_eq!(1, tasks.len());

        assert_eq!(allocated_resources, as_resources(&tasks[0].resources));

        assert_eq!(
            allocated_resources,
            as_resources(&tasks[0].executor.as_ref().expect("executor").resources)
        );

        protobuf_utils::strip_allocation_info(&mut launch_group);

        let tasks = &launch_group
            .launch_group
            .as_ref()
            .expect("launch_group")
            .task_group
            .tasks;
        assert_eq!(unallocated_resources, as_resources(&tasks[0].resources));

        assert_eq!(
            unallocated_resources,
            as_resources(&tasks[0].executor.as_ref().expect("executor").resources)
        );
    }

    {
        // RESERVE. Not a valid reservation: only the resources matter.
        let mut reserve = reserve(&unallocated_resources);
        protobuf_utils::inject_allocation_info(&mut reserve, &allocation_info);

        let reserved = &reserve.reserve.as_ref().expect("reserve").resources;
        assert_eq!(allocated_resources, as_resources(reserved));

        protobuf_utils::strip_allocation_info(&mut reserve);

        let reserved = &reserve.reserve.as_ref().expect("reserve").resources;
        assert_eq!(unallocated_resources, as_resources(reserved));
    }

    {
        // UNRESERVE, likewise.
        let mut unreserve = unreserve(&unallocated_resources);
        protobuf_utils::inject_allocation_info(&mut unreserve, &allocation_info);

        let unreserved = &unreserve.unreserve.as_ref().expect("unreserve").resources;
        assert_eq!(allocated_resources, as_resources(unreserved));

        protobuf_utils::strip_allocation_info(&mut unreserve);

        let unreserved = &unreserve.unreserve.as_ref().expect("unreserve").resources;
        assert_eq!(unallocated_resources, as_resources(unreserved));
    }

    {
        // CREATE. Not a valid volume: only the resources matter.
        let mut create = create(&unallocated_resources);
        protobuf_utils::inject_allocation_info(&mut create, &allocation_info);

        let volumes = &create.create.as_ref().expect("create").volumes;
        assert_eq!(allocated_resources, as_resources(volumes));

        protobuf_utils::strip_allocation_info(&mut create);

        let volumes = &create.create.as_ref().expect("create").volumes;
        assert_eq!(unallocated_resources, as_resources(volumes));
    }

    {
        // DESTROY, likewise.
        let mut destroy = destroy(&unallocated_resources);
        protobuf_utils::inject_allocation_info(&mut destroy, &allocation_info);

        let volumes = &destroy.destroy.as_ref().expect("destroy").volumes;
        assert_eq!(allocated_resources, as_resources(volumes));

        protobuf_utils::strip_allocation_info(&mut destroy);

        let volumes = &destroy.destroy.as_ref().expect("destroy").volumes;
        assert_eq!(unallocated_resources, as_resources(volumes));
    }
}

// `convert_labels_to_string_map` turns labels into a string map, and
// `convert_string_map_to_labels` turns it back.
#[test]
fn convert_between_labels_and_string_map() {
    let labels1 = Labels {
        labels: vec![create_label("foo", Some("bar"))],
    };

    let map1 = convert_labels_to_string_map(&labels1).expect("map");
    assert!(map1.contains_key("foo"));
    assert_eq!(Some("bar"), map1.get("foo").map(String::as_str));

    assert!(labels_equal(&labels1, &convert_string_map_to_labels(&map1)));

    let labels2 = Labels {
        labels: vec![
            create_label("foo", Some("bar")),
            create_label("foo", Some("baz")),
        ],
    };

    let error = convert_labels_to_string_map(&labels2).expect_err("repeated key");
    assert_eq!("Repeated key 'foo' in labels", error.to_string());

    let labels3 = Labels {
        labels: vec![create_label("foo", None)],
    };

    let error = convert_labels_to_string_map(&labels3).expect_err("missing value");
    assert_eq!("Missing value for key 'foo' in labels", error.to_string());
}

// `framework::Capabilities` are built right from a FrameworkInfo's
// capabilities.
#[test]
fn framework_capabilities() {
    let to_type_set = |capabilities: &framework::Capabilities| {
        let mut result = BTreeSet::new();
        if capabilities.revocable_resources {
            result.insert(FrameworkCapability::RevocableResources);
        }
        if capabilities.task_killing_state {
            result.insert(FrameworkCapability::TaskKillingState);
        }
        if capabilities.gpu_resources {
            result.insert(FrameworkCapability::GpuResources);
        }
        if capabilities.shared_resources {
            result.insert(FrameworkCapability::SharedResources);
        }
        if capabilities.partition_aware {
            result.insert(FrameworkCapability::PartitionAware);
        }
        if capabilities.multi_role {
            result.insert(FrameworkCapability::MultiRole);
        }
        if capabilities.region_aware {
            result.insert(FrameworkCapability::RegionAware);
        }
        result
    };

    let type_set_to_capability_vector = |types: &BTreeSet<FrameworkCapability>| {
        types
            .iter()
            .map(|kind| {
                let mut capability = Capability::default();
                capability.set_type(*kind);
                capability
            })
            .collect::<Vec<Capability>>()
    };

    // `Capabilities` are built right if converting them back to types
    // gives the types they were built from.
    let back_and_forth = |types: &BTreeSet<FrameworkCapability>| {
        let capabilities = framework::Capabilities::new(&type_set_to_capability_vector(types));
        to_type_set(&capabilities)
    };

    for kind in [
        FrameworkCapability::RevocableResources,
        FrameworkCapability::TaskKillingState,
        FrameworkCapability::GpuResources,
        FrameworkCapability::SharedResources,
        FrameworkCapability::PartitionAware,
        FrameworkCapability::MultiRole,
        FrameworkCapability::RegionAware,
    ] {
        let expected = BTreeSet::from([kind]);
        assert_eq!(expected, back_and_forth(&expected), "{:?}", kind);
    }
}

// `slave::Capabilities` are built right from an agent's capabilities.
#[test]
fn agent_capabilities() {
    let mut register_slave_message = RegisterSlaveMessage::default();
    let mut capability = slave_info::Capability::default();
    capability.set_type(AgentCapability::MultiRole);
    register_slave_message.agent_capabilities.push(capability);

    let capabilities = slave::Capabilities::new(&register_slave_message.agent_capabilities);

    assert!(capabilities.multi_role);
}

#[test]
fn parse_container_id() {
    let parent = ContainerId {
        value: "parent".to_string(),
        parent: None,
    };

    let child = ContainerId {
        value: "child".to_string(),
        parent: Some(Box::new(parent.clone())),
    };

    assert_eq!(
        parent,
        protobuf_utils::parse_container_id(&parent.to_string())
    );
    assert_eq!(
        child,
        protobuf_utils::parse_container_id(&child.to_string())
    );
}

#[test]
fn large_message_evolve() {
    let mut data = String::from(
        "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor \
         incididunt ut labore et dolore magna aliqua.",
    );
    while (data.len() as u64) < stout::Bytes::megabytes(70).bytes() {
        data.push_str(&data.clone());
    }

    let executor_info = mesos::ExecutorInfo {
        data: Some(bytes::Bytes::from(data)),
        ..Default::default()
    };

    let evolved: mesos::v1::ExecutorInfo =
        mesos::common::evolve::evolve(&executor_info).expect("a 70 MB message evolves");
    assert_eq!(executor_info.data, evolved.data);
}
