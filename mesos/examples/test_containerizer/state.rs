//! A container's state on disk, under
//! `$MESOS_WORK_DIRECTORY/test-containerizer/containers/<container_id>/`:
//!
//! - `lock`: held exclusively by the monitor while the executor runs;
//! - `pid`: the executor's pid, which is also its process group's id;
//! - `monitor`: the monitor's pid;
//! - `resources`: the latest resources, an encoded `containerizer::Update`;
//! - `limited`: why the monitor killed the executor, if it did;
//! - `status`: the executor's raw wait status, once it ended.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use mesos::containerizer::Update;
use mesos::{ContainerId, Resource};
use nix::fcntl::{Flock, FlockArg};
use nix::unistd::Pid;

use crate::{Error, Try};

/// A container's state directory.
#[derive(Debug, Clone)]
pub(crate) struct Container {
    id: String,
    dir: PathBuf,
}

/// The limits in a container's resources.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Limits {
    pub(crate) cpus: Option<f64>,
    /// In megabytes, as Mesos' `mem` resource counts.
    pub(crate) mem_mb: Option<f64>,
}

impl Limits {
    pub(crate) fn mem_bytes(&self) -> Option<u64> {
        // `as` saturates: a negative or huge `mem` cannot wrap.
        self.mem_mb.map(|mb| (mb * 1024.0 * 1024.0) as u64)
    }
}

/// Where the containers' directories live.
fn root() -> Try<PathBuf> {
    match std::env::var_os("MESOS_WORK_DIRECTORY") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)
            .join("test-containerizer")
            .join("containers")),
        _ => Err(Error::new("MESOS_WORK_DIRECTORY is not set")),
    }
}

/// Every container with a state directory.
pub(crate) fn all() -> Try<Vec<Container>> {
    let root = root()?;
    let entries = match fs::read_dir(&root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error("read", &root, e)),
    };
    let mut containers = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error("read", &root, e))?;
        if let Some(id) = entry.file_name().to_str() {
            containers.push(Container {
                id: id.to_owned(),
                dir: entry.path(),
            });
        }
    }
    containers.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(containers)
}

impl Container {
    /// The container `id`, which must be usable as a directory name.
    pub(crate) fn new(id: &ContainerId) -> Try<Self> {
        let id = id.value.as_str();
        if id.is_empty() || id.contains('/') || id.contains("..") || id.contains('\0') {
            return Err(Error::new(format!("Invalid container id '{}'", id)));
        }
        Ok(Container {
            id: id.to_owned(),
            dir: root()?.join(id),
        })
    }

    /// The container `id`, which must have been launched.
    pub(crate) fn existing(id: &ContainerId) -> Try<Self> {
        let container = Container::new(id)?;
        if !container.exists() {
            return Err(Error::new(format!("Unknown container '{}'", container.id)));
        }
        Ok(container)
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn exists(&self) -> bool {
        self.dir.is_dir()
    }

    /// Creates the container's directory and its lock.
    pub(crate) fn create(&self) -> Try<()> {
        let lock = self.dir.join("lock");
        fs::create_dir_all(&self.dir)
            .map_err(|e| io_error("create", &self.dir, e))
            .and_then(|()| File::create(&lock).map_err(|e| io_error("create", &lock, e)))
            .map(drop)
    }

    pub(crate) fn remove(&self) -> Try<()> {
        fs::remove_dir_all(&self.dir).map_err(|e| io_error("remove", &self.dir, e))
    }

    /// Takes the container's lock as `how` says; the error keeps the
    /// errno so that callers can tell a held lock (`EWOULDBLOCK`).
    pub(crate) fn lock(&self, how: FlockArg) -> Try<Result<Flock<File>, nix::Error>> {
        let path = self.dir.join("lock");
        let file = File::open(&path).map_err(|e| io_error("open", &path, e))?;
        Ok(Flock::lock(file, how).map_err(|(_, errno)| errno))
    }

    /// The executor's process group.
    pub(crate) fn pgid(&self) -> Try<Pid> {
        self.read_number("pid").map(Pid::from_raw)
    }

    /// The monitor's pid, if it got to record it.
    pub(crate) fn monitor(&self) -> Option<i32> {
        self.read_number("monitor").ok()
    }

    pub(crate) fn write_pids(&self, executor: u32, monitor: u32) -> Try<()> {
        self.write("pid", executor.to_string().as_bytes())?;
        self.write("monitor", monitor.to_string().as_bytes())
    }

    /// The executor's raw wait status, once it ended.
    pub(crate) fn status(&self) -> Try<Option<i32>> {
        if !self.dir.join("status").exists() {
            return Ok(None);
        }
        self.read_number("status").map(Some)
    }

    pub(crate) fn write_status(&self, status: i32) -> Try<()> {
        self.write("status", status.to_string().as_bytes())
    }

    /// Why the monitor killed the executor, if it did.
    pub(crate) fn limited(&self) -> Try<Option<String>> {
        let path = self.dir.join("limited");
        match fs::read_to_string(&path) {
            Ok(message) => Ok(Some(message)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("read", &path, e)),
        }
    }

    pub(crate) fn write_limited(&self, message: &str) -> Try<()> {
        self.write("limited", message.as_bytes())
    }

    /// Replaces the container's resources.
    pub(crate) fn store_resources(&self, resources: Vec<Resource>) -> Try<()> {
        let update = Update {
            container_id: ContainerId {
                value: self.id.clone(),
                ..ContainerId::default()
            },
            resources,
        };
        self.write("resources", &prost::Message::encode_to_vec(&update))
    }

    /// The limits in the container's latest resources.
    pub(crate) fn limits(&self) -> Try<Limits> {
        let path = self.dir.join("resources");
        let bytes = fs::read(&path).map_err(|e| io_error("read", &path, e))?;
        let update: Update = crate::framing::decode(&bytes)?;
        let mut limits = Limits::default();
        for resource in &update.resources {
            let Some(scalar) = &resource.scalar else {
                continue;
            };
            let limit = match resource.name.as_str() {
                "cpus" => &mut limits.cpus,
                "mem" => &mut limits.mem_mb,
                _ => continue,
            };
            *limit = Some(limit.unwrap_or(0.0) + scalar.value);
        }
        Ok(limits)
    }

    fn read_number(&self, name: &str) -> Try<i32> {
        let path = self.dir.join(name);
        let text = fs::read_to_string(&path).map_err(|e| io_error("read", &path, e))?;
        text.trim()
            .parse()
            .map_err(|_| Error::new(format!("'{}' holds no number", path.display())))
    }

    /// Writes a state file whole or not at all: readers never see a
    /// half-written one.
    fn write(&self, name: &str, bytes: &[u8]) -> Try<()> {
        let path = self.dir.join(name);
        let temporary = self.dir.join(format!(".{}.tmp", name));
        fs::write(&temporary, bytes)
            .and_then(|()| fs::rename(&temporary, &path))
            .map_err(|e| io_error("write", &path, e))
    }
}

fn io_error(action: &str, path: &Path, error: std::io::Error) -> Error {
    Error::new(format!(
        "Failed to {} '{}': {}",
        action,
        path.display(),
        error
    ))
}
