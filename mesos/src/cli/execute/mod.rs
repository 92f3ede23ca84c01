//! `mesos-execute` (Mesos' `src/cli/execute.cpp`): runs one command as a
//! task through a framework of its own, prints each status update, and
//! exits 0 only if the task finished.
//!
//! As Mesos 1.11's, it speaks the v1 scheduler HTTP API through the v1
//! scheduler library (`--content_type` protobuf or JSON).

mod flags;
mod scheduler;

pub use flags::Flags;

use std::collections::BTreeMap;

use crate::common::evolve::evolve;
use crate::daemon::{self, Loaded};
use crate::v1::scheduler::ContentType;
use crate::{
    container_info, framework_info, image, CommandInfo, ContainerInfo, Environment, FrameworkInfo,
    Image, Label, Labels, TaskInfo,
};

use scheduler::{CommandScheduler, Config};

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
        // Mesos' name for every mesos-execute framework.
        name: "mesos-execute instance".to_string(),
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
        container: container_info(flags)?,
        ..TaskInfo::default()
    };
    Ok((framework, task))
}

/// The task's container, as Mesos' `mesos-execute` describes it: a
/// `MESOS` container with the image for `--containerizer=mesos` (none
/// without an image), a `DOCKER` one for `--containerizer=docker`.
fn container_info(flags: &Flags) -> Result<Option<ContainerInfo>, String> {
    match flags.containerizer.as_str() {
        "" => Ok(None),
        "mesos" => {
            let image = if let Some(name) = &flags.docker_image {
                Image {
                    r#type: image::Type::Docker as i32,
                    docker: Some(image::Docker {
                        name: name.clone(),
                        ..image::Docker::default()
                    }),
                    ..Image::default()
                }
            } else if let Some(name) = &flags.appc_image {
                let label = |key: &str, value: &str| Label {
                    key: key.to_string(),
                    value: Some(value.to_string()),
                };
                Image {
                    r#type: image::Type::Appc as i32,
                    appc: Some(image::Appc {
                        name: name.clone(),
                        labels: Some(Labels {
                            labels: vec![label("os", "linux"), label("arch", "amd64")],
                        }),
                        ..image::Appc::default()
                    }),
                    ..Image::default()
                }
            } else {
                return Ok(None);
            };
            Ok(Some(ContainerInfo {
                r#type: container_info::Type::Mesos as i32,
                mesos: Some(container_info::MesosInfo { image: Some(image) }),
                ..ContainerInfo::default()
            }))
        }
        "docker" => {
            let Some(image) = &flags.docker_image else {
                return Err("'Docker' containerizer requires docker image name".to_string());
            };
            Ok(Some(ContainerInfo {
                r#type: container_info::Type::Docker as i32,
                docker: Some(container_info::DockerInfo {
                    image: image.clone(),
                    ..container_info::DockerInfo::default()
                }),
                ..ContainerInfo::default()
            }))
        }
        other => Err(format!("Unsupported containerizer: {}", other)),
    }
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
    let content_type = match flags.content_type.as_str() {
        "json" | "application/json" => ContentType::Json,
        "protobuf" | "application/x-protobuf" => ContentType::Protobuf,
        other => {
            eprintln!("Invalid content type '{}'", other);
            return 1;
        }
    };
    let (framework, task) = match (evolve(&framework), evolve(&task)) {
        (Ok(framework), Ok(task)) => (framework, task),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{}", e);
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
    let detector = match crate::master::detector::create(&master) {
        Ok(detector) => detector,
        Err(e) => {
            eprintln!("{}", e);
            return 1;
        }
    };
    let (scheduler, outcome) = CommandScheduler::new(Config {
        framework,
        task,
        resources,
        role: flags.role.clone(),
        kill_after: flags.kill_after,
        content_type,
        detector,
    });
    let scheduler = libprocess::spawn(scheduler);
    libprocess::wait(scheduler.upid(), None);
    let finished = outcome.lock().finished;
    if finished {
        0
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(args: &[&str]) -> Flags {
        let mut argv = vec!["mesos-execute", "--name=t", "--command=true"];
        argv.extend_from_slice(args);
        let argv: Vec<String> = argv.into_iter().map(String::from).collect();
        let mut set = stout::FlagSet::<Flags>::new();
        set.load(None, &argv).expect("valid flags");
        set.values().clone()
    }

    #[test]
    fn no_image_no_container() {
        let (_, task) = plan(&flags(&[])).expect("a plan");
        assert_eq!(None, task.container);
    }

    #[test]
    fn docker_image_in_a_mesos_container() {
        let (_, task) = plan(&flags(&["--docker_image=busybox:latest"])).expect("a plan");
        let container = task.container.expect("a container");
        assert_eq!(container_info::Type::Mesos as i32, container.r#type);
        let image = container.mesos.and_then(|m| m.image).expect("an image");
        assert_eq!(image::Type::Docker as i32, image.r#type);
        assert_eq!("busybox:latest", image.docker.expect("docker").name);
    }

    #[test]
    fn appc_image_with_mesos_labels() {
        let (_, task) = plan(&flags(&["--appc_image=example.com/reduce"])).expect("a plan");
        let image = task
            .container
            .and_then(|c| c.mesos)
            .and_then(|m| m.image)
            .expect("an image");
        let appc = image.appc.expect("appc");
        assert_eq!("example.com/reduce", appc.name);
        let labels = appc.labels.expect("labels").labels;
        assert_eq!(
            ("os", Some("linux")),
            (labels[0].key.as_str(), labels[0].value.as_deref())
        );
        assert_eq!(
            ("arch", Some("amd64")),
            (labels[1].key.as_str(), labels[1].value.as_deref())
        );
    }

    #[test]
    fn docker_containerizer_needs_an_image() {
        let (_, task) =
            plan(&flags(&["--containerizer=docker", "--docker_image=redis"])).expect("a plan");
        let container = task.container.expect("a container");
        assert_eq!(container_info::Type::Docker as i32, container.r#type);
        assert_eq!("redis", container.docker.expect("docker").image);
        assert_eq!(
            Err("'Docker' containerizer requires docker image name".to_string()),
            plan(&flags(&["--containerizer=docker"])).map(|_| ())
        );
        assert_eq!(
            Err("Unsupported containerizer: rkt".to_string()),
            plan(&flags(&["--containerizer=rkt"])).map(|_| ())
        );
    }
}
