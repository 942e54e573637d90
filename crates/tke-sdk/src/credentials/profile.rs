//! Credentials from an INI profile file.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tke_signer::Credentials;

use super::{ProvideCredentials, env_var};
use crate::Error;
use crate::error::CredentialsErrorKind;

const PROVIDER: &str = "profile file";

/// Reads `secret_id` and `secret_key` from section `[default]` (or another profile) of
/// `$TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else
/// `/etc/tencentcloud/credentials`.
///
/// The file is read on the first call and its credentials kept (profile files hold long-term
/// keys). A file named by `TENCENTCLOUD_CREDENTIALS_FILE` or [`ProfileProvider::with_path`] that
/// is missing is an error; missing default locations mean "not configured".
///
/// ```
/// use tke_sdk::credentials::{ProfileProvider, ProvideCredentials};
/// let dir = std::env::temp_dir().join(format!("tke-sdk-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("credentials");
/// std::fs::write(&path, "[default]\nsecret_id = AKIDexample\nsecret_key = secret\n").unwrap();
/// let provider = ProfileProvider::new().with_path(&path);
/// let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let creds = rt.block_on(provider.credentials()).unwrap();
/// assert_eq!(creds.secret_id(), "AKIDexample");
/// ```
#[derive(Debug, Default)]
pub struct ProfileProvider {
    path: Option<PathBuf>,
    profile: Option<String>,
    loaded: OnceLock<Credentials>,
}

impl ProfileProvider {
    /// The provider with the default path resolution and profile `default`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads this file instead of the default locations.
    #[must_use]
    pub fn with_path(mut self, path: impl AsRef<Path>) -> Self {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Reads this section instead of `[default]`.
    #[must_use]
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn candidates(&self) -> Vec<(PathBuf, bool)> {
        if let Some(path) = &self.path {
            return vec![(path.clone(), true)];
        }
        if let Some(path) = env_var("TENCENTCLOUD_CREDENTIALS_FILE") {
            return vec![(PathBuf::from(path), true)];
        }
        let mut out = Vec::new();
        if let Some(home) = env_var("HOME").or_else(|| env_var("USERPROFILE")) {
            out.push((
                Path::new(&home).join(".tencentcloud").join("credentials"),
                false,
            ));
        }
        out.push((PathBuf::from("/etc/tencentcloud/credentials"), false));
        out
    }

    fn load(&self) -> Result<Credentials, Error> {
        let profile = self.profile.as_deref().unwrap_or("default");
        for (path, explicit) in self.candidates() {
            match std::fs::read_to_string(&path) {
                Ok(text) => return parse_profile(&text, profile, &path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => continue,
                Err(e) => {
                    return Err(Error::credentials(
                        PROVIDER,
                        CredentialsErrorKind::Failed,
                        format!("cannot read {}: {e}", path.display()),
                    ));
                }
            }
        }
        Err(Error::credentials(
            PROVIDER,
            CredentialsErrorKind::NotConfigured,
            "no credentials file in ~/.tencentcloud/credentials or /etc/tencentcloud/credentials",
        ))
    }
}

/// Parses an INI file and returns the credentials of `profile`.
pub(crate) fn parse_profile(text: &str, profile: &str, path: &Path) -> Result<Credentials, Error> {
    let mut section: Option<&str> = None;
    let mut found_section = false;
    let (mut id, mut key, mut token) = (None, None, None);
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.trim());
            found_section |= name.trim() == profile;
            continue;
        }
        if section != Some(profile) {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let v = v.trim().to_owned();
            match k.trim() {
                "secret_id" => id = Some(v),
                "secret_key" => key = Some(v),
                "token" => token = Some(v),
                _ => {}
            }
        }
    }
    let fail = |reason: String| Error::credentials(PROVIDER, CredentialsErrorKind::Failed, reason);
    if !found_section {
        return Err(fail(format!(
            "{} has no section [{profile}]",
            path.display()
        )));
    }
    match (id.filter(|s| !s.is_empty()), key.filter(|s| !s.is_empty())) {
        (Some(id), Some(key)) => {
            let creds = Credentials::new(id, key);
            Ok(match token.filter(|t| !t.is_empty()) {
                Some(t) => creds.with_token(t),
                None => creds,
            })
        }
        (None, _) => Err(fail(format!(
            "section [{profile}] of {} has no secret_id",
            path.display()
        ))),
        (_, None) => Err(fail(format!(
            "section [{profile}] of {} has no secret_key",
            path.display()
        ))),
    }
}

#[async_trait::async_trait]
impl ProvideCredentials for ProfileProvider {
    async fn credentials(&self) -> Result<Credentials, Error> {
        if let Some(c) = self.loaded.get() {
            return Ok(c.clone());
        }
        let creds = self.load()?;
        Ok(self.loaded.get_or_init(|| creds).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let p = Path::new("f");
        let ok = "# c\n[other]\nsecret_id = X\n[default]\nsecret_id = AKID1\n secret_key=  k1 \n";
        let c = parse_profile(ok, "default", p).expect("ok");
        assert_eq!(c.secret_id(), "AKID1");
        assert_eq!(c.expose_secret_key(), "k1");
        let c =
            parse_profile("[prod]\nsecret_id=A\nsecret_key=B\ntoken=T\n", "prod", p).expect("prod");
        assert_eq!(c.expose_token(), Some("T"));
        for (text, needle) in [
            (
                "[other]\nsecret_id=A\nsecret_key=B\n",
                "no section [default]",
            ),
            ("[default]\nsecret_key=B\n", "no secret_id"),
            ("[default]\nsecret_id=A\n", "no secret_key"),
            ("[default]\nsecret_id=A\nsecret_key=\n", "no secret_key"),
        ] {
            let e = parse_profile(text, "default", p).expect_err(text);
            assert!(e.to_string().contains(needle), "{e}");
            assert!(!e.is_not_configured());
        }
    }
}
