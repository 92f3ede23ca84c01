//! `mesos-execute` (Mesos' `src/cli/execute.cpp`): runs one command as a
//! task through a framework of its own, prints each status update, and
//! exits 0 only if the task finished.
//!
//! Mesos 1.11's tool speaks the v1 scheduler HTTP API; this one talks to
//! the master through the scheduler driver (the `mesos.scheduler.Call`
//! messages) until the master serves `/api/v1/scheduler`. What it sends
//! and prints is the same.

mod flags;
mod scheduler;

pub use flags::Flags;

use std::collections::BTreeMap;

use crate::daemon::{self, Loaded};
use crate::sched::MesosSchedulerDriver;
use crate::Status;
use crate::{framework_info, CommandInfo, Environment, FrameworkInfo, TaskInfo};

use scheduler::CommandScheduler;

/// The task and framework `flags` describe, or Mesos' error for them.
pub fn plan(flags: &Flags) -> Result<(FrameworkInfo, TaskInfo), String> {
    let Some(name) = flags.name.clone() else {
        return Err("Missing required option --name".to_string());
    };
    let Some(command) = flags.command.clone() else {
        return Err("Missing required option --command".to_string());
    };
    let user = stout::os::user().map_err(|e| format!("Failed to get username: {}", e))?;
    let mut capabilities = vec![
        framework_info::capability::Type::ReservationRefinement,
        framework_info::capability::Type::TaskKillingState,
    ];
    if flags.partition_aware {
        capabilities.push(framework_info::capability::Type::PartitionAware);
    }
    if let Some(list) = &flags.framework_capabilities {
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let capability = framework_info::capability::Type::from_str_name(name)
                .ok_or_else(|| format!("Unknown framework capability '{}'", name))?;
            if !capabilities.contains(&capability) {
                capabilities.push(capability);
            }
        }
    }
    let framework = FrameworkInfo {
        user,
        name: format!("{} (mesos-execute)", name),
        roles: vec![flags.role.clone()],
        checkpoint: Some(flags.checkpoint),
        principal: flags.principal.clone(),
        capabilities: std::iter::once(framework_info::capability::Type::MultiRole)
            .chain(capabilities)
            .map(|kind| framework_info::Capability {
                r#type: Some(kind as i32),
            })
            .collect(),
        ..FrameworkInfo::default()
    };
    let environment = match &flags.environment {
        Some(json) => Some(environment(json)?),
        None => None,
    };
    let task = TaskInfo {
        name: name.clone(),
        task_id: crate::TaskId { value: name },
        command: Some(CommandInfo {
            shell: Some(flags.shell),
            value: Some(command),
            environment,
            ..CommandInfo::default()
        }),
        ..TaskInfo::default()
    };
    Ok((framework, task))
}

/// `--env`'s JSON object of names to values, as an `Environment`.
fn environment(json: &serde_json::Value) -> Result<Environment, String> {
    let Some(object) = json.as_object() else {
        return Err("Expecting --env to be a JSON object".to_string());
    };
    let mut variables = BTreeMap::new();
    for (name, value) in object {
        let Some(value) = value.as_str() else {
            return Err(format!(
                "Expecting the value of environment variable '{}' to be a string",
                name
            ));
        };
        variables.insert(name.clone(), value.to_string());
    }
    Ok(Environment {
        variables: variables
            .into_iter()
            .map(|(name, value)| crate::environment::Variable {
                name,
                value: Some(value),
                ..Default::default()
            })
            .collect(),
    })
}

/// Runs `mesos-execute`: the process' exit status.
pub fn run(args: Vec<String>) -> u8 {
    let flags = match daemon::load_flags::<Flags>(&args) {
        (Loaded::Run(flags), _) => flags,
        (Loaded::Exit(status), _) => return status,
    };
    let argv0 = args
        .first()
        .cloned()
        .unwrap_or_else(|| "mesos-execute".into());
    if let Err(e) = crate::logging::initialize(&argv0, &flags.logging) {
        eprintln!("{}", e);
        return 1;
    }
    let Some(master) = flags.master.clone() else {
        eprintln!("Missing required option --master");
        return 1;
    };
    let (framework, task) = match plan(&flags) {
        Ok(planned) => planned,
        Err(e) => {
            eprintln!("{}", e);
            return 1;
        }
    };
    let resources = match crate::Resources::parse(&flags.resources) {
        Ok(resources) => resources,
        Err(e) => {
            eprintln!("Invalid value for --resources: {}", e);
            return 1;
        }
    };
    let runtime = match libprocess::Builder::from_environment().and_then(|b| b.try_build()) {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("Failed to initialize: {}", e);
            return 1;
        }
    };
    let _enter = runtime.enter();
    let (scheduler, outcome) =
        CommandScheduler::new(task, resources, flags.role.clone(), flags.kill_after);
    let driver = MesosSchedulerDriver::new(scheduler, framework, master, true);
    let status = driver.run();
    let finished = outcome.lock().finished;
    match (status, finished) {
        (Status::DriverStopped, true) => 0,
        _ => 1,
    }
}
