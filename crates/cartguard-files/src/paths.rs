//! Paths as text, normalised lexically (`a/./b/../c` → `a/c`), so that a file
//! found by walking and a file named by an `include` compare equal.

/// `path` with `.` components removed, `..` applied where it can be, repeated
/// and trailing separators removed. Absolute paths stay absolute.
pub fn normalise(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `relative` joined to `base` (`relative` itself when absolute), normalised.
pub fn join(base: &str, relative: &str) -> String {
    if relative.starts_with('/') || base.is_empty() || base == "." {
        normalise(relative)
    } else {
        normalise(&format!("{base}/{relative}"))
    }
}

/// The folder holding `path` (`.` for a bare file name).
pub fn parent(path: &str) -> String {
    let path = normalise(path);
    match path.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => path[..i].to_string(),
        None => ".".to_string(),
    }
}

/// The last component of `path`.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_lexically() {
        assert_eq!(normalise("./a/./b/../c/"), "a/c");
        assert_eq!(normalise("/etc//nginx/"), "/etc/nginx");
        assert_eq!(normalise("../x"), "../x");
        assert_eq!(normalise("/../x"), "/x");
        assert_eq!(normalise("."), ".");
        assert_eq!(join("conf", "sites/*.conf"), "conf/sites/*.conf");
        assert_eq!(join("conf", "/etc/x"), "/etc/x");
        assert_eq!(join(".", "x"), "x");
        assert_eq!(parent("a/b/c"), "a/b");
        assert_eq!(parent("c"), ".");
        assert_eq!(parent("/c"), "/");
        assert_eq!(file_name("a/b/c.conf"), "c.conf");
    }
}
