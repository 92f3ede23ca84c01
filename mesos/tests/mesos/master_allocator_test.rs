//! Ports of Mesos' `MasterAllocatorTest` with the hierarchical DRF
//! allocator: offers come on the allocation interval, unused and freed
//! resources are offered again.

use libprocess::testing::{self, ANY};
use libprocess::Clock;
use mesos::internal::{ResourceOffersMessage, RunTaskMessage, StatusUpdateMessage};
use mesos::master::Flags;
use mesos::scheduler::call::{self, Decline};
use mesos::task_status::Source;
use mesos::{Filters, Resources, TaskId, TaskState};
use stout::Duration;

use crate::master_helpers::*;

fn resources(text: &str) -> Resources {
    let mut resources = Resources::parse_with_role(text, "*").expect("resources");
    resources.allocate("*");
    resources
}

fn offered(message: &ResourceOffersMessage) -> Resources {
    message
        .offers
        .iter()
        .map(|offer| {
            let mut resources = Resources::from(offer.resources.as_slice());
            resources.allocate("*");
            resources
        })
        .sum()
}

#[test]
fn resources_unused() {
    let cluster = Cluster::start_hierarchical(Flags::for_tests());
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler1, framework1, offers) = cluster.subscribe_for_offers(default_framework_info());
    let offers = ready(&offers);
    assert_eq!(offered(&offers), resources("cpus:2;mem:1024"));

    let run = testing::future_protobuf::<RunTaskMessage>(ANY, &agent);
    send(
        &scheduler1,
        cluster.master.upid(),
        &launch_call(
            &framework1,
            &offers.offers,
            vec![task("1", &slave_id, "cpus:1;mem:512")],
        ),
    );
    ready(&run);
    settle();

    // The unused half goes to the next framework (the first one's filter
    // keeps it for 5 seconds).
    let (_, _, offers2) = cluster.subscribe_for_offers(default_framework_info());
    assert_eq!(offered(&ready(&offers2)), resources("cpus:1;mem:512"));
}

#[test]
fn task_finished() {
    let cluster = Cluster::start_hierarchical(Flags::for_tests());
    let (agent, slave_id) = cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, framework_id, offers) = cluster.subscribe_for_offers(default_framework_info());
    let offers = ready(&offers);
    let run = testing::future_protobuf::<RunTaskMessage>(ANY, &agent);
    let mut launch = launch_call(
        &framework_id,
        &offers.offers,
        vec![task("1", &slave_id, "cpus:2;mem:1024")],
    );
    if let Some(accept) = &mut launch.accept {
        accept.filters = Some(Filters {
            refuse_seconds: Some(0.0),
        });
    }
    send(&scheduler, cluster.master.upid(), &launch);
    ready(&run);

    // The task finishes: its resources are offered again.
    let update = testing::future_protobuf::<StatusUpdateMessage>(ANY, &scheduler);
    let reoffered = testing::future_protobuf::<ResourceOffersMessage>(ANY, &scheduler);
    let status = mesos::common::protobuf_utils::create_status_update(
        &framework_id,
        Some(slave_id.clone()),
        &TaskId { value: "1".into() },
        TaskState::TaskFinished,
        Source::Executor,
        Some(libprocess::random::uuid()),
        Default::default(),
    );
    send(
        &agent,
        cluster.master.upid(),
        &mesos::internal::StatusUpdateMessage {
            update: status,
            pid: Some(agent.to_string()),
        },
    );
    ready(&update);
    Clock::advance(Duration::from_secs(1));
    assert_eq!(offered(&ready(&reoffered)), resources("cpus:2;mem:1024"));
}

#[test]
fn declined_offer_filtered() {
    let cluster = Cluster::start_hierarchical(Flags::for_tests());
    cluster.register_agent("cpus:2;mem:1024");
    let (scheduler, framework_id, offers) = cluster.subscribe_for_offers(default_framework_info());
    let offers = ready(&offers);
    send(
        &scheduler,
        cluster.master.upid(),
        &mesos::scheduler::Call {
            decline: Some(Decline {
                offer_ids: offers.offers.iter().map(|o| o.id.clone()).collect(),
                filters: Some(Filters {
                    refuse_seconds: Some(10.0),
                }),
            }),
            ..call(&framework_id, call::Type::Decline)
        },
    );
    settle();
    let again = testing::future_protobuf::<ResourceOffersMessage>(ANY, &scheduler);
    for _ in 0..5 {
        Clock::advance(Duration::from_secs(1));
        Clock::settle();
    }
    assert!(again.is_pending());
    for _ in 0..6 {
        Clock::advance(Duration::from_secs(1));
        Clock::settle();
    }
    assert_eq!(offered(&ready(&again)), resources("cpus:2;mem:1024"));
}
