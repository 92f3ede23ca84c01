//! `mesos-local` (Mesos' `src/local`): a master and `--num_slaves` agents
//! in one process, on one libprocess address, each agent with its own
//! directories under `--work_dir`.

use std::sync::Arc;

use libprocess::PID;
use stout::{flag, FlagSet, Flags as StoutFlags, Try};

use crate::daemon::{self, DaemonFlags};
use crate::logging;
use crate::master::allocator::HierarchicalDRFAllocator;
use crate::master::detector::{MasterDetector, StandaloneMasterDetector};
use crate::master::registrar::{InMemoryStorage, Registrar};
use crate::slave::containerizer::mesos::{MesosContainerizer, Options};
use crate::slave::task_status_update_manager::TaskStatusUpdateManager;

/// `mesos-local`'s flags.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// The logging flags.
    pub logging: logging::Flags,
    /// `--work_dir`: the root of the master's and agents' directories.
    pub work_dir: String,
    /// `--num_slaves`: how many agents.
    pub num_slaves: usize,
    /// `--port`: the port everything listens on.
    pub port: u16,
    /// `--ip`: the address everything listens on.
    pub ip: Option<String>,
}

impl AsRef<logging::Flags> for Flags {
    fn as_ref(&self) -> &logging::Flags {
        &self.logging
    }
}

impl AsMut<logging::Flags> for Flags {
    fn as_mut(&mut self) -> &mut logging::Flags {
        &mut self.logging
    }
}

impl StoutFlags for Flags {
    fn define(set: &mut FlagSet<Self>) {
        logging::add_flags(set);
        let default_work_dir = std::env::temp_dir().join("mesos").join("work");
        flag!(set, work_dir)
            .help(
                "Path of the master/agent work directory. Individual work directories\n\
                 for the master and each agent are nested underneath it:\n\
                 `master`, and `agents/<N>/work` with `agents/<N>/run` (--runtime_dir).",
            )
            .default(default_work_dir.to_string_lossy().into_owned());
        flag!(set, num_slaves)
            .help("Number of agents to launch for local cluster")
            .default(1usize);
        flag!(set, port).help("Port to listen on").default(5050u16);
        flag!(set, ip).help("IP address to listen on");
    }
}

impl DaemonFlags for Flags {
    fn version(&self) -> bool {
        false
    }

    fn unsupported(&self) -> Option<String> {
        None
    }

    fn listen(&self) -> (Option<&str>, u16, Option<&str>, Option<&str>) {
        (self.ip.as_deref(), self.port, None, None)
    }

    fn delegate(&self) -> &'static str {
        "master"
    }
}

/// A running local cluster; its processes end with the runtime.
#[derive(Debug)]
pub struct Local {
    /// The master.
    pub master: PID<crate::master::Master>,
    /// The agents.
    pub agents: Vec<PID<crate::slave::Slave>>,
    containerizers: Vec<Arc<MesosContainerizer>>,
    _status_updates: Vec<Arc<TaskStatusUpdateManager>>,
}

/// Starts the master and the agents on the current runtime (Mesos'
/// `local::launch`). As in Mesos, the master's and the agents' flags come
/// from the `MESOS_*` environment (`MESOS_RESOURCES=cpus:8`, ...), with
/// the directories under `--work_dir`; the registry is in memory.
/// Executors are looked for next to this program unless
/// `MESOS_LAUNCHER_DIR` says otherwise.
pub fn launch(flags: &Flags) -> Try<Local> {
    let master_flags: crate::master::Flags = load_from_environment(
        "master",
        vec![
            format!("--work_dir={}/master", flags.work_dir),
            "--registry=in_memory".to_string(),
        ],
    )?;
    if let Some(error) = crate::master::main::unsupported(&master_flags) {
        return Err(stout::Error::new(error));
    }
    let registrar = Registrar::new(Box::new(InMemoryStorage::new()));
    let allocator = HierarchicalDRFAllocator::create();
    let master = crate::master::Master::new(master_flags, Box::new(allocator), registrar)?;
    let master = crate::master::Master::spawn(master)?;
    let detector: Arc<dyn MasterDetector> =
        Arc::new(StandaloneMasterDetector::with_pid(master.upid()));
    let launcher_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.to_string_lossy().into_owned()))
        .unwrap_or_default();

    let mut agents = Vec::new();
    let mut containerizers = Vec::new();
    let mut status_updates = Vec::new();
    for n in 0..flags.num_slaves {
        let root = format!("{}/agents/{}", flags.work_dir, n);
        let mut propagated = vec![
            format!("--work_dir={}/work", root),
            format!("--runtime_dir={}/run", root),
            format!("--fetcher_cache_dir={}/fetch", root),
        ];
        if std::env::var_os("MESOS_LAUNCHER_DIR").is_none() {
            propagated.push(format!("--launcher_dir={}", launcher_dir));
        }
        let agent_flags: crate::slave::flags::Flags = load_from_environment("agent", propagated)?;
        if let Some(error) = crate::slave::main::unsupported(&agent_flags) {
            return Err(stout::Error::new(error));
        }
        let containerizer = Arc::new(MesosContainerizer::create(Options::new(
            agent_flags.work_dir.clone(),
            agent_flags.runtime_dir.clone(),
        ))?);
        let updates = Arc::new(TaskStatusUpdateManager::new(&agent_flags.work_dir));
        let slave = crate::slave::Slave::new(
            agent_flags,
            Arc::clone(&detector),
            containerizer.clone(),
            updates.clone(),
        )?;
        containerizers.push(containerizer);
        agents.push(crate::slave::spawn(slave));
        status_updates.push(updates);
    }
    Ok(Local {
        master,
        agents,
        containerizers,
        _status_updates: status_updates,
    })
}

/// A local cluster with `mesos-local`'s flags from the `MESOS_*`
/// environment (`MESOS_NUM_SLAVES`, `MESOS_WORK_DIR`, ...): what a
/// scheduler driver given `--master=local` starts.
pub fn launch_from_environment() -> Try<Local> {
    let flags: Flags = load_from_environment("local", Vec::new())?;
    launch(&flags)
}

impl Local {
    /// Stops the agents, the containers they ran, and the master (Mesos'
    /// `local::shutdown`): no task outlives the cluster.
    pub fn shutdown(self) {
        for agent in &self.agents {
            libprocess::terminate(agent, true);
            libprocess::wait(agent.upid(), Some(stout::Duration::from_secs(30)));
        }
        for containerizer in &self.containerizers {
            crate::slave::main::destroy_containers(containerizer.as_ref());
        }
        libprocess::terminate(&self.master, true);
    }
}

/// `F` from the `MESOS_*` environment, with `propagated` flags over it.
fn load_from_environment<F: StoutFlags>(what: &str, propagated: Vec<String>) -> Try<F> {
    let mut set = FlagSet::<F>::new();
    let args = std::iter::once(format!("mesos-local-{}", what)).chain(propagated);
    set.load(Some("MESOS_"), args).map_err(|e| {
        stout::Error::new(format!(
            "Failed to start a local cluster while loading {} flags from the environment: {}",
            what, e
        ))
    })?;
    Ok(set.into_values())
}

/// Runs `mesos-local` until SIGINT or SIGTERM: the process' exit status.
pub fn run(args: Vec<String>) -> u8 {
    let daemon::Started {
        flags,
        signals,
        runtime,
    } = match daemon::start::<Flags>(&args, "mesos-local") {
        Ok(started) => started,
        Err(status) => return status,
    };
    let _enter = runtime.enter();
    crate::version::spawn();
    let local = match launch(&flags) {
        Ok(local) => local,
        Err(e) => {
            tracing::error!("Failed to launch the local cluster: {}", e);
            return 1;
        }
    };
    let address = runtime.address();
    println!(
        "Mesos local cluster: a master and {} agent(s) at {}\n  \
         master: {}\n  \
         run a task: mesos-execute --master={} --name=hello --command='echo hello'",
        local.agents.len(),
        address,
        local.master.upid(),
        address
    );
    let signal = daemon::wait_for_signal(&signals);
    tracing::info!("Received {}; shutting down", signal);
    local.shutdown();
    0
}
