//! Where media files are kept. Herald talks to a [`MediaStore`], so an S3-compatible store can
//! replace the local disk without touching uploads, variants or serving; every store passes
//! the same conformance tests (`tests::conformance`).

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use tokio::io::AsyncRead;

/// A readable stored file and its length.
pub struct StoredFile {
    pub reader: Pin<Box<dyn AsyncRead + Send>>,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no stored file has the key {0}")]
    NotFound(String),
    #[error("the media store failed: {0}")]
    Io(#[from] io::Error),
}

#[async_trait::async_trait]
pub trait MediaStore: Send + Sync {
    /// Takes a finished local file (an upload, a variant) into the store under `key`. The
    /// local file is gone afterwards.
    async fn put(&self, key: &str, file: &Path) -> Result<(), StoreError>;

    async fn get(&self, key: &str) -> Result<StoredFile, StoreError>;

    /// Removing a key that is not there is not an error: deletes may be repeated.
    async fn delete(&self, key: &str) -> Result<(), StoreError>;
}

/// Files under a folder of the data directory, one per key.
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    pub fn open(root: impl Into<PathBuf>) -> io::Result<LocalDisk> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(LocalDisk { root })
    }

    /// Where the file for `key` is, or would be, kept (for `herald backup` and `restore`).
    pub fn file_path(&self, key: &str) -> Result<PathBuf, StoreError> {
        self.path_of(key)
    }

    /// Keys are made by Herald (`ab/<random>.jpg`); anything that could climb out of the root
    /// is refused rather than trusted.
    fn path_of(&self, key: &str) -> Result<PathBuf, StoreError> {
        let safe = !key.is_empty()
            && key
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..")
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'));
        if safe {
            Ok(self.root.join(key))
        } else {
            Err(StoreError::NotFound(key.to_owned()))
        }
    }
}

#[async_trait::async_trait]
impl MediaStore for LocalDisk {
    async fn put(&self, key: &str, file: &Path) -> Result<(), StoreError> {
        let target = self.path_of(key)?;
        if let Some(folder) = target.parent() {
            tokio::fs::create_dir_all(folder).await?;
        }
        // Uploads are written under the same data directory, so this is a rename; a copy
        // covers a temporary folder on another file system.
        if tokio::fs::rename(file, &target).await.is_err() {
            tokio::fs::copy(file, &target).await?;
            tokio::fs::remove_file(file).await?;
        }
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<StoredFile, StoreError> {
        let path = self.path_of(key)?;
        let file = match tokio::fs::File::open(&path).await {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::NotFound(key.to_owned()));
            }
            Err(error) => return Err(error.into()),
        };
        let bytes = file.metadata().await?.len();
        Ok(StoredFile {
            reader: Box::pin(file),
            bytes,
        })
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match tokio::fs::remove_file(self.path_of(key)?).await {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    /// What every store must do; a new store runs this against itself.
    pub(crate) async fn conformance(store: &dyn MediaStore, scratch: &Path) {
        let local = scratch.join("upload.bin");
        tokio::fs::write(&local, b"picture bytes").await.unwrap();
        store.put("ab/first.jpg", &local).await.unwrap();
        assert!(!local.exists(), "put takes the local file");

        let mut stored = store.get("ab/first.jpg").await.unwrap();
        assert_eq!(stored.bytes, 13);
        let mut read = Vec::new();
        stored.reader.read_to_end(&mut read).await.unwrap();
        assert_eq!(read, b"picture bytes");

        assert!(matches!(
            store.get("ab/missing.jpg").await,
            Err(StoreError::NotFound(_))
        ));
        store.delete("ab/first.jpg").await.unwrap();
        store.delete("ab/first.jpg").await.unwrap();
        assert!(matches!(
            store.get("ab/first.jpg").await,
            Err(StoreError::NotFound(_))
        ));
    }

    #[tokio::test]
    async fn local_disk_passes_the_conformance_suite() {
        let folder = tempfile::tempdir().unwrap();
        let store = LocalDisk::open(folder.path().join("store")).unwrap();
        conformance(&store, folder.path()).await;
    }

    #[tokio::test]
    async fn keys_cannot_climb_out_of_the_store() {
        let folder = tempfile::tempdir().unwrap();
        let store = LocalDisk::open(folder.path().join("store")).unwrap();
        for key in [
            "../secret.key",
            "/etc/passwd",
            "a/../../b",
            "",
            "a//b",
            "a\\b",
        ] {
            assert!(store.get(key).await.is_err(), "{key}");
        }
    }
}
