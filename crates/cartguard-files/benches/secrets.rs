//! Throughput of the credential scanner, scanning files in parallel as
//! `cartguard scan --path` does. Input: the text files under the folder named
//! by `CARTGUARD_BENCH_TREE` (up to 200 MB, read into memory first), or a
//! synthetic source tree of 2,000 files (about 100 MB) in which every other
//! line holds a word a credential's name is made of — a worst case for the
//! prefilter. Prints the best of 5 runs in MB/s.

use std::time::{Duration, Instant};

use cartguard_files::secrets::scan_files;

const FILES: usize = 2000;
const RUNS: usize = 5;

/// One synthetic file: ordinary code with the words credentials sit near
/// (`key`, `token`, `password`, URLs), and a credential in every 100th file.
fn file(index: usize) -> (String, Vec<u8>) {
    let mut text = String::new();
    let mut line = 0usize;
    while text.len() < 50_000 {
        line += 1;
        let l = match line % 10 {
            0 => format!("    const key{line} = cache.get(keyFor(order.id, {line}));\n"),
            1 => format!("    // fetch the token from the session store, see https://docs.example.com/p/{line}\n"),
            2 => "    if (!user.passwordHash) { throw new Error(\"password not set\"); }\n".to_string(),
            3 => format!("    total += item.price * item.quantity; // line {line}\n"),
            4 => "    for (const [name, value] of Object.entries(headers)) { out[name.toLowerCase()] = value; }\n".to_string(),
            5 => format!("    logger.info(`processed order ${{order.id}} in ${{Date.now() - start}} ms`, {line});\n"),
            6 => "    return fetch(url, { method: \"POST\", body: JSON.stringify(payload) });\n".to_string(),
            7 => "    const secretName = process.env.SECRET_NAME;\n".to_string(),
            8 => "  }\n\n  async function handle(request, response) {\n".to_string(),
            _ => format!("    const items = await db.query(\"SELECT * FROM items WHERE order_id = $1\", [{line}]);\n"),
        };
        text.push_str(&l);
    }
    if index.is_multiple_of(100) {
        text.push_str(&format!(
            "const stripe = \"sk_live_{:024}\";\n",
            index * 7919 + 1_234_567
        ));
    }
    (format!("src/module{index}.js"), text.into_bytes())
}

/// Up to `limit` bytes of the files under `dir`.
fn tree(dir: &std::path::Path, limit: usize, out: &mut Vec<(String, Vec<u8>)>, total: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if *total >= limit {
            return;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            tree(&path, limit, out, total);
        } else if kind.is_file()
            && let Ok(bytes) = std::fs::read(&path)
        {
            *total += bytes.len();
            out.push((path.display().to_string(), bytes));
        }
    }
}

fn main() {
    let files: Vec<(String, Vec<u8>)> = match std::env::var_os("CARTGUARD_BENCH_TREE") {
        Some(dir) => {
            let mut files = Vec::new();
            tree(std::path::Path::new(&dir), 200 << 20, &mut files, &mut 0);
            files
        }
        None => (0..FILES).map(file).collect(),
    };
    let count = files.len();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut best = Duration::MAX;
    let mut found = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        found = scan_files(&files).len();
        best = best.min(started.elapsed());
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "secrets: {count} files, {mb:.1} MB, {found} credentials, best of {RUNS}: {:.3} s = {:.0} MB/s on {} threads",
        best.as_secs_f64(),
        mb / best.as_secs_f64(),
        rayon::current_num_threads()
    );
}
