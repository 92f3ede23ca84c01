use stout::os;

#[test]
fn read_write_string() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    os::write(&file, "line1\nline2").unwrap();
    assert_eq!(os::read(&file).unwrap(), "line1\nline2");

    let missing = tmp.path().join("missing");
    assert_eq!(
        os::read(&missing).unwrap_err().message(),
        format!(
            "Failed to read '{}': No such file or directory",
            missing.display()
        )
    );
}

#[test]
fn mkdir() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    os::mkdir(root.join("a/b/c"), true).unwrap();
    os::mkdir(root.join("a/b/d"), true).unwrap();
    os::mkdir(root.join("e/f"), true).unwrap();

    assert_eq!(os::ls(root).unwrap(), ["a", "e"]);
    assert_eq!(os::ls(root.join("a")).unwrap(), ["b"]);
    assert_eq!(os::ls(root.join("a/b")).unwrap(), ["c", "d"]);
    assert!(os::ls(root.join("a/b/c")).unwrap().is_empty());
    assert!(os::ls(root.join("a/b/d")).unwrap().is_empty());
    assert_eq!(os::ls(root.join("e")).unwrap(), ["f"]);
    assert!(os::ls(root.join("e/f")).unwrap().is_empty());

    // Not recursive: the parent must exist; an existing directory is fine.
    assert!(os::mkdir(root.join("x/y"), false).is_err());
    os::mkdir(root.join("a"), false).unwrap();
}

#[test]
fn exists() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    os::mkdir(root.join("a/b/c"), true).unwrap();
    assert!(os::exists(root));
    assert!(os::exists(root.join("a")));
    assert!(os::exists(root.join("a/b")));
    assert!(os::exists(root.join("a/b/c")));
    assert!(!os::exists(root.join("a/fakeDir")));
    assert!(!os::exists(root.join("a/fakeDir/c")));

    let file = root.join("a/b/c/yourFile");
    os::touch(&file).unwrap();
    assert!(os::exists(&file));
    assert!(!os::exists(root.join("a/b/c/yourFakeFile")));
}

#[test]
fn touch() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join(stout::Uuid::random().to_string());
    assert!(!os::exists(&file));
    os::touch(&file).unwrap();
    assert!(os::exists(&file));
}

#[test]
fn symlink_rm() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let file1 = root.join("file1.txt");
    let directory1 = root.join("directory1");
    let file_to_symlink = root.join("fileToSymlink.txt");
    let directory_to_symlink = root.join("directoryToSymlink");
    let file_symlink = root.join("fileSymlink1");
    let directory_symlink = root.join("directorySymlink1");

    os::touch(&file1).unwrap();
    os::mkdir(&directory1, true).unwrap();
    os::touch(&file_to_symlink).unwrap();
    os::mkdir(&directory_to_symlink, true).unwrap();
    std::os::unix::fs::symlink(&file_to_symlink, &file_symlink).unwrap();
    std::os::unix::fs::symlink(&directory_to_symlink, &directory_symlink).unwrap();
    assert_eq!(os::ls(root).unwrap().len(), 6);

    // A non-empty directory is not removed.
    assert!(os::rm(root).is_err());
    assert_eq!(os::ls(root).unwrap().len(), 6);

    for path in [&file1, &directory1, &file_symlink, &directory_symlink] {
        os::rm(path).unwrap();
    }
    assert_eq!(
        os::ls(root).unwrap(),
        ["directoryToSymlink", "fileToSymlink.txt"]
    );
    assert!(os::rm(root.join("fakeFile")).is_err());
}

// stout's checkpointing primitive: the target holds the old or the new
// contents, and no temporary file is left behind.
// Synced or not, it is the same replacement.
#[test]
fn write_atomic() {
    for sync in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("checkpoint");
        os::write_atomic(&file, "first", sync).unwrap();
        assert_eq!(os::read(&file).unwrap(), "first");
        os::write_atomic(&file, "second", sync).unwrap();
        assert_eq!(os::read(&file).unwrap(), "second");
        assert_eq!(os::ls(tmp.path()).unwrap(), ["checkpoint"]);

        let missing_dir = tmp.path().join("missing/checkpoint");
        assert!(os::write_atomic(&missing_dir, "x", sync).is_err());
    }
}
