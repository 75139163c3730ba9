//! What a rule sees: one account, the server files, the scan's clock and
//! settings, and the engines' answers, prepared once per account and shared
//! by the rules.

use std::sync::OnceLock;

use cartguard_iam::Principals;
use cartguard_iam::escalation::{AdminPaths, Analysis, EscalationFinding};
use cartguard_inventory::files::ServerFiles;
use cartguard_inventory::{Account, Timestamp};
use cartguard_net::{AclFindings, Exposure, LatentExposure, Network};
use rayon::prelude::*;

/// Thresholds a scan can change.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Days without use after which a credential counts as unused, and a user with
    /// credentials as inactive (90 by default, as PCI DSS 8.2.6; CIS asks for 45).
    pub unused_credential_days: i64,
    /// Days after which an active access key must have been rotated.
    pub key_rotation_days: i64,
    /// Days within which any use of the root user is reported.
    pub root_use_days: i64,
    /// The account the server files run in, when several are scanned
    /// (`--files-account`); with one account, the files are its own.
    pub files_account: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            unused_credential_days: 90,
            key_rotation_days: 90,
            root_use_days: 30,
            files_account: None,
        }
    }
}

/// What a rule sees: one account, the scan's clock and settings, and the
/// engines' answers, computed once per account and shared by the rules.
pub struct Context<'a> {
    /// The account under audit.
    pub account: &'a Account,
    /// "Today" for age-based rules (`--now`, or the clock).
    pub now: Timestamp,
    /// Thresholds.
    pub settings: &'a Settings,
    files: &'a ServerFiles,
    accounts: &'a [Account],
    networks: OnceLock<Vec<RegionNetwork<'a>>>,
    principals: Option<&'a Principals>,
    iam_analysis: OnceLock<Analysis<'a>>,
    admin_paths: OnceLock<Vec<EscalationFinding>>,
}

/// The server files of a context built without any.
static NO_FILES: ServerFiles = ServerFiles {
    roots: Vec::new(),
    max_file_size: cartguard_inventory::files::DEFAULT_MAX_FILE_SIZE,
    honoured_ignore_files: true,
    files: Vec::new(),
    skipped: Vec::new(),
    nginx: Vec::new(),
    magento: Vec::new(),
    secrets: Vec::new(),
    git_history: Vec::new(),
};

/// One region's network index and the analyses every network rule reads.
pub struct RegionNetwork<'a> {
    /// The region's name.
    pub region: &'a str,
    /// The reachability index.
    pub network: Network<'a>,
    /// What the internet can reach.
    pub exposure: Exposure,
    /// Network ACL analyses.
    pub acls: AclFindings,
    /// Security groups open to the world whose members the internet cannot reach.
    pub latent: Vec<LatentExposure>,
}

impl<'a> Context<'a> {
    /// A context for one account. `principals` are the account's users and roles
    /// with their policy sets, when the authorization details were collected.
    pub fn new(
        account: &'a Account,
        now: Timestamp,
        settings: &'a Settings,
        principals: Option<&'a Principals>,
    ) -> Self {
        Context {
            account,
            now,
            settings,
            files: &NO_FILES,
            accounts: std::slice::from_ref(account),
            networks: OnceLock::new(),
            principals,
            iam_analysis: OnceLock::new(),
            admin_paths: OnceLock::new(),
        }
    }

    /// The same context, with the scan's server files and every account of
    /// the scan (files and accounts given together are one picture: a key
    /// found in a file is looked up in the accounts).
    pub fn with_server_files(mut self, files: &'a ServerFiles, accounts: &'a [Account]) -> Self {
        self.files = files;
        self.accounts = accounts;
        self
    }

    /// The server files read with `--path` (empty when none was given; the
    /// application rules only run when some were).
    pub fn server_files(&self) -> &'a ServerFiles {
        self.files
    }

    /// Every account of the scan.
    pub fn accounts(&self) -> &'a [Account] {
        self.accounts
    }

    /// Builds the engines' analyses that rules share (the network index of
    /// every region; effective permissions, admin status and escalation paths),
    /// in parallel, so that rules can then run side by side without waiting on
    /// one another. Returns how long each took.
    pub fn prepare(&self) -> Vec<(&'static str, std::time::Duration)> {
        let timed = |step: &'static str, work: &dyn Fn()| {
            let started = std::time::Instant::now();
            work();
            (step, started.elapsed())
        };
        let (network, (iam, paths)) = rayon::join(
            || {
                timed("network analysis", &|| {
                    let _ = self.networks();
                })
            },
            || {
                let iam = timed("effective permissions", &|| {
                    let _ = self.iam_analysis();
                });
                let paths = timed("escalation paths", &|| {
                    let _ = self.admin_paths();
                });
                (iam, paths)
            },
        );
        vec![network, iam, paths]
    }

    /// The account's users and roles with their policy sets, if collected.
    pub fn principals(&self) -> Option<&'a Principals> {
        self.principals
    }

    /// Effective permissions, admin status and escalation paths of every
    /// principal, computed on first use (`None` without authorization details).
    pub fn iam_analysis(&self) -> Option<&Analysis<'a>> {
        let principals = self.principals?;
        Some(
            self.iam_analysis
                .get_or_init(|| Analysis::for_account(principals, self.account)),
        )
    }

    /// The escalations that end at an administrator, for every principal
    /// (`None` without authorization details).
    pub fn admin_paths(&self) -> Option<&[EscalationFinding]> {
        let principals = self.principals?;
        let analysis = self.iam_analysis()?;
        Some(
            self.admin_paths
                .get_or_init(|| AdminPaths::new(analysis, principals, self.account).all()),
        )
    }

    /// The network index of every region, built on first use (regions in parallel).
    pub fn networks(&self) -> &[RegionNetwork<'a>] {
        self.networks.get_or_init(|| {
            self.account
                .regions
                .par_iter()
                .map(|(name, region)| {
                    let network = Network::new(name, region);
                    let exposure = network.exposure();
                    let acls = network.acl_findings();
                    let latent = network.latent_exposure();
                    RegionNetwork {
                        region: name,
                        network,
                        exposure,
                        acls,
                        latent,
                    }
                })
                .collect()
        })
    }

    /// Whole days from `then` to the scan's "now".
    pub fn days_since(&self, then: Timestamp) -> i64 {
        (self.now - then).num_days()
    }
}
