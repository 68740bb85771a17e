//! The program as it ships: the real `zonemap` binary in a real window under Xvfb, driven with
//! xdotool as a user would (issue 13: autosave and recovery were never switched on in the
//! shipped window).
//!
//! Needs `Xvfb` and `xdotool` (Debian: `xvfb xdotool libgl1-mesa-dri libegl1`); `.ci/run`
//! installs them. A machine without them fails this test with a line saying so.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::proposals::tempdir;

/// An Xvfb server on a free display, stopped when dropped.
struct Display {
    server: Child,
    name: String,
}

impl Display {
    fn start() -> Display {
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1400x900x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is not installed (Debian: apt-get install xvfb xdotool libgl1-mesa-dri)");
        let mut line = String::new();
        let stdout = server.stdout.take().expect("Xvfb's stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("Xvfb names its display");
        let name = format!(":{}", line.trim());
        assert!(name.len() > 1, "Xvfb did not name a display");
        Display { server, name }
    }

    fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.name)
            .output()
            .expect("xdotool is not installed (Debian: apt-get install xdotool)");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// The shipped binary in the display, with its home in `home`; its standard error, line by
/// line.
fn start_zonemap(display: &Display, home: &Path) -> (Child, Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zonemap"))
        .env("DISPLAY", &display.name)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the zonemap binary starts");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(
            start.elapsed() < timeout,
            "still waiting for {what} after {timeout:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The window's id, once it is up; fails with the program's own words if it died first.
fn window(display: &Display, app: &mut Child, stderr: &Receiver<String>) -> String {
    // Generous: a debug build drawing with software GL beside the other tests on two cores.
    wait_for("the zonemap window", Duration::from_secs(240), || {
        if let Ok(Some(status)) = app.try_wait() {
            let said: Vec<String> = stderr.try_iter().collect();
            panic!(
                "zonemap exited ({status}) before its window showed: {}",
                said.join("\n")
            );
        }
        let id = display.xdotool(&["search", "--name", "^zonemap"]);
        id.lines()
            .next()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    })
}

#[test]
fn a_killed_window_offers_its_unsaved_edits_back_at_the_next_start() {
    let display = Display::start();
    let home = tempdir();
    let recovery: PathBuf = home.join("data").join("zonemap").join("recovery.zonemap");

    // First run: the bundled data; draw a planned area with the keyboard's D and three clicks
    // on the map, Enter to finish. Nothing is saved.
    let (mut first, first_stderr) = start_zonemap(&display, &home);
    let id = window(&display, &mut first, &first_stderr);
    // Let the first frames lay the map out (software GL in a debug build is slow).
    std::thread::sleep(Duration::from_secs(4));
    // On a loaded machine a frame can take long enough to miss an event: the drawing is tried
    // again (Escape clears a half-drawn outline) until the autosave has written it.
    let mut text = None;
    for attempt in 1..=4 {
        display.xdotool(&["windowfocus", "--sync", &id]);
        display.xdotool(&["key", "Escape"]);
        std::thread::sleep(Duration::from_millis(500 * attempt));
        display.xdotool(&["key", "d"]);
        // Frames to take the key (a click in the same frame would still select).
        std::thread::sleep(Duration::from_millis(700 * attempt));
        for [x, y] in [[560, 200], [680, 200], [620, 290]] {
            let (x, y) = (x.to_string(), y.to_string());
            display.xdotool(&["mousemove", "--window", &id, &x, &y]);
            display.xdotool(&["click", "1"]);
            std::thread::sleep(Duration::from_millis(400 * attempt));
        }
        display.xdotool(&["key", "Return"]);
        // The autosave writes unsaved edits within 3 s.
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while text.is_none() && std::time::Instant::now() < deadline {
            text = std::fs::read_to_string(&recovery).ok();
            std::thread::sleep(Duration::from_millis(200));
        }
        if text.is_some() {
            break;
        }
    }
    let text = text.expect("the autosave wrote the drawn zone to the recovery file");
    assert!(text.contains("\"editable\":true"), "{text}");
    assert!(text.contains("P1"), "the drawn zone is in it: {text}");
    // A crash: SIGKILL, so nothing runs on the way out.
    first.kill().expect("kill -9");
    let _ = first.wait();

    // Second run: it finds the file and offers the edits back.
    let (mut second, stderr) = start_zonemap(&display, &home);
    let offer = wait_for("the restore offer", Duration::from_secs(60), || {
        stderr
            .try_iter()
            .find(|l| l.contains("unsaved edit(s) found"))
    });
    assert!(offer.contains("1 unsaved edit(s)"), "{offer}");
    assert!(offer.contains("recovery.zonemap"), "{offer}");
    let _ = second.kill();
    let _ = second.wait();
    let _ = std::fs::remove_dir_all(&home);
}
