//! Files and folders that hold residents' data (the database, its WAL and shared-memory files,
//! backups, the invite key) are private to the server's user: files 0600 and folders 0700,
//! whatever the umask of the process.

use std::io::Write;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// Creates `dir` and any missing parents, each new one 0700. Existing folders are left as they
/// are (a parent such as `/srv` is not ours to change); a data folder readable by others is
/// named in the log.
pub fn create_private_dirs(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    if std::fs::metadata(dir)?.permissions().mode() & 0o077 != 0 {
        tracing::warn!(
            folder = %dir.display(),
            "the data folder is readable by other users; make it private (chmod 700)"
        );
    }
    Ok(())
}

/// Makes an existing file private.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates the new, empty file `path`, private; fails if it exists.
pub fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)
}

/// Writes `bytes` to the new file `path`, private, and syncs it.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = create_private_file(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the database file at `path` exist and be private, with its `-wal` and `-shm` files
/// when they exist. SQLite gives the files it creates next to a database the database's mode,
/// so creating the database private first keeps them private too.
pub fn prepare_database(path: &Path) -> std::io::Result<()> {
    match create_private_file(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => make_private(path)?,
        Err(e) => return Err(e),
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match make_private(Path::new(&name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Holds an exclusive advisory lock on `path` (the database) for as long as the returned file
/// lives: one server per database, and no restore under a running server. `None` when another
/// process holds it.
pub fn lock_exclusive(path: &Path) -> std::io::Result<Option<std::fs::File>> {
    let file = std::fs::OpenOptions::new().read(true).open(path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}
