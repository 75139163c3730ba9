use cartguard_inventory::elbv2::{self, Listener};
use cartguard_net::Protocol;
use serde_json::json;

use super::{Facing, LOAD_BALANCERS, facing, listeners_of, load_balancers, network};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every `HTTP` listener of a load balancer the internet reaches on that
    /// listener's port (the network engine decides it: public address, routes,
    /// network ACLs, security groups) must not serve the application: its
    /// default action must be a `redirect` whose `RedirectConfig.Protocol` is
    /// `HTTPS`, or a `fixed-response`. A `forward` fails. Listener rules beyond
    /// the default action are not read: the default action is what a request
    /// that matches no rule gets.
    ///
    /// ## Why it matters
    /// A page served over plain HTTP travels readable and changeable by anyone on
    /// the path: session cookies, login forms and the scripts of the checkout page
    /// can be read or replaced. PCI DSS 4.2.1 requires strong cryptography over
    /// public networks.
    ///
    /// ## Severity
    /// Always high: only internet-facing load balancers are judged.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws elbv2 modify-listener --listener-arn <HTTP listener ARN> --default-actions \
    ///   'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'
    /// ```
    ///
    /// ## Example
    /// An internet-facing ALB whose `HTTP:80` listener forwards to the target group
    /// fails; one whose `HTTP:80` listener redirects to `HTTPS:443` with `HTTP_301`
    /// passes, and so does an internal ALB.
    pub static RULE = {
        id: "elb-http-not-redirected",
        title: "An internet-facing load balancer serves HTTP without redirecting to HTTPS",
        severity: High,
        area: Edge,
        evidence: [cartguard_net::EVIDENCE, LOAD_BALANCERS],
        check: check,
    };
}

/// Whether the listener's default action keeps the application off plain HTTP.
fn keeps_http_off(listener: &Listener) -> bool {
    !listener.default_actions.is_empty()
        && listener
            .default_actions
            .iter()
            .all(|a| match a.action_type.as_str() {
                "redirect" => a
                    .redirect_config
                    .as_ref()
                    .and_then(|r| r.protocol.as_deref())
                    .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS")),
                "fixed-response" => true,
                _ => false,
            })
}

fn check(ctx: &Context, out: &mut Emitter) {
    if !super::any_region(ctx, out, "elasticloadbalancing") {
        return;
    }
    for (name, region) in &ctx.account.regions {
        let Some(balancers) = load_balancers(ctx, out, name) else {
            continue;
        };
        let Some(net) = network(ctx, name) else {
            continue;
        };
        for lb in balancers {
            let reach = match facing(net, lb) {
                Facing::Not => continue,
                Facing::Unknown(why) => {
                    out.not_assessed(&listeners_of(lb), name, why);
                    continue;
                }
                Facing::Internet(reach) => reach,
            };
            let key = elbv2::DESCRIBE_LISTENERS.about(name, &lb.load_balancer_name);
            let Some(collected) = region.elbv2.listeners.get(&lb.load_balancer_name) else {
                out.not_assessed(&listeners_of(lb), name, format!("{key} was not collected"));
                continue;
            };
            let Some(listeners) = out.require(collected, &key, &listeners_of(lb), name) else {
                continue;
            };
            let open = reach.reachable_services();
            for listener in listeners {
                if listener.protocol.as_deref() != Some("HTTP") {
                    continue;
                }
                let Some(port) = listener.port.and_then(|p| u16::try_from(p).ok()) else {
                    out.not_assessed(
                        &listener.listener_arn,
                        name,
                        format!("the HTTP listener's Port cannot be read in {key}"),
                    );
                    continue;
                };
                if !open.contains(Protocol::Tcp, port) || keeps_http_off(listener) {
                    continue;
                }
                let actions: Vec<&str> = listener
                    .default_actions
                    .iter()
                    .map(|a| a.action_type.as_str())
                    .collect();
                out.fail(Failure {
                    detail: format!(
                        "Load balancer {} answers plain HTTP on port {port} from the internet and its listener's default action is {} instead of a redirect to HTTPS.",
                        lb.load_balancer_name,
                        if actions.is_empty() { "missing".to_string() } else { actions.join(" + ") }
                    ),
                    evidence: json!({
                        "source": "elbv2 describe-listeners; reachability from the internet",
                        "load_balancer": lb.load_balancer_name,
                        "listener": {
                            "ListenerArn": listener.listener_arn,
                            "Protocol": listener.protocol,
                            "Port": listener.port,
                            "DefaultActions": listener.default_actions,
                        },
                    }),
                    remediation: format!(
                        "aws elbv2 modify-listener --region {name} --listener-arn {} --default-actions 'Type=redirect,RedirectConfig={{Protocol=HTTPS,Port=443,StatusCode=HTTP_301}}'",
                        listener.listener_arn
                    ),
                    region: name.clone(),
                    ..Failure::global(listener.listener_arn.clone())
                });
            }
        }
    }
}
