//! Files and directories.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;

use crate::{Error, Try};

fn name(path: &Path) -> std::path::Display<'_> {
    path.display()
}

/// The whole file as text.
pub fn read(path: impl AsRef<Path>) -> Try<String> {
    let path = path.as_ref();
    fs::read_to_string(path)
        .map_err(|e| Error::errno(format!("Failed to read '{}'", name(path)), &e))
}

/// Creates or truncates the file and writes `contents`.
pub fn write(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> Try<()> {
    let path = path.as_ref();
    fs::write(path, contents)
        .map_err(|e| Error::errno(format!("Failed to write '{}'", name(path)), &e))
}

/// Replaces the file with `contents` so that a crash of the process at any
/// point leaves either the old or the new contents (the agent's checkpoints
/// rely on it): write a temporary file beside it and rename it over the
/// target. With `sync`, the file and then the directory are fsynced too, so
/// that the replacement also survives a machine crash; as in Mesos'
/// `state::checkpoint`, where `sync` is off by default, that costs a disk
/// flush per write (tens to hundreds of milliseconds on a busy disk).
pub fn write_atomic(path: impl AsRef<Path>, contents: impl AsRef<[u8]>, sync: bool) -> Try<()> {
    let path = path.as_ref();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| Error::new(format!("Failed to write '{}': not a file", name(path))))?;
    let temp = dir.join(format!(
        ".{}.{}",
        file_name.to_string_lossy(),
        crate::Uuid::random()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents.as_ref())?;
        if sync {
            file.sync_all()?;
        }
        fs::rename(&temp, path)?;
        if sync {
            fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&temp);
        Error::errno(format!("Failed to write '{}' atomically", name(path)), &e)
    })
}

/// Creates the directory and, when `recursive`, its missing parents; an
/// existing directory is not an error.
pub fn mkdir(path: impl AsRef<Path>, recursive: bool) -> Try<()> {
    let path = path.as_ref();
    let result = if recursive {
        fs::create_dir_all(path)
    } else {
        match fs::create_dir(path) {
            Err(e) if e.kind() == ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
            other => other,
        }
    };
    result.map_err(|e| Error::errno(format!("Failed to create directory '{}'", name(path)), &e))
}

/// Removes a directory. Not `recursive`: `rmdir(2)`, so only an empty
/// directory. `recursive`: everything beneath it, never following symbolic
/// links; with `remove_root` false the directory itself stays (a file given
/// as `path` is removed either way).
pub fn rmdir(path: impl AsRef<Path>, recursive: bool, remove_root: bool) -> Try<()> {
    let path = path.as_ref();
    let error = |e: &std::io::Error| Error::errno(format!("Failed to remove '{}'", name(path)), e);
    if !recursive {
        return fs::remove_dir(path).map_err(|e| error(&e));
    }
    let metadata = fs::symlink_metadata(path).map_err(|e| error(&e))?;
    if !metadata.is_dir() {
        return fs::remove_file(path).map_err(|e| error(&e));
    }
    if remove_root {
        return match fs::remove_dir_all(path) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(error(&e)),
            _ => Ok(()),
        };
    }
    for entry in fs::read_dir(path).map_err(|e| error(&e))? {
        let entry = entry.map_err(|e| error(&e))?;
        rmdir(entry.path(), true, true)?;
    }
    Ok(())
}

/// Removes a file, a symbolic link (not its target) or an empty directory.
pub fn rm(path: impl AsRef<Path>) -> Try<()> {
    let path = path.as_ref();
    let error = |e: &std::io::Error| Error::errno(format!("Failed to remove '{}'", name(path)), e);
    let metadata = fs::symlink_metadata(path).map_err(|e| error(&e))?;
    if metadata.is_dir() {
        fs::remove_dir(path).map_err(|e| error(&e))
    } else {
        fs::remove_file(path).map_err(|e| error(&e))
    }
}

/// The names of the directory's entries (not `.` and `..`), sorted.
pub fn ls(path: impl AsRef<Path>) -> Try<Vec<String>> {
    let path = path.as_ref();
    let error = |e: &std::io::Error| Error::errno(format!("Failed to list '{}'", name(path)), e);
    let mut names = fs::read_dir(path)
        .map_err(|e| error(&e))?
        .map(|entry| {
            entry
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .map_err(|e| error(&e))
        })
        .collect::<Try<Vec<_>>>()?;
    names.sort();
    Ok(names)
}

/// Whether something exists at `path` (a dangling symbolic link counts).
pub fn exists(path: impl AsRef<Path>) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Creates the file if missing and updates its modification time.
pub fn touch(path: impl AsRef<Path>) -> Try<()> {
    let path = path.as_ref();
    let error = |e: &std::io::Error| Error::errno(format!("Failed to touch '{}'", name(path)), e);
    let file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| error(&e))?;
    file.set_modified(std::time::SystemTime::now())
        .map_err(|e| error(&e))
}
