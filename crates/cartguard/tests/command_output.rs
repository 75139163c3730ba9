//! What each command prints for a person, on the demo store: `net reach`
//! spells its paths out hop by hop, one per subnet; `iam blast-radius` heads
//! its columns and says what its reach means; `iam can` names what refuses a
//! request; `--help` of `iam` and `net` says what they print; the detailed
//! report cites each finding's requirements; a fix names each group once.

mod common;

use common::{NOW, cartguard, findings_of, repo, scan_json};

/// Runs `cartguard ARGS --evidence <demo>`, expects success, returns what it printed.
fn demo(args: &[&str]) -> String {
    let output = cartguard()
        .args(args)
        .arg("--evidence")
        .arg(repo().join("examples/securecart/evidence"))
        .output()
        .expect("cartguard runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("prints UTF-8")
}

/// Runs `cartguard ARGS --help` and returns the help, its lines joined with
/// single spaces (the help is wrapped to the terminal).
fn help(args: &[&str]) -> String {
    let output = cartguard()
        .args(args)
        .arg("--help")
        .output()
        .expect("cartguard runs");
    assert!(output.status.success(), "{args:?} --help");
    let text = String::from_utf8(output.stdout).expect("prints UTF-8");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn net_reach_spells_out_the_path_without_a_prefix_list_under_the_world() {
    // The bastion's group admits SSH from 0.0.0.0/0 and from a prefix list:
    // the path from 0.0.0.0/0 names the rule that admits all of it, only.
    let out = demo(&[
        "net",
        "reach",
        "--from",
        "internet",
        "--to",
        "i-001d4500aa2c54b4b",
        "--port",
        "22",
    ]);
    assert_eq!(
        out,
        "REACHABLE: the internet → instance i-001d4500aa2c54b4b (eu-west-1)\n\
         \x20 tcp/22 from 0.0.0.0/0\n\
         \x20   into subnet-055bbfb333ff83712 from 0.0.0.0/0:\n\
         \x20     1. public IPv4 address 34.250.117.23 on eni-00eba50264274d890\n\
         \x20     2. route table rtb-09f3a99f267fb8a42 sends replies for 0.0.0.0/0 to internet gateway igw-0ba0bfa255ff439d1\n\
         \x20     3. network ACL acl-014ccc9491a857200, inbound entry 140, lets the request into subnet-055bbfb333ff83712\n\
         \x20     4. security group sg-0a9e5c8ea66be3c93, inbound rule 0, admits 0.0.0.0/0\n\
         \x20     5. network ACL acl-014ccc9491a857200, outbound entry 100, lets the reply out of subnet-055bbfb333ff83712\n"
    );
}

#[test]
fn net_reach_gives_one_path_per_subnet_of_a_load_balancer() {
    let out = demo(&[
        "net",
        "reach",
        "--from",
        "internet",
        "--to",
        "securecart-web",
        "--port",
        "443",
    ]);
    assert!(!out.contains("{\""), "no JSON in the text answer:\n{out}");
    let subnets: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("into "))
        .collect();
    assert_eq!(
        subnets,
        [
            "subnet-055bbfb333ff83712 from 0.0.0.0/0:",
            "subnet-0c8e1876b15f03cd5 from 0.0.0.0/0:"
        ],
        "{out}"
    );
    // Each path has its own address, and ends at the listener.
    assert!(
        out.contains("      1. public IPv4 address 52.210.14.201 on eni-00eed3120a9a7c3cc\n"),
        "{out}"
    );
    assert!(
        out.contains("      1. public IPv4 address 54.154.83.12 on eni-0313a17c20f280a29\n"),
        "{out}"
    );
    assert_eq!(
        out.matches("6. the target listens on tcp/443\n").count(),
        2,
        "{out}"
    );
}

#[test]
fn net_reach_says_what_blocks_in_words() {
    let out = demo(&[
        "net",
        "reach",
        "--from",
        "internet",
        "--to",
        "i-001d4500aa2c54b4b",
        "--port",
        "3389",
    ]);
    assert!(out.starts_with("UNREACHABLE: "), "{out}");
    let blocked = out
        .lines()
        .find(|l| l.starts_with("  blocked by: "))
        .unwrap_or_else(|| panic!("no blocked line in:\n{out}"));
    assert!(!blocked.contains('{'), "{blocked}");
}

#[test]
fn blast_radius_heads_its_columns_and_explains_reach() {
    let out = demo(&["iam", "blast-radius", "ec2-magento-web"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "blast radius of arn:aws:iam::111122223333:role/ec2-magento-web",
            "  ACCESS  REACH       STORE           RESOURCE  (ACTIONS)",
            "  read    all         s3              arn:aws:s3:::securecart-media-prod  (s3:GetObject)",
        ],
        "{out}"
    );
    for meaning in [
        "  REACH  all          the whole resource",
        "         some         only part of it",
        "         conditional  only when a condition of the granting statements holds",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(meaning)),
            "{meaning:?} missing from:\n{out}"
        );
    }
    assert!(lines.iter().all(|l| l.len() <= 100 || l.contains("arn:")));
}

#[test]
fn iam_can_names_the_trust_policy_that_admits_only_ec2() {
    let out = demo(&[
        "iam",
        "can",
        "alice.martin",
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/ec2-magento-web",
    ]);
    assert_eq!(
        out,
        "IMPLICIT-DENY: arn:aws:iam::111122223333:user/alice.martin sts:AssumeRole on arn:aws:iam::111122223333:role/ec2-magento-web\n\
         \x20 refused: the trust policy of arn:aws:iam::111122223333:role/ec2-magento-web does not admit arn:aws:iam::111122223333:user/alice.martin: it admits only the service ec2.amazonaws.com\n"
    );
    let json = demo(&[
        "iam",
        "can",
        "alice.martin",
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/ec2-magento-web",
        "--format",
        "json",
    ]);
    let answer: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(answer["reason"], "resource-policy-required");
    assert!(
        answer["refused_by"]
            .as_str()
            .is_some_and(|r| r.ends_with("it admits only the service ec2.amazonaws.com")),
        "{answer}"
    );
}

#[test]
fn iam_and_net_help_say_what_they_print() {
    let iam = help(&["iam"]);
    for words in [
        "ALLOW, EXPLICIT-DENY, IMPLICIT-DENY",
        "table of the data stores",
    ] {
        assert!(iam.contains(words), "{words:?} missing from:\n{iam}");
    }
    let net = help(&["net"]);
    for words in [
        "REACHABLE, UNREACHABLE",
        "every endpoint the internet reaches",
    ] {
        assert!(net.contains(words), "{words:?} missing from:\n{net}");
    }
    let can = help(&["iam", "can"]);
    assert!(can.contains("what refused the request"), "{can}");
    // The usage names each form once, not the request as one repeated value.
    assert!(
        can.contains(
            "Usage: cartguard iam can [OPTIONS] PRINCIPAL ACTION RESOURCE cartguard iam can [OPTIONS] --anonymous ACTION RESOURCE"
        ),
        "{can}"
    );
    assert!(!can.contains("<PRINCIPAL ACTION RESOURCE>"), "{can}");
    let blast = help(&["iam", "blast-radius"]);
    for column in [
        "ACCESS",
        "REACH",
        "STORE",
        "RESOURCE",
        "ACTIONS",
        "conditional",
    ] {
        assert!(blast.contains(column), "{column} missing from:\n{blast}");
    }
    let reach = help(&["net", "reach"]);
    assert!(reach.contains("for each subnet"), "{reach}");
    assert!(reach.contains("numbered steps"), "{reach}");
    let exposure = help(&["net", "exposure"]);
    assert!(exposure.contains("one line per endpoint"), "{exposure}");
}

#[test]
fn the_detailed_report_cites_each_findings_requirements() {
    let output = cartguard()
        .args(["scan", "--detail", "--fail-on", "none", "--now", NOW])
        .arg("--evidence")
        .arg(repo().join("examples/securecart/evidence"))
        .output()
        .expect("cartguard runs");
    assert!(output.status.success());
    let out = String::from_utf8(output.stdout).expect("UTF-8");
    // The root user's keys: PCI DSS and both CIS versions, after the fix.
    let block: Vec<&str> = out
        .split("\n\n")
        .flat_map(|b| b.split("  ✗ "))
        .filter(|b| b.starts_with("iam-root-access-keys "))
        .collect();
    assert!(
        !block.is_empty(),
        "no iam-root-access-keys finding in:\n{out}"
    );
    let lines: Vec<&str> = block[0].lines().collect();
    let fix = lines
        .iter()
        .position(|l| l.trim_start().starts_with("fix "))
        .expect("a fix line");
    assert_eq!(
        lines.get(fix + 1).map(|l| l.trim()),
        Some("refs      PCI DSS 4.0.1 8.2.2, 7.2.2 · CIS v3.0.0 1.4 · CIS v7.0.0 2.4"),
        "{}",
        block[0]
    );
}

#[test]
fn a_fix_names_each_security_group_once() {
    let document = scan_json(&repo().join("examples/securecart/evidence"));
    let fixes: Vec<&str> = findings_of(&document, "net-admin-port-open")
        .iter()
        .filter_map(|f| f["remediation"].as_str())
        .collect();
    assert!(!fixes.is_empty());
    for fix in fixes {
        let groups: Vec<&str> = fix
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| w.starts_with("sg-"))
            .collect();
        let mut unique = groups.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(groups.len(), unique.len(), "{fix}");
    }
}

#[test]
fn net_exposure_lines_up_the_ports_of_a_region() {
    let out = demo(&["net", "exposure"]);
    let eu_west: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("111122223333 eu-west-1:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(eu_west.len(), 4, "{out}");
    // The ports come first; each endpoint starts in the same column.
    assert!(eu_west.iter().all(|l| l.starts_with("  tcp/")), "{out}");
    let columns: Vec<usize> = eu_west
        .iter()
        .filter_map(|l| l.find("  instance ").or_else(|| l.find("  load balancer ")))
        .map(|c| c + 2)
        .collect();
    assert_eq!(columns.len(), 4, "{out}");
    assert!(columns.iter().all(|c| *c == columns[0]), "{out}");
}
