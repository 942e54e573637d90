//! Where the model comes from: the pinned tccli wheel from PyPI.
//!
//! The wheel is fetched with `pip download` into a cache directory outside the tracked
//! files (default `<workspace>/.cache/tccli/`), or taken from a path the user passes. Its
//! SHA-256 is checked against the pin, so a generation is reproducible and a check never
//! passes on a different model.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// The pinned tccli release.
pub(crate) const TCCLI_VERSION: &str = "3.1.189.1";
/// File name of the pinned wheel.
pub(crate) const WHEEL_FILE: &str = "tccli-3.1.189.1-py2.py3-none-any.whl";
/// SHA-256 of the pinned wheel as published on PyPI.
const WHEEL_SHA256: &str = "98ec6fdc56000f0947ae34d601bfb86e49824afe21f6deb03d1b259221bf871c";

/// Returns the path of the pinned wheel: `wheel` if given, else the cached copy, downloading
/// it into `cache_dir` with pip when it is not there yet. Verifies the checksum.
pub(crate) fn locate_wheel(wheel: Option<&Path>, cache_dir: &Path) -> Result<PathBuf, String> {
    let path = match wheel {
        Some(p) => p.to_path_buf(),
        None => {
            let cached = cache_dir.join(WHEEL_FILE);
            if !cached.is_file() {
                download(cache_dir)?;
            }
            cached
        }
    };
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let digest = hex::encode(Sha256::digest(&bytes));
    if digest != WHEEL_SHA256 {
        return Err(format!(
            "{} has SHA-256 {digest}, expected {WHEEL_SHA256} (tccli=={TCCLI_VERSION}); \
             delete it to re-download, or update the pin in tools/tke-codegen/src/source.rs",
            path.display()
        ));
    }
    Ok(path)
}

/// Runs `python3 -m pip download --no-deps tccli==<pin>` into `cache_dir`.
fn download(cache_dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(cache_dir)
        .map_err(|e| format!("cannot create {}: {e}", cache_dir.display()))?;
    eprintln!(
        "tke-codegen: downloading tccli=={TCCLI_VERSION} into {}",
        cache_dir.display()
    );
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--quiet",
            "--dest",
        ])
        .arg(cache_dir)
        .arg(format!("tccli=={TCCLI_VERSION}"))
        .status()
        .map_err(|e| format!("cannot run `{python} -m pip`: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`{python} -m pip download tccli=={TCCLI_VERSION}` failed ({status})"
        ));
    }
    if !cache_dir.join(WHEEL_FILE).is_file() {
        return Err(format!(
            "pip did not produce {}",
            cache_dir.join(WHEEL_FILE).display()
        ));
    }
    Ok(())
}

/// An open wheel from which model files are read.
pub(crate) struct Wheel {
    archive: zip::ZipArchive<std::fs::File>,
}

impl Wheel {
    pub(crate) fn open(path: &Path) -> Result<Self, String> {
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let archive = zip::ZipArchive::new(file)
            .map_err(|e| format!("{}: not a zip: {e}", path.display()))?;
        Ok(Wheel { archive })
    }

    /// Reads `tccli/services/<product>/<version>/<file>` as UTF-8 text.
    pub(crate) fn read(
        &mut self,
        product: &str,
        version: &str,
        file: &str,
    ) -> Result<String, String> {
        let name = format!("tccli/services/{product}/{version}/{file}");
        let mut entry = self
            .archive
            .by_name(&name)
            .map_err(|e| format!("{name}: {e}"))?;
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(text)
    }
}
