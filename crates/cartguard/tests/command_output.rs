//! What each command prints for a person, on the demo store: `net reach`
//! spells its paths out hop by hop, one per subnet, and a fix names each
//! security group once.

mod common;

use common::{cartguard, findings_of, repo, scan_json};

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
        out.matches("6. a listener on tcp/443 takes the connection\n")
            .count(),
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
