//! `test-framework` (Mesos' `src/examples/test_framework.cpp`): a
//! framework on the scheduler driver that runs its tasks on its own
//! executor, `test-executor`, and exits 0 once all of them finished, 1 if
//! one failed, was killed or lost.

mod example;

use example::say;
use mesos::resource::reservation_info;
use mesos::sched::{MesosSchedulerDriver, Scheduler};
use mesos::{
    framework_info, resource, CommandInfo, ExecutorId, ExecutorInfo, Filters, FrameworkId,
    FrameworkInfo, MasterInfo, Offer, Resources, Status, TaskId, TaskInfo, TaskState, TaskStatus,
};
use stout::{flag, FlagSet, Flags as StoutFlags};

const CPUS_PER_TASK: u32 = 1;
const MEM_PER_TASK: u32 = 128;

/// How many tasks Mesos' test framework runs (its `totalTasks`).
const TOTAL_TASKS: usize = 5;

const EXECUTOR_BINARY: &str = "test-executor";
const EXECUTOR_NAME: &str = "Test Executor (C++)";
const FRAMEWORK_NAME: &str = "Test Framework (C++)";

/// The example flags, and `--num_tasks` (Mesos' test framework always
/// runs five; the name is that of Mesos' no-executor framework's flag).
#[derive(Clone, Debug, Default)]
struct Flags {
    example: example::Flags,
    num_tasks: usize,
}

example::embed_flags!(Flags);

impl StoutFlags for Flags {
    fn define(set: &mut FlagSet<Self>) {
        example::add_flags(set);
        flag!(set, num_tasks)
            .help("Number of tasks to launch.")
            .default(TOTAL_TASKS);
    }
}

struct TestScheduler {
    implicit_acknowledgements: bool,
    executor: ExecutorInfo,
    role: String,
    tasks_launched: usize,
    tasks_finished: usize,
    total_tasks: usize,
}

impl TestScheduler {
    /// The tasks `offer` holds resources for, each with its resources.
    fn tasks_for(&mut self, offer: &Offer) -> Vec<TaskInfo> {
        let mut task_resources =
            match Resources::parse(&format!("cpus:{};mem:{}", CPUS_PER_TASK, MEM_PER_TASK)) {
                Ok(resources) => resources,
                Err(e) => {
                    tracing::error!("Invalid task resources: {}", e);
                    return Vec::new();
                }
            };
        task_resources.allocate(&self.role);
        let wanted = if self.role == "*" {
            task_resources.clone()
        } else {
            task_resources.push_reservation(&resource::ReservationInfo {
                r#type: Some(reservation_info::Type::Static as i32),
                role: Some(self.role.clone()),
                ..Default::default()
            })
        };
        let mut remaining = Resources::from(offer.resources.as_slice());
        let mut tasks = Vec::new();
        while self.tasks_launched < self.total_tasks
            && remaining.to_unreserved().contains(&task_resources)
        {
            // The offer holds the resources regardless of reservations,
            // so they are found.
            let Some(resources) = remaining.find(&wanted) else {
                break;
            };
            let task_id = self.tasks_launched;
            self.tasks_launched += 1;
            say!("Launching task {} using offer {}", task_id, offer.id);
            tasks.push(TaskInfo {
                name: format!("Task {}", task_id),
                task_id: TaskId {
                    value: task_id.to_string(),
                },
                slave_id: offer.slave_id.clone(),
                executor: Some(self.executor.clone()),
                resources: resources.to_vec(),
                ..TaskInfo::default()
            });
            remaining -= resources;
        }
        tasks
    }
}

impl Scheduler for TestScheduler {
    fn registered(&mut self, _: &MesosSchedulerDriver, _: &FrameworkId, _: &MasterInfo) {
        say!("Registered!");
    }

    fn resource_offers(&mut self, driver: &MesosSchedulerDriver, offers: &[Offer]) {
        for offer in offers {
            say!(
                "Received offer {} with {}",
                offer.id,
                Resources::from(offer.resources.as_slice())
            );
            let tasks = self.tasks_for(offer);
            driver.launch_tasks(vec![offer.id.clone()], tasks, Filters::default());
        }
    }

    fn status_update(&mut self, driver: &MesosSchedulerDriver, status: &TaskStatus) {
        let task_id = &status.task_id.value;
        let state = status.state();
        say!("Task {} is in state {}", task_id, state);
        if state == TaskState::TaskFinished {
            self.tasks_finished += 1;
        }
        if matches!(
            state,
            TaskState::TaskLost | TaskState::TaskKilled | TaskState::TaskFailed
        ) {
            say!(
                "Aborting because task {} is in unexpected state {} with reason {} \
                 from source {} with message '{}'",
                task_id,
                state,
                status.reason().as_str_name(),
                status.source().as_str_name(),
                status.message.as_deref().unwrap_or_default()
            );
            driver.abort();
        }
        if !self.implicit_acknowledgements {
            driver.acknowledge_status_update(status.clone());
        }
        if self.tasks_finished == self.total_tasks {
            driver.stop(false);
        }
    }

    fn error(&mut self, _: &MesosSchedulerDriver, message: &str) {
        say!("{}", message);
    }
}

fn run(args: &[String]) -> u8 {
    let uri = example::executor_path(EXECUTOR_BINARY);
    let flags: Flags = match example::load(args) {
        Ok(flags) => flags,
        Err(status) => return status,
    };
    example::configure_local(&flags.example);
    let runtime = match example::runtime() {
        Ok(runtime) => runtime,
        Err(status) => return status,
    };
    let _enter = runtime.enter();

    let executor = ExecutorInfo {
        executor_id: ExecutorId {
            value: "default".to_string(),
        },
        command: Some(CommandInfo {
            value: Some(uri),
            ..CommandInfo::default()
        }),
        name: Some(EXECUTOR_NAME.to_string()),
        ..ExecutorInfo::default()
    };
    let flags_example = &flags.example;
    let framework = FrameworkInfo {
        // Empty: the driver fills in the current user.
        user: String::new(),
        principal: Some(flags_example.principal.clone()),
        name: FRAMEWORK_NAME.to_string(),
        roles: vec![flags_example.role.clone()],
        capabilities: [
            framework_info::capability::Type::MultiRole,
            framework_info::capability::Type::ReservationRefinement,
        ]
        .into_iter()
        .map(|kind| framework_info::Capability {
            r#type: Some(kind as i32),
        })
        .collect(),
        checkpoint: Some(flags_example.checkpoint),
        ..FrameworkInfo::default()
    };

    let implicit_acknowledgements = std::env::var_os("MESOS_EXPLICIT_ACKNOWLEDGEMENTS").is_none();
    if !implicit_acknowledgements {
        say!("Enabling explicit acknowledgements for status updates");
    }

    let scheduler = TestScheduler {
        implicit_acknowledgements,
        executor,
        role: flags_example.role.clone(),
        tasks_launched: 0,
        tasks_finished: 0,
        total_tasks: flags.num_tasks,
    };
    let driver = MesosSchedulerDriver::new(
        scheduler,
        framework,
        flags_example.master.clone(),
        implicit_acknowledgements,
    );
    let status = if driver.run() == Status::DriverStopped {
        0
    } else {
        1
    };
    // Ensures that the driver's process terminates.
    driver.stop(false);
    status
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    std::process::ExitCode::from(run(&args))
}
