#!/usr/bin/env python3
"""pty_session.py - drives a program at a pseudo-terminal, as a user types.

    python3 tests/pty_session.py PROGRAM [ARGS...] < steps

Each line of steps is  KEYS<TAB>WAIT  (Python string escapes: \\t is TAB,
\\r is Enter, \\x15 is Ctrl-U).  The keys are typed once the line editor
reads the terminal in raw mode; then the output is read until the regular
expression WAIT matches what came since.  Lines starting with '#' are
skipped.  After the last step, 'q' is typed and the program must exit.

Standard output gets the screen as an 80-column terminal shows it, line by
line (cursor movements and erasures applied), then 'exit status N'.
Nothing here sleeps: each wait is for an event (terminal mode, output),
and the one overall deadline only turns a hang into a failure (status 3).
"""
import codecs
import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time

DEADLINE = time.monotonic() + 120
PROMPT = rb"\d:\d{3}> $"


def fail(why, out):
    sys.stdout.write(render(out))
    sys.stdout.write("pty_session: %s\n" % why)
    sys.exit(3)


def render(data):
    """The lines a terminal would show for data (no wrapping)."""
    lines, line, col, i = [], [], 0, 0
    text = data.decode("utf-8", "replace")
    while i < len(text):
        ch = text[i]
        if ch == "\x1b":
            m = re.match(r"\x1b\[([0-9;?]*)([@-~])", text[i:])
            if m:
                n = int(m.group(1).split(";")[0] or "1") if m.group(1)[:1].isdigit() else 1
                op = m.group(2)
                if op == "G":
                    col = n - 1
                elif op == "C":
                    col += n
                elif op == "D":
                    col = max(0, col - n)
                elif op == "K":
                    del line[col:]
                elif op == "J" and n >= 2:
                    lines, line = [], []  # erase the screen (.cls): what was shown is gone
                i += len(m.group(0))
            else:
                i += 2
            continue
        if ch == "\r":
            col = 0
        elif ch == "\n":
            lines.append("".join(line).rstrip())
            line, col = [], 0
        elif ch == "\b":
            col = max(0, col - 1)
        elif ch == "\t":
            col = (col // 8 + 1) * 8
        elif ch >= " ":
            while len(line) < col:
                line.append(" ")
            if col < len(line):
                line[col] = ch
            else:
                line.append(ch)
            col += 1
        i += 1
    if line:
        lines.append("".join(line).rstrip())
    return "".join(l + "\n" for l in lines)


def main():
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    home = tempfile.mkdtemp()  # no ~/.editrc of the user's
    env = dict(os.environ, TERM="xterm", HOME=home)
    env.pop("EDITRC", None)
    proc = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True)
    out = b""

    def read_until(rx, since):
        nonlocal out
        while not re.search(rx, out[since:], re.S):
            left = DEADLINE - time.monotonic()
            if left <= 0:
                fail("no output matching %r" % rx.decode(), out)
            r, _, _ = select.select([master], [], [], left)
            if r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    fail("the program ended while waiting for %r" % rx.decode(), out)
                out += chunk

    def wait_raw():
        # The prompt is written before the editor switches the terminal to
        # raw mode (it drains its output first); keys typed in between would
        # be edited by the kernel instead.  Wait for that switch itself.
        while termios.tcgetattr(slave)[3] & termios.ICANON:
            if time.monotonic() > DEADLINE:
                fail("the terminal never left canonical mode", out)
            os.sched_yield()

    read_until(PROMPT, 0)
    for raw in sys.stdin.read().splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        keys, _, wait = raw.partition("\t")
        keys = codecs.decode(keys, "unicode_escape").encode("latin-1")
        wait = codecs.decode(wait, "unicode_escape").encode("latin-1")
        wait_raw()
        since = len(out)
        os.write(master, keys)
        read_until(wait, since)
    wait_raw()
    os.write(master, b"q\r")
    try:
        status = proc.wait(timeout=max(0.0, DEADLINE - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("the program did not exit after q", out)
    while select.select([master], [], [], 0)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    sys.stdout.write(render(out))
    sys.stdout.write("exit status %d\n" % status)


if __name__ == "__main__":
    main()
