# Ctrl-C at a terminal: the terminal sends SIGINT to the whole foreground
# process group, dr7 and the program alike.  dr7 runs in a pseudo-terminal
# (python3's pty) and the program waits on a FIFO, so the test knows it is
# running.  Six times: ^C breaks in, and g simply continues: no SIGINT
# event, and the program's SIGINT handler never ran.  Then a SIGINT sent to
# the program from elsewhere (kill -INT) is a signal event, and g delivers
# it to the handler.
. tests/lib.sh
command -v python3 >/dev/null || { echo "python3 is needed for a pseudo-terminal"; exit 1; }
OUT=$(timeout 120 python3 - "$DR7" "$PROGS/rc_ticker" "$TMPD/fifo" <<'PY' 2>&1
import os, pty, re, select, signal, sys, time

dr7, prog, fifo = sys.argv[1:4]
BREAKINS = 6
os.mkfifo(fifo)
feed = os.open(fifo, os.O_RDWR)	# never blocks, keeps the FIFO open
pid, master = pty.fork()
if pid == 0:
    os.execv(dr7, [dr7, prog, fifo])

# Only so that a hang becomes a failure: nothing here waits for time to pass.
deadline = time.monotonic() + 60
seen = b""
pos = 0
PROMPT = rb"\d+:\d{3}> $"

def wait_for(pattern, bad=rb"Control-C (exception )?\(SIGINT\)"):
    """Reads dr7's terminal until pattern appears after what was matched so
    far; stops early when `bad` appears instead.  Returns the match."""
    global seen, pos
    while True:
        text = seen[pos:]
        m = re.search(pattern, text, re.M)
        b = re.search(bad, text, re.M) if bad else None
        if b and (not m or b.start() < m.start()):
            raise RuntimeError("unexpected %r while waiting for %r" % (b.group(0), pattern))
        if m:
            pos += m.end()
            return m
        left = deadline - time.monotonic()
        if left <= 0:
            raise RuntimeError("time limit while waiting for %r" % pattern)
        r, _, _ = select.select([master], [], [], left)
        if not r:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            raise RuntimeError("dr7 ended while waiting for %r" % pattern)
        seen += chunk.replace(b"\r", b"")

def type_line(line):
    os.write(master, line.encode() + b"\r")

status = None
try:
    wait_for(PROMPT)
    type_line("g")
    prog_pid = int(wait_for(rb"^ready (\d+)$").group(1))
    ticks = 0
    for breakin in range(BREAKINS):
        ticks += 1
        os.write(feed, b"n")
        wait_for(rb"^tick %d sigints=0$" % ticks)
        os.write(master, b"\x03")	# the terminal's Ctrl-C: SIGINT to the group
        wait_for(rb"Break instruction exception - code 80000003 \(first chance\)")
        wait_for(PROMPT)
        type_line("g")
    ticks += 1
    os.write(feed, b"n")
    wait_for(rb"^tick %d sigints=0$" % ticks)
    os.kill(prog_pid, signal.SIGINT)	# not a Ctrl-C: the program's own signal
    wait_for(rb"Control-C exception \(SIGINT\) - code 00000002 \(first chance\)", bad=None)
    wait_for(PROMPT)
    type_line("g")
    ticks += 1
    os.write(feed, b"n")
    wait_for(rb"^tick %d sigints=1$" % ticks)
    os.write(feed, b"q")
    wait_for(rb"^done sigints=1$")
    wait_for(rb"Process exited with code 0")
    wait_for(PROMPT)
    type_line("q")
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk.replace(b"\r", b"")
    _, status = os.waitpid(pid, 0)
    print("dr7 exit status %d" % os.waitstatus_to_exitcode(status))
except RuntimeError as e:
    print("STEP FAILED: %s" % e)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
print("---- transcript")
sys.stdout.write(seen.decode(errors="replace"))
print()
PY
)
printf '%s\n' "$OUT"
expect_not '^STEP FAILED'
expect_not 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: .*Sanitizer'
# The initial breakpoint, then the six break-ins.
expect_count 7 'Break instruction exception - code 80000003 \(first chance\)'
expect_count 1 'Control-C exception \(SIGINT\)'
expect '^tick 8 sigints=1$'
expect '^done sigints=1$'
expect '^dr7 exit status 0$'
done_test
