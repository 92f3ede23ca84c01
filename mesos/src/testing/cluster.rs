//! Mesos' `cluster::Master` and `cluster::Slave` (`src/tests/cluster.hpp`)
//! with `MesosTest`'s default flags: the very master and agent the
//! binaries run, started inside a test's runtime.

use std::sync::Arc;

use libprocess::{Future, PID};
use stout::{Duration, Try};

use crate::master::allocator::hierarchical::HierarchicalDRFAllocator;
use crate::master::allocator::Allocator;
use crate::master::detector::{MasterDetector, StandaloneMasterDetector};
use crate::master::registrar::{InMemoryStorage, Registrar};
use crate::slave::containerizer::Containerizer;
use crate::slave::task_status_update_manager::TaskStatusUpdateManager;

/// `MesosTest::CreateMasterFlags`: the in-memory registry and otherwise
/// Mesos' defaults. (Mesos' tests also turn authentication on; this build
/// has none yet.)
pub fn create_master_flags() -> crate::master::Flags {
    crate::master::Flags::for_tests()
}

/// `MesosTest::CreateSlaveFlags`: a fresh work directory (with the runtime
/// directory inside, so agents do not take each other's containers for
/// orphans), fixed small resources, quick registration, no user switching.
pub fn create_slave_flags(work_dir: &str) -> Try<crate::slave::flags::Flags> {
    let mut set = stout::flags::FlagSet::<crate::slave::flags::Flags>::new();
    set.load(
        None,
        [
            "mesos-agent".to_string(),
            format!("--work_dir={}", work_dir),
            format!("--runtime_dir={}/run", work_dir),
            "--resources=cpus:2;gpus:0;mem:1024;disk:1024;ports:[31000-32000]".to_string(),
            "--registration_backoff_factor=10ms".to_string(),
            "--no-switch_user".to_string(),
            format!("--launcher_dir={}", launcher_dir()),
        ],
    )
    .map_err(|e| stout::Error::new(e.to_string()))?;
    Ok(set.into_values())
}

/// Where the `mesos-executor` binary of this build is: next to the test
/// binary's directory, as cargo lays targets out.
pub fn launcher_dir() -> String {
    let exe = std::env::current_exe().unwrap_or_default();
    let mut dir = exe.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir.to_string_lossy().into_owned()
}

/// A directory under the system's temporary directory, removed when
/// dropped (each agent's work directory).
#[derive(Debug)]
pub struct TempDir(String);

impl TempDir {
    /// A fresh directory whose name starts with `prefix`.
    pub fn new(prefix: &str) -> Try<TempDir> {
        let path = std::env::temp_dir().join(format!(
            "{}-{}-{}",
            prefix,
            std::process::id(),
            libprocess::random::uuid()
        ));
        std::fs::create_dir_all(&path).map_err(|e| {
            stout::Error::new(format!("Failed to create '{}': {}", path.display(), e))
        })?;
        Ok(TempDir(path.to_string_lossy().into_owned()))
    }

    /// Its path.
    pub fn path(&self) -> &str {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running master; terminated when dropped.
#[derive(Debug)]
pub struct Master {
    /// The master's pid.
    pub pid: PID<crate::master::Master>,
    allocator_pid: Option<libprocess::UPID>,
}

impl Master {
    /// `StartMaster(flags)`: a master with the hierarchical DRF allocator
    /// and the in-memory registry, returned once it recovered.
    pub fn start(flags: crate::master::Flags) -> Try<Master> {
        let allocator = HierarchicalDRFAllocator::create();
        let allocator_pid = allocator.pid().upid().clone();
        let mut master = Master::start_with(flags, Box::new(allocator))?;
        master.allocator_pid = Some(allocator_pid);
        Ok(master)
    }

    /// `StartMaster(allocator, flags)`: a master with the given allocator.
    pub fn start_with(flags: crate::master::Flags, allocator: Box<dyn Allocator>) -> Try<Master> {
        let registrar = Registrar::new(Box::new(InMemoryStorage::new()));
        let master = crate::master::Master::new(flags, allocator, registrar)?;
        let pid = crate::master::Master::spawn(master)?;
        let recovered: Future<()> = libprocess::dispatch(&pid, |m| m.recovered()).flatten();
        if !recovered.wait_for(Duration::from_secs(15)) || !recovered.is_ready() {
            return Err(stout::Error::new("The master did not recover"));
        }
        Ok(Master {
            pid,
            allocator_pid: None,
        })
    }

    /// `createDetector()`: a detector that knows this master as leader.
    pub fn create_detector(&self) -> Arc<dyn MasterDetector> {
        Arc::new(StandaloneMasterDetector::with_pid(self.pid.upid()))
    }
}

impl Drop for Master {
    fn drop(&mut self) {
        libprocess::terminate(&self.pid, true);
        libprocess::wait(self.pid.upid(), Some(Duration::from_secs(15)));
        if let Some(allocator) = &self.allocator_pid {
            libprocess::terminate(allocator, true);
        }
    }
}

/// A running agent; terminated when dropped, its work directory removed.
#[derive(Debug)]
pub struct Slave {
    /// The agent's pid.
    pub pid: PID<crate::slave::Slave>,
    /// Kept for the agent's lifetime.
    _status_updates: Arc<TaskStatusUpdateManager>,
    _work_dir: Option<TempDir>,
}

impl Slave {
    /// `StartSlave(detector, containerizer)`: an agent with
    /// [`create_slave_flags`] in a fresh work directory.
    pub fn start(
        detector: Arc<dyn MasterDetector>,
        containerizer: Arc<dyn Containerizer>,
    ) -> Try<Slave> {
        Slave::start_with(detector, containerizer, |_| {})
    }

    /// `StartSlave(detector, flags)`: an agent with the containerizers its
    /// flags name (`--containerizers`; the Mesos containerizer by default).
    pub fn start_mesos(
        detector: Arc<dyn MasterDetector>,
        configure: impl FnOnce(&mut crate::slave::flags::Flags),
    ) -> Try<Slave> {
        let work_dir = TempDir::new("slave")?;
        let mut flags = create_slave_flags(work_dir.path())?;
        configure(&mut flags);
        let containerizer = crate::slave::containerizer::create(&flags)?;
        Slave::start_flags(detector, containerizer, flags, Some(work_dir))
    }

    /// As [`start`](Slave::start), with the flags changed by `configure`.
    pub fn start_with(
        detector: Arc<dyn MasterDetector>,
        containerizer: Arc<dyn Containerizer>,
        configure: impl FnOnce(&mut crate::slave::flags::Flags),
    ) -> Try<Slave> {
        let work_dir = TempDir::new("slave")?;
        let mut flags = create_slave_flags(work_dir.path())?;
        configure(&mut flags);
        Slave::start_flags(detector, containerizer, flags, Some(work_dir))
    }

    fn start_flags(
        detector: Arc<dyn MasterDetector>,
        containerizer: Arc<dyn Containerizer>,
        flags: crate::slave::flags::Flags,
        work_dir: Option<TempDir>,
    ) -> Try<Slave> {
        let status_updates = Arc::new(TaskStatusUpdateManager::new(&flags.work_dir));
        let slave =
            crate::slave::Slave::new(flags, detector, containerizer, status_updates.clone())?;
        let pid = crate::slave::spawn(slave);
        Ok(Slave {
            pid,
            _status_updates: status_updates,
            _work_dir: work_dir,
        })
    }
}

impl Drop for Slave {
    fn drop(&mut self) {
        libprocess::terminate(&self.pid, true);
        libprocess::wait(self.pid.upid(), Some(Duration::from_secs(15)));
    }
}
