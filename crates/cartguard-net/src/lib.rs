//! Network reachability over security groups, network ACLs, routes and addresses.
