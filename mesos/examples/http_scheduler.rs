//! What Mesos' frameworks on the v1 scheduler library
//! (`test_http_framework.cpp`, `long_lived_framework.cpp`) share: the
//! library's callbacks forwarded to the framework's process, the calls
//! they send, resources between v1 and `Resources`, and a `main` that
//! runs the process until it ends or a signal stops it.

use std::collections::VecDeque;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use libprocess::{dispatch, Process, PID};
use mesos::common::evolve::{devolve, evolve};
use mesos::master::detector::{MasterDetector, StandaloneMasterDetector};
use mesos::v1::scheduler::{call, Call, Callbacks, ContentType, Event, Mesos};
use mesos::v1::{offer, FrameworkInfo, Offer, TaskInfo, TaskStatus};
use mesos::Resources;

/// A framework's process, which the library's callbacks go to.
pub(crate) trait Framework: Process {
    /// Both connections to the master are up.
    fn connected(&mut self);
    /// A connection to the master broke.
    fn disconnected(&mut self);
    /// Events from the master.
    fn received(&mut self, events: VecDeque<Event>);
}

/// Hands the library's callbacks to the framework's process.
struct Forward<P>(PID<P>);

impl<P: Framework> Callbacks for Forward<P> {
    fn connected(&mut self) {
        dispatch(&self.0, P::connected);
    }

    fn disconnected(&mut self) {
        dispatch(&self.0, P::disconnected);
    }

    fn received(&mut self, events: VecDeque<Event>) {
        dispatch(&self.0, move |p: &mut P| p.received(events));
    }
}

/// The library, for the framework `pid` (created when that process
/// initializes, so that callbacks only come once it runs).
pub(crate) fn library<P: Framework>(detector: Arc<dyn MasterDetector>, pid: PID<P>) -> Mesos {
    Mesos::new(ContentType::Protobuf, detector, Forward(pid))
}

/// The detector for `--master`; `local` launches a local cluster in this
/// process (kept running with the returned value).
pub(crate) fn detector(
    master: &str,
) -> Result<(Arc<dyn MasterDetector>, Option<mesos::local::Local>), String> {
    if master == "local" {
        let local = mesos::local::launch_from_environment()
            .map_err(|e| format!("Failed to launch a local cluster: {}", e))?;
        let detector = Arc::new(StandaloneMasterDetector::with_pid(local.master.upid()));
        return Ok((detector, Some(local)));
    }
    let detector = mesos::master::detector::create(master)
        .map_err(|e| format!("Failed to create a master detector: {}", e))?;
    Ok((detector, None))
}

/// A call of `kind` for `framework`.
pub(crate) fn call(framework: &FrameworkInfo, kind: call::Type) -> Call {
    Call {
        framework_id: framework.id.clone(),
        r#type: Some(kind as i32),
        ..Call::default()
    }
}

/// SUBSCRIBE with `framework` (and its id once it has one).
pub(crate) fn subscribe(framework: &FrameworkInfo) -> Call {
    Call {
        subscribe: Some(call::Subscribe {
            framework_info: framework.clone(),
            ..call::Subscribe::default()
        }),
        ..call(framework, call::Type::Subscribe)
    }
}

/// ACCEPT of `offer` with one LAUNCH of `tasks`.
pub(crate) fn launch(framework: &FrameworkInfo, offer: &Offer, tasks: Vec<TaskInfo>) -> Call {
    let mut operation = offer::Operation {
        launch: Some(offer::operation::Launch { task_infos: tasks }),
        ..offer::Operation::default()
    };
    operation.set_type(offer::operation::Type::Launch);
    Call {
        accept: Some(call::Accept {
            offer_ids: vec![offer.id.clone()],
            operations: vec![operation],
            filters: None,
        }),
        ..call(framework, call::Type::Accept)
    }
}

/// ACKNOWLEDGE of `status`, if it needs one (it carries a uuid).
pub(crate) fn acknowledge(framework: &FrameworkInfo, status: &TaskStatus) -> Option<Call> {
    let uuid = status.uuid.clone()?;
    Some(Call {
        acknowledge: Some(call::Acknowledge {
            agent_id: status.agent_id.clone().unwrap_or_default(),
            task_id: status.task_id.clone(),
            uuid,
        }),
        ..call(framework, call::Type::Acknowledge)
    })
}

/// v1 resources as `Resources` (the two schemas share their fields).
pub(crate) fn resources(v1: &[mesos::v1::Resource]) -> Resources {
    v1.iter()
        .filter_map(|resource| devolve::<mesos::Resource>(resource).ok())
        .collect::<Vec<_>>()
        .into()
}

/// `Resources` as v1 resources.
pub(crate) fn v1_resources(resources: &Resources) -> Vec<mesos::v1::Resource> {
    resources
        .iter()
        .filter_map(|resource| evolve::<mesos::v1::Resource>(resource).ok())
        .collect()
}

/// The exit status a framework's process leaves for `main`.
#[derive(Clone, Debug, Default)]
pub(crate) struct ExitStatus(Arc<AtomicU8>);

impl ExitStatus {
    /// The process exits with `status`.
    pub(crate) fn set(&self, status: u8) {
        self.0.store(status, Ordering::SeqCst);
    }
}

/// Runs `process` on the current runtime until it terminates, or until
/// SIGINT or SIGTERM terminates it, then shuts down the `local` cluster it
/// ran on, if any; exits with the status it left.
pub(crate) fn run<P: Framework>(
    signals: nix::sys::signal::SigSet,
    process: P,
    local: Option<mesos::local::Local>,
    status: ExitStatus,
) -> ExitCode {
    let pid = libprocess::spawn(process);
    let stop = pid.clone();
    let runtime = libprocess::Handle::current();
    // Not joined: it waits for a signal that may never come.
    std::thread::spawn(move || {
        let signal = mesos::daemon::wait_for_signal(&signals);
        // This thread's runtime would be the process-wide default one.
        let _enter = runtime.enter();
        tracing::info!("Received {}; stopping", signal);
        libprocess::terminate(&stop, false);
    });
    libprocess::wait(&pid, None);
    if let Some(local) = local {
        local.shutdown();
    }
    ExitCode::from(status.0.load(Ordering::SeqCst))
}
