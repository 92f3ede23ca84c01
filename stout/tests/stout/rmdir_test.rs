use std::path::Path;

use stout::os;

fn listing(dir: &Path) -> Vec<String> {
    os::ls(dir).unwrap_or_default()
}

#[test]
fn trivial_remove_empty_directory_absolute_path() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(listing(tmp.path()).is_empty());

    let dir = tmp.path().join("newDirectory");
    os::mkdir(&dir, true).unwrap();
    assert_eq!(listing(tmp.path()), ["newDirectory"]);
    assert!(listing(&dir).is_empty());

    os::rmdir(&dir, true, true).unwrap();
    assert!(listing(tmp.path()).is_empty());
}

#[test]
fn remove_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newDirectory");
    let file = dir.join("newFile");
    os::mkdir(&dir, true).unwrap();
    os::touch(&file).unwrap();

    // A file is removed recursively, also when the root is to be kept.
    os::rmdir(&file, true, true).unwrap();
    assert!(os::exists(&dir));
    assert!(listing(&dir).is_empty());

    os::touch(&file).unwrap();
    os::rmdir(&file, true, false).unwrap();
    assert!(os::exists(&dir));
    assert!(listing(&dir).is_empty());

    // Non-recursively, rmdir(2) refuses a file.
    os::touch(&file).unwrap();
    assert!(os::rmdir(&file, false, true).is_err());
    assert!(os::rmdir(&file, false, false).is_err());
    assert!(os::exists(&file));
}

#[test]
fn remove_recursive_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newDirectory");
    os::mkdir(&dir, true).unwrap();
    os::touch(dir.join("newFile")).unwrap();

    os::rmdir(&dir, true, true).unwrap();
    assert!(listing(tmp.path()).is_empty());
    assert!(listing(&dir).is_empty());
}

#[test]
fn trivial_fail_to_remove_invalid_path() {
    let tmp = tempfile::tempdir().unwrap();
    let fake = tmp.path().join("fakeRelativePath");
    assert!(os::rmdir(&fake, false, true).is_err());
    let error = os::rmdir(&fake, true, true).unwrap_err();
    assert!(error.message().ends_with("No such file or directory"));
    assert!(listing(tmp.path()).is_empty());
}

#[test]
fn fail_to_remove_nested_invalid_path() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newDirectory");
    os::mkdir(&dir, true).unwrap();
    let fake = dir.join("fake");
    assert!(os::rmdir(&fake, false, true).is_err());
    assert!(os::rmdir(&fake, true, true).is_err());
    assert_eq!(listing(tmp.path()), ["newDirectory"]);
    assert!(listing(&dir).is_empty());
}

#[test]
fn symlink_rm_dir_no_target_symbolic_link() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newDirectory");
    os::mkdir(&dir, true).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("tmp"), dir.join("link")).unwrap();
    os::rmdir(&dir, true, true).unwrap();
    assert!(!os::exists(&dir));
}

#[test]
fn symlink_remove_directory_hanging_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newDirectory");
    let target = tmp.path().join("tmp");
    os::mkdir(&dir, true).unwrap();
    os::mkdir(&target, true).unwrap();
    std::os::unix::fs::symlink(&target, dir.join("link")).unwrap();
    os::rmdir(&target, true, true).unwrap();
    os::rmdir(&dir, true, true).unwrap();
    assert!(!os::exists(&dir));
}

#[test]
fn symlink_remove_directory_with_symbolic_link_target_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newDirectory");
    let target = tmp.path().join("link");
    os::mkdir(&dir, true).unwrap();
    os::mkdir(&target, true).unwrap();
    std::os::unix::fs::symlink(&target, dir.join("link")).unwrap();
    os::rmdir(&dir, true, true).unwrap();
    assert!(!os::exists(&dir));
    assert!(os::exists(&target));
}

#[test]
fn symlink_remove_directory_with_symbolic_link_target_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newDirectory");
    let target = tmp.path().join("file");
    os::mkdir(&dir, true).unwrap();
    os::touch(&target).unwrap();
    std::os::unix::fs::symlink(&target, dir.join("link")).unwrap();
    os::rmdir(&dir, true, true).unwrap();
    assert!(!os::exists(&dir));
    assert!(os::exists(&target));
}

#[test]
fn remove_directory_but_preserve_root() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("newDirectory");
    os::mkdir(dir.join("subDirectory"), true).unwrap();
    os::touch(dir.join("file1")).unwrap();
    os::touch(dir.join("subDirectory").join("file2")).unwrap();

    os::rmdir(&dir, true, false).unwrap();
    assert!(os::exists(&dir));
    assert!(listing(&dir).is_empty());
}
