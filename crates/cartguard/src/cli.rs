//! Arguments and subcommands.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Audits the AWS account behind an online store, with evidence for every
/// verdict, mapped to PCI DSS v4.0.1 and the CIS AWS Foundations Benchmark.
#[derive(Debug, Parser)]
#[command(
    name = "cartguard",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The exit statuses of `scan`, as `scan --help` lists them.
const SCAN_EXIT_STATUS: &str = "\
Exit status:
  0  nothing at or above --fail-on failed (and, with --fail-on-not-assessed,
     nothing was not assessed). An incomplete scan exits 0 unless
     --fail-on-not-assessed is given, but always says INCOMPLETE.
  1  the gate failed: a failure at or above --fail-on, or, with
     --fail-on-not-assessed, a result that could not be assessed.
  2  a usage or input error: a bad option, unreadable or malformed evidence,
     --now earlier than the evidence, or a scan in which nothing could be
     assessed (no evidence any rule reads).
  3  a live scan (--aws) was incomplete: some AWS API calls failed (access
     denied, throttled past retries, timed out, unreachable) and the rules
     that need their answers are reported not-assessed, naming the call and
     the error. The gate's status 1 takes precedence.";

/// The exit statuses of `collect`, as `collect --help` lists them.
const COLLECT_EXIT_STATUS: &str = "\
Exit status:
  0  every call answered (\"not configured\" answers count as answers).
  2  a usage error, or the collection could not start (no region, no
     credentials to list the regions with, the snapshot cannot be written).
  3  the snapshot was written but is incomplete: some AWS API calls failed;
     the calls and their errors are listed on standard error.";

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan a live account, evidence folders or snapshots and report findings.
    ///
    /// With no source, the account of the default AWS credential chain is
    /// scanned live (as with --aws). What could not be assessed (evidence missing or denied) is reported as
    /// not-assessed, with why, and an incomplete scan says INCOMPLETE at the top
    /// and on its last line.
    #[command(after_help = SCAN_EXIT_STATUS)]
    Scan(ScanArgs),
    /// Render a saved findings document (scan --format json) again, in any
    /// format, without scanning.
    Report(ReportArgs),
    /// Save a snapshot of a live account (zstd-compressed) for offline scans
    /// with `scan --snapshot`.
    #[command(after_help = COLLECT_EXIT_STATUS)]
    Collect(CollectArgs),
    /// List every rule with its severity, area and compliance references.
    Rules(RulesArgs),
    /// Print a rule's documentation: what it checks, why it matters, how to fix it.
    Explain {
        /// The rule id, e.g. iam-root-access-keys.
        rule_id: String,
    },
    /// Ask the IAM engine: can a principal do something, and what can it reach?
    ///
    /// `iam can` prints a decision (ALLOW, EXPLICIT-DENY, IMPLICIT-DENY or
    /// CONDITIONAL) for one request, with the policy statements that decided it
    /// or what refused it. `iam blast-radius` prints a table of the data stores
    /// a principal can read, write or delete, then its paths to administrator.
    /// Both read the account's IAM evidence offline; --format json prints the
    /// same answer as a document.
    #[command(subcommand)]
    Iam(IamCommand),
    /// Ask the network engine: what can reach what, and what is exposed?
    ///
    /// `net reach` prints whether traffic from a source gets to a resource
    /// (REACHABLE, UNREACHABLE or NOT ASSESSED), the ports that get through,
    /// each with its path hop by hop, or what blocks it. `net exposure` prints,
    /// per account and region, every endpoint the internet reaches and on which
    /// ports. Both read the account's network evidence offline; --format json
    /// prints the same answer as a document.
    #[command(subcommand)]
    Net(NetCommand),
}

#[derive(Debug, Subcommand)]
pub enum IamCommand {
    /// Decide whether PRINCIPAL may perform ACTION on RESOURCE, offline, like the
    /// policy simulator: prints the decision and the statements that decided it.
    ///
    /// Prints one line with the decision and the request. Then, for ALLOW and
    /// EXPLICIT-DENY, each deciding statement with its policy and its JSON; for
    /// IMPLICIT-DENY, what refused the request ("refused: the trust policy of …
    /// admits only the service ec2.amazonaws.com"); for CONDITIONAL, each
    /// condition key the decision waits on, and how to give it (--context
    /// KEY=VALUE or --absent KEY). Notes say which resource policies were
    /// weighed, and warnings what the evidence lacks.
    Can(CanArgs),
    /// List the data stores a principal (or the owner of an access key) can read,
    /// write or delete, and its escalation paths.
    ///
    /// Prints a table, one row per store and access, with the columns ACCESS
    /// (read, write or delete), REACH (all: the whole resource, or every store
    /// of the kind for a pattern; some: only part of it; conditional: only when
    /// a condition of the granting statements holds), STORE (s3, dynamodb,
    /// secretsmanager, ssm-parameters, kms, rds), RESOURCE and the ACTIONS that
    /// give it; then each path to administrator with its steps, and warnings on
    /// what the evidence lacks.
    BlastRadius(BlastArgs),
}

/// The forms of `iam can`: a member of the account, the public, or a service.
const CAN_USAGE: &str = "\
cartguard iam can [OPTIONS] PRINCIPAL ACTION RESOURCE
       cartguard iam can [OPTIONS] --anonymous ACTION RESOURCE
       cartguard iam can [OPTIONS] --service SERVICE ACTION RESOURCE";

/// Examples of `iam can`, as `iam can --help` prints them.
const CAN_EXAMPLES: &str = "\
Examples:
  cartguard iam can deploy s3:PutObject arn:aws:s3:::shop-media/logo.png --evidence EVIDENCE
  cartguard iam can arn:aws:sts::111122223333:assumed-role/web/i-0abc s3:GetObject \\
      arn:aws:s3:::shop-media/logo.png --resource-policy bucket-policy.json --evidence EVIDENCE
  cartguard iam can web s3:GetObject arn:aws:s3:::shop-media/a --session-policy read-only.json \\
      --session-policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess --evidence EVIDENCE
  cartguard iam can --anonymous s3:GetObject arn:aws:s3:::shop-media/logo.png \\
      --resource-policy bucket-policy.json --evidence EVIDENCE
  cartguard iam can --service cloudtrail.amazonaws.com s3:PutObject arn:aws:s3:::trail-logs/AWSLogs/x \\
      --resource-policy bucket-policy.json --context aws:SourceAccount=111122223333 --evidence EVIDENCE
  cartguard iam can deploy s3:GetObject arn:aws:s3:::partner-bucket/k --resource-account 444455556666 \\
      --resource-policy partner-bucket-policy.json --evidence EVIDENCE
  cartguard iam can deploy sts:AssumeRole arn:aws:iam::444455556666:role/partner \\
      --trust-policy partner-trust.json --evidence EVIDENCE
  cartguard iam can web s3:GetObject arn:aws:s3:::shop-media/a --vpce-policy endpoint-policy.json \\
      --context aws:SourceVpce=vpce-0abc --evidence EVIDENCE

Exit status: 0 when the question was answered (whatever the decision), 2 for a
usage or input error.";

#[derive(Debug, Args)]
#[command(after_help = CAN_EXAMPLES, override_usage = CAN_USAGE)]
pub struct CanArgs {
    /// PRINCIPAL ACTION RESOURCE, or ACTION RESOURCE with --anonymous or
    /// --service. PRINCIPAL is a user or role by ARN or name, an access key id,
    /// or an assumed-role session ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION),
    /// which keeps the session; ACTION is e.g. s3:GetObject; RESOURCE an ARN, or
    /// * for actions without resource-level permissions.
    #[arg(value_names = ["PRINCIPAL", "ACTION", "RESOURCE"], num_args = 2..=3, required = true)]
    pub request: Vec<String>,
    /// A condition key's value in the request (KEY=VALUE; give a key twice for
    /// several values). Keys neither given nor stated absent are unknown, and a
    /// decision that depends on them is "conditional".
    #[arg(long, value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// State that the request does not carry KEY (AWS's missing-key semantics apply).
    #[arg(long, value_name = "KEY")]
    pub absent: Vec<String>,
    /// The resource's own policy (a bucket, key or queue policy), as a policy
    /// document or as `aws s3api get-bucket-policy` / `aws kms get-key-policy`
    /// print it; it replaces the one the evidence holds (bucket, secret,
    /// function, topic, queue and key policies are taken from the evidence
    /// without this option). A key policy (a KMS key ARN as RESOURCE) must
    /// allow the caller itself. For sts:AssumeRole* on a role in the evidence,
    /// the role's trust policy is weighed without this option.
    #[arg(long, value_name = "FILE")]
    pub resource_policy: Vec<PathBuf>,
    /// A session policy the role session was created with: a policy document
    /// (FILE), or a managed policy's ARN from the evidence (repeatable). The
    /// session may do only what both the role's policies and its session
    /// policies allow, e.g. --session-policy read-only.json.
    #[arg(long, value_name = "FILE|ARN")]
    pub session_policy: Vec<String>,
    /// Ask for an unauthenticated caller from the internet (the public, as
    /// bucket and queue policies with "Principal": "*" admit it), e.g.
    /// --anonymous s3:GetObject arn:aws:s3:::media/logo.png.
    #[arg(long, conflicts_with = "service")]
    pub anonymous: bool,
    /// Ask for an AWS service principal, e.g. --service s3.amazonaws.com; give
    /// aws:SourceAccount and aws:SourceArn with --context.
    #[arg(long, value_name = "SERVICE")]
    pub service: Option<String>,
    /// The account that owns the resource, for resources whose ARN names none
    /// (S3 buckets): a request across accounts needs both the caller's policies
    /// and the resource's policy to allow, e.g. --resource-account 444455556666.
    /// Default: the evidence's account for a bucket it lists.
    #[arg(long, value_name = "ID")]
    pub resource_account: Option<String>,
    /// The trust policy of the role to assume, for sts:AssumeRole* on a role
    /// the evidence does not hold (a policy document, or as `aws iam get-role`
    /// prints it), e.g. --trust-policy partner-trust.json; it replaces the
    /// evidence's for a role it holds.
    #[arg(long, value_name = "FILE")]
    pub trust_policy: Option<PathBuf>,
    /// The policy of the VPC endpoint the request goes through, e.g.
    /// --vpce-policy endpoint-policy.json (as `aws ec2 describe-vpc-endpoints`
    /// prints its PolicyDocument, or a document).
    #[arg(long, value_name = "FILE")]
    pub vpce_policy: Vec<PathBuf>,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BlastArgs {
    /// A user or role (ARN or name), or an access key id (AKIA…).
    pub principal: String,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum NetCommand {
    /// Decide what traffic from a source reaches a resource, and by which path
    /// (or what blocks it), through routes, network ACLs (both ways) and security groups.
    ///
    /// Prints the verdict (REACHABLE, UNREACHABLE or NOT ASSESSED) with the
    /// source, the target and its region; then each range of ports that gets
    /// through with the sources it gets through from and, for each subnet of
    /// the target it enters, the path in numbered steps: public address,
    /// internet gateway route, network ACL entry for the request, security
    /// group rule, network ACL entry for the reply, listener. When nothing
    /// gets through it prints what blocks the traffic that got furthest; then
    /// the ports whose fate the evidence cannot decide, and why, what could not
    /// be assessed, and notes.
    Reach(ReachArgs),
    /// List every internet-reachable endpoint with its ports.
    ///
    /// Prints, per account and region, the number of endpoints the internet
    /// reaches, then one line per endpoint: the ports that get through, then
    /// the endpoint (instance, network interface, database or load balancer);
    /// then the endpoints whose exposure could not be decided and why, and the
    /// evidence that is missing.
    Exposure(ExposureArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReachProtocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Where traffic comes from: internet, a CIDR (203.0.113.0/24) or a security group (sg-…).
    #[arg(long)]
    pub from: String,
    /// The target: an instance id, network interface id, RDS identifier, or load balancer name or ARN.
    #[arg(long)]
    pub to: String,
    /// Only this port.
    #[arg(long)]
    pub port: Option<u16>,
    /// Only this protocol.
    #[arg(long, value_enum)]
    pub protocol: Option<ReachProtocol>,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExposureArgs {
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Where the account's picture comes from. Any mix, each repeatable.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// An evidence folder of AWS CLI JSON output (see docs/evidence.md).
    #[arg(long, value_name = "DIR")]
    pub evidence: Vec<PathBuf>,
    /// A snapshot written by `cartguard collect` or `scan --save-snapshot`
    /// (plain or zstd-compressed).
    #[arg(long, value_name = "FILE")]
    pub snapshot: Vec<PathBuf>,
    /// Server files or a source tree (nginx config, Magento root, .env, code):
    /// a file or a folder, walked honouring .gitignore.
    #[arg(long, value_name = "PATH")]
    pub path: Vec<PathBuf>,
    /// Skip files under --path larger than this (bytes, or with a unit: 512K, 8M, 1G).
    #[arg(long, value_name = "SIZE", default_value = "8M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Read every file under --path, including those .gitignore and .ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Also scan every version of every file in the history of each --path
    /// that is a git repository, and say where a credential was introduced.
    #[arg(long)]
    pub git_history: bool,
    /// With several accounts, the account the --path files run in: a key
    /// found in them is judged as that account's, and their findings are
    /// filed under it (ASFF needs one). With a single account, that account.
    #[arg(long, value_name = "ACCOUNT_ID", requires = "path")]
    pub files_account: Option<String>,
    /// Scan a live account with the standard AWS credential chain
    /// (environment, profile, SSO, web identity, instance role), read-only.
    #[arg(long)]
    pub aws: bool,
    #[command(flatten)]
    pub live: LiveArgs,
}

/// Options for live access.
#[derive(Debug, Args)]
pub struct LiveArgs {
    /// AWS profile for live access (default: the credential chain's).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Region to collect (repeatable; default: every region enabled for the
    /// account, from ec2:DescribeRegions).
    #[arg(long, value_name = "REGION", value_parser = parse_region)]
    pub region: Vec<String>,
    /// Send AWS API calls to this endpoint (an emulator on 127.0.0.1, a VPC
    /// endpoint); AWS_ENDPOINT_URL is honoured too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Assume this audit role before collecting.
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// The external id the audit role's trust policy requires.
    #[arg(long, value_name = "ID", requires = "role_arn")]
    pub external_id: Option<String>,
    /// Requests in flight at once per service and region.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub max_in_flight: u16,
    /// Draw no progress display (none is drawn when standard error is not a terminal).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl LiveArgs {
    /// Whether any live option was given.
    pub fn any(&self) -> Option<&'static str> {
        [
            self.profile.as_ref().map(|_| "--profile"),
            self.region.first().map(|_| "--region"),
            self.endpoint_url.as_ref().map(|_| "--endpoint-url"),
            self.role_arn.as_ref().map(|_| "--role-arn"),
        ]
        .into_iter()
        .flatten()
        .next()
    }
}

/// A region name such as eu-west-1.
fn parse_region(text: &str) -> Result<String, String> {
    let mut parts = text.split('-');
    let well_formed = parts
        .next()
        .is_some_and(|p| p.len() >= 2 && p.bytes().all(|b| b.is_ascii_lowercase()))
        && text
            .rsplit('-')
            .next()
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && text.matches('-').count() >= 2;
    if well_formed {
        Ok(text.to_string())
    } else {
        Err(format!("{text:?} is not a region name (such as eu-west-1)"))
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// A readable report (coloured on a terminal unless NO_COLOR is set).
    Text,
    /// The cartguard.findings/v1 document (docs/findings.schema.json).
    Json,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub sources: SourceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Exit with status 1 when a failure at or above this severity is found
    /// (critical, high, medium, low, info, or none to never fail).
    #[arg(long, value_name = "SEVERITY", default_value = "high", value_parser = parse_fail_on)]
    pub fail_on: FailOn,
    /// Also exit with status 1 when anything could not be assessed (for audits
    /// and strict CI gates).
    #[arg(long)]
    pub fail_on_not_assessed: bool,
    /// "Today" for age-based rules (RFC 3339, e.g. 2026-11-20T12:00:00Z, or a date,
    /// 2026-11-20, meaning the end of that day in UTC); default: the clock. It may
    /// not be earlier than the dates the evidence holds.
    #[arg(long, value_name = "RFC3339|DATE", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Days without use after which keys count as unused and users as inactive
    /// (PCI DSS 8.2.6: 90; CIS AWS Foundations: 45).
    #[arg(long, value_name = "DAYS", default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..=3650))]
    pub unused_days: i64,
    /// Print how long reading, each rule and rendering took, on standard error.
    #[arg(long)]
    pub timings: bool,
    /// Threads to scan with (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N", env = "CARTGUARD_JOBS", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
    /// Also save the collected inventory as a snapshot to FILE.
    #[arg(long, value_name = "FILE")]
    pub save_snapshot: Option<PathBuf>,
}

/// Where a findings report goes, and in which formats.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format; repeat it with --output-dir to write several at once
    /// (--format sarif --format json --output-dir reports).
    #[arg(long, default_value = "text", value_parser = report_format())]
    pub format: Vec<&'static cartguard_report::Format>,
    /// Write the report to FILE instead of standard output (the summary still
    /// goes to the terminal).
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "output_dir")]
    pub output: Option<PathBuf>,
    /// Write one file per --format into DIR, created if missing: cartguard.txt,
    /// cartguard.json, cartguard.html, cartguard.csv, cartguard.md,
    /// cartguard.junit.xml, cartguard.sarif, cartguard.ocsf.json,
    /// cartguard.asff.json.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Text report: show each finding in full (resource, evidence, why it
    /// matters, fix) instead of one line per finding.
    #[arg(long)]
    pub detail: bool,
    /// Text report: also list the rules that ran and found nothing.
    #[arg(long)]
    pub show_passed: bool,
    /// Print only the findings whose fingerprint starts with FINGERPRINT, in
    /// full (the one-line report shows each finding's first 8 characters).
    /// Repeatable.
    #[arg(long, value_name = "FINGERPRINT", conflicts_with_all = ["output", "output_dir"])]
    pub show: Vec<String>,
}

#[derive(Debug, Args)]
#[command(after_help = REPORT_EXIT_STATUS)]
pub struct ReportArgs {
    /// The findings document, as `scan --format json` writes it
    /// (cartguard.findings/v1); `-` reads it from standard input.
    #[arg(value_name = "FINDINGS.json")]
    pub findings: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Exit with status 1 when a failure at or above this severity is in the
    /// document (critical, high, medium, low, info, or none to never fail).
    #[arg(long, value_name = "SEVERITY", default_value = "none", value_parser = parse_fail_on)]
    pub fail_on: FailOn,
    /// Also exit with status 1 when the document holds a result that could
    /// not be assessed.
    #[arg(long)]
    pub fail_on_not_assessed: bool,
}

/// The exit statuses of `report`, as `report --help` lists them.
const REPORT_EXIT_STATUS: &str = "\
Exit status:
  0  rendered, and nothing fails the gate (by default there is no gate)
  1  the gate failed: a failure at or above --fail-on, or, with
     --fail-on-not-assessed, a result that could not be assessed
  2  a usage or input error: an unreadable file, or a document that is not
     cartguard.findings/v1 (the error names the JSON path)";

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The snapshot file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub live: LiveArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RulesFormat {
    /// A table for the terminal.
    Table,
    /// A markdown table (as in the README).
    Markdown,
    /// JSON, one object per rule.
    Json,
    /// Every rule's full documentation as markdown (docs/rules.md).
    Reference,
}

/// A size in bytes: a number, optionally with a binary unit (`K`, `M`, `G`,
/// with or without `iB`).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (a number of bytes, or 512K, 8M, 1G)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" | "kb" => 1 << 10,
        "m" | "mib" | "mb" => 1 << 20,
        "g" | "gib" | "gb" => 1 << 30,
        other => return Err(format!("unknown size unit {other:?} (use K, M or G)")),
    };
    match number.checked_mul(factor) {
        Some(0) => Err("the size limit must be above 0".into()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("{text:?} is too large")),
    }
}

/// The `--fail-on` threshold: a severity, or never.
#[derive(Debug, Clone, Copy)]
pub struct FailOn(pub Option<cartguard_rules::Severity>);

fn parse_fail_on(text: &str) -> Result<FailOn, String> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(FailOn(None));
    }
    cartguard_rules::Severity::parse(text)
        .map(|s| FailOn(Some(s)))
        .ok_or_else(|| "expected one of critical, high, medium, low, info, none".to_string())
}

/// The report formats, as cartguard-report lists them.
fn report_format() -> impl TypedValueParser<Value = &'static cartguard_report::Format> {
    let names = cartguard_report::FORMATS
        .iter()
        .map(|f| PossibleValue::new(f.name).help(f.about));
    PossibleValuesParser::new(names)
        .try_map(|name| cartguard_report::format_named(&name).ok_or("not a report format"))
}

/// An RFC 3339 time, or a date alone, read as the end of that day (UTC): the
/// evidence of that day is then never "in the future".
fn parse_now(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return day
            .and_hms_opt(23, 59, 59)
            .map(|t| t.and_utc())
            .ok_or_else(|| format!("{text} has no end of day"));
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            format!(
                "not an RFC 3339 time or a date ({e}); examples: 2026-11-20T12:00:00Z, 2026-11-20"
            )
        })
}

impl Cli {
    /// Runs the command and returns the process exit status.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self.command {
            Command::Scan(args) => crate::scan::scan(&args),
            Command::Report(args) => crate::report_cmd::report(&args),
            Command::Collect(args) => crate::sources::collect(&args),
            Command::Rules(args) => {
                let rules = cartguard_rules::all_rules();
                let text = match args.format {
                    RulesFormat::Table => {
                        // A terminal's own width; piped, a width any terminal shows.
                        let width = terminal_size::terminal_size_of(std::io::stdout())
                            .map_or(80, |(terminal_size::Width(w), _)| w);
                        cartguard_report::rules_table(rules, width)
                    }
                    RulesFormat::Markdown => cartguard_report::rules_markdown(rules),
                    RulesFormat::Reference => cartguard_report::rules_reference(rules),
                    RulesFormat::Json => cartguard_report::rules_json(rules)?,
                };
                write_stdout(&text)?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Explain { rule_id } => explain(&rule_id),
            Command::Iam(IamCommand::Can(args)) => crate::iam_cmd::can(&args),
            Command::Iam(IamCommand::BlastRadius(args)) => crate::iam_cmd::blast_radius(&args),
            Command::Net(NetCommand::Reach(args)) => crate::net_cmd::reach(&args),
            Command::Net(NetCommand::Exposure(args)) => crate::net_cmd::exposure(&args),
        }
    }
}

fn explain(rule_id: &str) -> anyhow::Result<ExitCode> {
    let Some(rule) = cartguard_rules::find_rule(rule_id) else {
        let near = cartguard_rules::suggest(rule_id);
        if near.is_empty() {
            bail!("unknown rule `{rule_id}`; `cartguard rules` lists them all");
        }
        bail!(
            "unknown rule `{rule_id}`; did you mean {}?",
            near.join(", ")
        );
    };
    let text = cartguard_report::explain_rule(rule);
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output, treating a closed pipe (`| head`) as success.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    write_stdout_with(true, |out| out.write_all(text.as_bytes()))
}

/// Lets `write` write to standard output, treating a closed pipe (`| head`) as
/// success. `styled` output goes through anstream, which adapts terminal styles
/// to the terminal; other output (JSON) is written as it is, unexamined.
pub fn write_stdout_with(
    styled: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let written = if styled {
        let mut stdout = anstream::stdout().lock();
        write(&mut stdout).and_then(|()| stdout.flush())
    } else {
        let mut stdout = std::io::stdout().lock();
        write(&mut stdout).and_then(|()| stdout.flush())
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to standard output"),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_now;

    #[test]
    fn now_is_a_time_or_the_end_of_a_day() {
        let time = parse_now("2026-11-20T12:00:00Z").expect("a time");
        assert_eq!(time.to_rfc3339(), "2026-11-20T12:00:00+00:00");
        let day = parse_now("2026-11-20").expect("a date");
        assert_eq!(day.to_rfc3339(), "2026-11-20T23:59:59+00:00");
        let error = parse_now("20/11/2026").expect_err("neither");
        assert!(error.contains("2026-11-20"), "{error}");
        assert!(parse_now("2026-02-30").is_err());
    }
}
