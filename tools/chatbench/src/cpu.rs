//! The CPU a process and all its descendants have used, from /proc (utime + stime).

use std::collections::HashMap;
use std::fs;

/// Clock ticks used so far by `root` and every process below it.
pub fn ticks_of_tree(root: u32) -> u64 {
    let mut parent_of = HashMap::new();
    let mut ticks = HashMap::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // Fields after the command, which is in parentheses and may hold spaces.
        let Some(rest) = stat.rsplit_once(") ").map(|(_, r)| r) else {
            continue;
        };
        let f: Vec<&str> = rest.split(' ').collect();
        // state ppid ... utime (14th of the whole line) stime (15th).
        let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        parent_of.insert(pid, num(1) as u32);
        ticks.insert(pid, num(11) + num(12));
    }
    ticks
        .iter()
        .filter(|(pid, _)| descends(**pid, root, &parent_of))
        .map(|(_, t)| t)
        .sum()
}

fn descends(mut pid: u32, root: u32, parent_of: &HashMap<u32, u32>) -> bool {
    for _ in 0..64 {
        if pid == root {
            return true;
        }
        match parent_of.get(&pid) {
            Some(&p) if p != 0 => pid = p,
            _ => return false,
        }
    }
    false
}

/// Ticks as seconds: Linux reports 100 a second (USER_HZ) on every architecture.
pub fn seconds(ticks: u64) -> f64 {
    ticks as f64 / 100.0
}
