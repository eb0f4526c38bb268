#!/usr/bin/python3
"""CrosswalkWatch camera simulator: serves video files in a loop over RTSP.

Each camera gets a main stream at rtsp://HOST:PORT/PATH and (unless --no-sub)
a scaled sub-stream at rtsp://HOST:PORT/PATH/sub, H.264 or H.265 (--codec,
--sub-codec) over RTP, served by GStreamer's gst-rtsp-server (python3-gi).

How a stream is produced (one pipeline per stream, shared by all its clients,
started when the first client asks and stopped when the last one leaves):

  re-encoded:  ffmpeg -stream_loop -1 (decode, fps, scale -> raw I420 on a pipe)
               -> appsrc -> x264enc / x265enc (ultrafast, zerolatency, GOP = fps, no B-frames)
               -> rtph264pay / rtph265pay
  --copy main, H.264 file: ffmpeg -stream_loop -1 -c:v copy -f flv (no re-encoding)
               -> appsrc (H.264 access units with the file's own pts/dts)
               -> h264parse -> rtph264pay
  --copy main, H.265 file: ffmpeg -stream_loop -1 -c:v copy -f hevc (Annex B; FLV cannot
               carry H.265 in this ffmpeg) -> split into access units at their first NAL unit
               -> appsrc (one access unit per buffer, paced at the file's frame rate)
               -> h265parse -> rtph265pay

The simulator paces frames against the pipeline clock itself; if the process
was stopped (SIGSTOP) or starved, the timeline jumps forward instead of
bursting the backlog.

RTP is carried inside the RTSP TCP connection only (interleaved): UDP would open
sockets on 0.0.0.0. Clients that ask for UDP get "461 Unsupported transport" and
fall back to TCP (ffmpeg, GStreamer and VLC do so); ffmpeg: -rtsp_transport tcp.
ffmpeg children die with the simulator, even after SIGKILL (PR_SET_PDEATHSIG).

Must run with the system interpreter (/usr/bin/python3): it needs python3-gi.
Prints exactly one line on stdout when listening:
  READY rtsp://127.0.0.1:8554/cam1 rtsp://127.0.0.1:8554/cam1/sub ...
Everything else (errors, client connects/disconnects) goes to stderr.
Exit codes: 0 after SIGTERM/SIGINT/SIGHUP, 2 on a usage or start-up error.
"""

import argparse
import fractions
import ipaddress
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

PROG = "camera_sim"
EXIT_ERROR = 2
STALL_NS = 500_000_000          # later than this -> jump the timeline forward
STALL_LOG_NS = 2_000_000_000    # ... and log it when later than this (teardown causes short stalls)
STALL_LOG_INTERVAL_S = 10.0
PATH_RE = re.compile(r"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$")
SIZE_RE = re.compile(r"^(\d{1,5})x(\d{1,5})$")
GST_PACKAGES = ("python3-gi gir1.2-gst-rtsp-server-1.0 python3-gst-1.0 gstreamer1.0-plugins-base "
                "gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly")
REQUIRED_ELEMENTS = {            # element -> Debian package that provides it
    "appsrc": "gstreamer1.0-plugins-base",
    "queue": "libgstreamer1.0-0",
    "x264enc": "gstreamer1.0-plugins-ugly",
    "h264parse": "gstreamer1.0-plugins-bad",
    "rtph264pay": "gstreamer1.0-plugins-good",
}
H265_ELEMENTS = {
    "x265enc": "gstreamer1.0-plugins-bad",
    "h265parse": "gstreamer1.0-plugins-bad",
    "rtph265pay": "gstreamer1.0-plugins-good",
}
CODECS = ("h264", "h265")
# H.265 NAL unit types that open an access unit when they follow a picture's slices: VPS, SPS, PPS, AUD, prefix SEI,
# and the reserved 41-44 and 48-55 (ITU-T H.265 7.4.2.4.4). A slice with first_slice_segment_in_pic_flag does too.
HEVC_AU_OPENERS = frozenset([32, 33, 34, 35, 39, 41, 42, 43, 44] + list(range(48, 56)))


# --------------------------------------------------------------------------- logging

class _Log:
    """Stderr logger that never blocks the caller: a writer thread drains a bounded queue,
    so a parent that does not read our stderr cannot freeze the RTSP server (lines are
    dropped instead)."""

    def __init__(self):
        self._q = queue.Queue(maxsize=2000)
        self._dropped = 0
        self._t = threading.Thread(target=self._run, name="log", daemon=True)
        self._t.start()

    def __call__(self, msg):
        now = time.time()
        line = "%s.%03d %s: %s\n" % (time.strftime("%H:%M:%S", time.localtime(now)), int(now * 1000) % 1000, PROG, msg)
        try:
            self._q.put_nowait(line)
        except queue.Full:
            self._dropped += 1

    def _run(self):
        while True:
            line = self._q.get()
            try:
                if self._dropped:
                    n, self._dropped = self._dropped, 0
                    sys.stderr.write("%s %s: (%d log lines dropped)\n" % (time.strftime("%H:%M:%S"), PROG, n))
                sys.stderr.write(line)
                sys.stderr.flush()
            except Exception:
                pass
            finally:
                self._q.task_done()

    def flush(self, timeout=1.0):
        end = time.monotonic() + timeout
        while self._q.unfinished_tasks and time.monotonic() < end:
            time.sleep(0.01)


log = _Log()


def fail(msg):
    """Start-up error: clear message on stderr, exit code 2."""
    sys.stderr.write("%s: error: %s\n" % (PROG, msg))
    sys.stderr.flush()
    sys.exit(EXIT_ERROR)


# --------------------------------------------------------------------------- arguments

def parse_size(text, option):
    m = SIZE_RE.match(text or "")
    if not m:
        fail("%s expects WIDTHxHEIGHT, e.g. 1280x720; got %r" % (option, text))
    w, h = int(m.group(1)), int(m.group(2))
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        fail("%s %s is out of range (16..8192 per side)" % (option, text))
    if w % 2 or h % 2:
        fail("%s %s: width and height must be even (I420/H.264)" % (option, text))
    return w, h


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="camera_sim.py",
        description="Serve video files in a loop as RTSP cameras (GStreamer gst-rtsp-server). "
                    "Run with /usr/bin/python3. For each --camera PATH=FILE it serves "
                    "rtsp://HOST:PORT/PATH (main) and rtsp://HOST:PORT/PATH/sub (scaled sub-stream), "
                    "H.264 or H.265, constant frame rate, a keyframe at least every second, no B-frames. When listening it "
                    "prints one line to stdout: 'READY <url> <url> ...'. Logs go to stderr. "
                    "Exit code 0 on SIGTERM/SIGINT, 2 on a usage or start-up error.",
        epilog="RTP goes over the RTSP TCP connection only (clients asking for UDP get 461 and "
               "fall back to TCP). Signals: SIGTERM/SIGINT/SIGHUP stop cleanly (exit 0); after "
               "SIGKILL the ffmpeg children die too and the port can be reused at once. "
               "Example: /usr/bin/python3 camera_sim.py --port 8554 "
               "--camera cam1=/work/shared/data/footage/rox_crosswalk_elevated.mp4 "
               "--camera cam2=/tmp/clip1080.mp4 --copy",
    )
    p.add_argument("--port", type=int, default=8554,
                   help="RTSP TCP port (default 8554; 0 = pick a free port, read it from the READY line)")
    p.add_argument("--host", default="127.0.0.1",
                   help="IP address to bind and to put in the URLs (default 127.0.0.1; "
                        "wildcard addresses such as 0.0.0.0 are refused)")
    p.add_argument("--camera", action="append", default=[], metavar="PATH=FILE",
                   help="serve FILE in a loop at rtsp://HOST:PORT/PATH (repeat for more cameras; "
                        "PATH is letters, digits, '.', '_', '-', '~' and '/' separators)")
    p.add_argument("--fps", default="25",
                   help="output frame rate of re-encoded streams, constant (default 25; 1..120; "
                        "fractions allowed: 12.5, 30000/1001). "
                        "Also the GOP length, so there is a keyframe every second. "
                        "With --copy it applies to the sub-stream only")
    p.add_argument("--size", metavar="WxH",
                   help="main stream size (default: the file's own size); not allowed with --copy")
    p.add_argument("--sub-size", metavar="WxH", default="640x360",
                   help="sub-stream size (default 640x360)")
    p.add_argument("--no-sub", action="store_true", help="do not serve the PATH/sub streams")
    p.add_argument("--clock-offset", type=float, default=0.0, metavar="SECONDS",
                   help="run the camera's clock SECONDS ahead (negative: behind) of this machine's: the wall-clock "
                        "(NTP) time in the RTCP sender reports is shifted by it, as a camera whose clock is off "
                        "would send (default 0: the machine's clock)")
    p.add_argument("--codec", choices=CODECS, default=None,
                   help="codec of the main streams: h264 (default) or h265, as Hikvision, Dahua and Uniview "
                        "cameras send by default. With --copy the files must already be in this codec "
                        "(default with --copy: the files' own)")
    p.add_argument("--sub-codec", choices=CODECS, default=None,
                   help="codec of the sub-streams (default: the same as --codec)")
    p.add_argument("--copy", action="store_true",
                   help="serve the main stream without re-encoding (files must be H.264 or H.265; the "
                        "stream keeps the file's own frame rate, size and GOP, so make the file with "
                        "a keyframe at least every second, e.g. ffmpeg -c:v libx264 -g 25). The "
                        "sub-stream is still re-encoded")
    a = p.parse_args(argv)

    if not 0 <= a.port <= 65535:
        fail("--port %d is out of range (0..65535)" % a.port)
    try:
        ip = ipaddress.ip_address(a.host)
    except ValueError:
        fail("--host must be an IP address such as 127.0.0.1; got %r" % a.host)
    if ip.is_unspecified:
        fail("--host %s would listen on every interface; give a specific address (default 127.0.0.1)" % a.host)
    a.url_host = "[%s]" % a.host if ip.version == 6 else a.host
    try:
        a.fps = fractions.Fraction(a.fps).limit_denominator(1001)
    except (ValueError, ZeroDivisionError):
        fail("--fps expects a number such as 25, 12.5 or 30000/1001; got %r" % a.fps)
    if not 1 <= a.fps <= 120:
        fail("--fps %s is out of range (1..120)" % a.fps)
    a.size = parse_size(a.size, "--size") if a.size else None
    a.sub_size = parse_size(a.sub_size, "--sub-size")
    if a.copy and a.size:
        fail("--size cannot be used with --copy (the main stream is not re-encoded); "
             "re-encode the file to the wanted size instead")
    if not -86400 <= a.clock_offset <= 86400:
        fail("--clock-offset %s is out of range (-86400..86400 seconds)" % a.clock_offset)
    if not a.camera:
        fail("at least one --camera PATH=FILE is required (see --help)")

    cams, paths = [], set()
    for spec in a.camera:
        if "=" not in spec:
            fail("--camera expects PATH=FILE, e.g. cam1=/data/clip.mp4; got %r" % spec)
        path, f = spec.split("=", 1)
        path = path.strip("/")
        if not PATH_RE.match(path):
            fail("--camera %r: bad PATH %r (use letters, digits, '.', '_', '-', '~' and '/')" % (spec, path))
        if not f:
            fail("--camera %r: FILE is empty" % spec)
        if path in paths:
            fail("--camera %r: PATH %r is given twice" % (spec, path))
        paths.add(path)
        cams.append({"path": path, "file": f})
    if not a.no_sub:
        for c in cams:
            if c["path"] + "/sub" in paths:
                fail("camera path %r clashes with the sub-stream of camera %r (use --no-sub or rename)"
                     % (c["path"] + "/sub", c["path"]))
    a.cams = cams
    return a


# --------------------------------------------------------------------------- files

def probe_file(f, copy):
    if not os.path.exists(f):
        fail("video file not found: %s" % f)
    if not os.path.isfile(f):
        fail("video file is not a regular file: %s" % f)
    try:
        with open(f, "rb") as fh:
            fh.read(1)
    except OSError as e:
        fail("video file is not readable: %s (%s)" % (f, e.strerror))
    try:
        r = subprocess.run(
            ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
             "stream=codec_name,width,height,r_frame_rate:stream_side_data=rotation", "-of", "json", f],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        fail("ffprobe timed out reading %s" % f)
    if r.returncode != 0:
        fail("cannot read video file %s: %s" % (f, (r.stderr.strip() or "ffprobe failed").splitlines()[-1]))
    try:
        st = json.loads(r.stdout)["streams"][0]
        codec, w, h = st["codec_name"], int(st["width"]), int(st["height"])
    except (ValueError, KeyError, IndexError, TypeError):
        fail("no video stream in %s" % f)
    rot = 0
    for sd in st.get("side_data_list", []) or []:
        if "rotation" in sd:
            rot = int(sd["rotation"])
    if rot % 180:
        w, h = h, w                        # ffmpeg auto-rotates when decoding
    if w < 2 or h < 2:
        fail("video in %s has an unusable size %dx%d" % (f, w, h))
    served = {"h264": "h264", "hevc": "h265"}.get(codec)
    if copy and served is None:
        fail("--copy needs H.264 or H.265 files, but %s is %s; re-encode it "
             "(ffmpeg -i IN -c:v libx264 -g 25 -bf 0 OUT.mp4) or drop --copy" % (f, codec))
    try:
        rate = fractions.Fraction(st.get("r_frame_rate", "25/1")).limit_denominator(1001)
    except (ValueError, ZeroDivisionError):
        rate = fractions.Fraction(25)
    if not 1 <= rate <= 120:
        rate = fractions.Fraction(25)
    return served, w & ~1, h & ~1, rate


# --------------------------------------------------------------------------- GStreamer

def import_gstreamer(h265):
    try:
        import gi
    except ImportError:
        hint = ""
        if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and os.path.exists("/usr/bin/python3"):
            hint = " You are running %s; run the script with /usr/bin/python3 instead." % sys.executable
        fail("python module 'gi' is missing.%s Otherwise install: apt-get install -y %s" % (hint, GST_PACKAGES))
    for ns, pkg in (("Gst", "python3-gst-1.0 gir1.2-gstreamer-1.0"),
                    ("GstRtsp", "gir1.2-gst-rtsp-server-1.0"),
                    ("GstRtspServer", "gir1.2-gst-rtsp-server-1.0")):
        try:
            gi.require_version(ns, "1.0")
        except ValueError:
            fail("GObject introspection data for %s 1.0 is missing; install: apt-get install -y %s (all: %s)"
                 % (ns, pkg, GST_PACKAGES))
    from gi.repository import GLib, Gst, GstRtsp, GstRtspServer
    Gst.init(None)
    needed = dict(REQUIRED_ELEMENTS, **(H265_ELEMENTS if h265 else {}))
    missing = [(e, p) for e, p in needed.items() if Gst.ElementFactory.find(e) is None]
    if missing:
        fail("GStreamer elements missing: %s; install: apt-get install -y %s"
             % (", ".join(e for e, _ in missing), " ".join(sorted({p for _, p in missing}))))
    return GLib, Gst, GstRtsp, GstRtspServer


def _make_pdeathsig():
    """preexec_fn that makes the kernel SIGKILL the child when its parent thread dies
    (so a SIGKILLed simulator leaves no ffmpeg behind). Linux only; None elsewhere."""
    try:
        import ctypes
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec():
        prctl(1, signal.SIGKILL, 0, 0, 0)      # PR_SET_PDEATHSIG
        if os.getppid() != parent:             # parent already gone
            os._exit(1)
    return preexec


SHUTDOWN = threading.Event()     # set when the process is exiting: feeders go quiet


class Children:
    """Starts the ffmpeg children and remembers them, so shutdown can kill them all.

    PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, and RTSP client
    threads come and go, so every child is forked by one long-lived spawner thread."""
    lock = threading.Lock()
    procs = set()
    _requests = queue.Queue()
    _thread = None

    @classmethod
    def spawn(cls, cmd):
        if SHUTDOWN.is_set():
            raise RuntimeError("shutting down")
        with cls.lock:
            if cls._thread is None:
                cls._thread = threading.Thread(target=cls._spawner, name="spawner", daemon=True)
                cls._thread.start()
        done = threading.Event()
        box = {}
        cls._requests.put((cmd, box, done))
        done.wait()
        if "error" in box:
            raise box["error"]
        cls.add(box["proc"])
        return box["proc"]

    @classmethod
    def _spawner(cls):
        preexec = _make_pdeathsig()
        while True:
            cmd, box, done = cls._requests.get()
            try:
                box["proc"] = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    bufsize=0, close_fds=True, preexec_fn=preexec,
                    start_new_session=True)            # a Ctrl-C on our terminal must not hit it first
            except Exception as e:
                box["error"] = e
            done.set()

    @classmethod
    def add(cls, p):
        with cls.lock:
            cls.procs.add(p)

    @classmethod
    def remove(cls, p):
        with cls.lock:
            cls.procs.discard(p)

    @classmethod
    def kill_all(cls):
        SHUTDOWN.set()
        with cls.lock:
            procs = list(cls.procs)
        for p in procs:
            kill_child(p)


def kill_child(p):
    if p.poll() is None:
        try:
            p.kill()
        except OSError:
            pass
    try:
        p.wait(timeout=2)
    except subprocess.TimeoutExpired:
        pass
    for f in (p.stdout, p.stderr):
        try:
            if f:
                f.close()
        except OSError:
            pass
    Children.remove(p)


class Feeder:
    """Feeds one media pipeline's appsrc from an ffmpeg child. Lives as long as the media
    (created on media-configure, stopped on unprepared)."""

    def __init__(self, Gst, name, appsrc, cmd, mode, fps=None, frame_bytes=None):
        self.Gst = Gst
        self.name, self.src, self.cmd, self.mode = name, appsrc, cmd, mode
        self.fps, self.frame_bytes = fps, frame_bytes
        self.pad = appsrc.get_static_pad("src")
        self.proc = None
        self.stopping = False
        self.n = 0
        self.offset = None
        self.stalls = 0
        self.last_stall_log = 0.0
        self.err_tail = []
        self.codec_data = None
        self.first_dts = None
        self.buf = bytearray(frame_bytes) if frame_bytes else None
        self.pending = bytearray()
        self.au_vcl = False      # Annex B: whether the access unit being read has a slice yet

    # -- child process
    def start(self):
        self.proc = Children.spawn(self.cmd)
        threading.Thread(target=self._drain_stderr, args=(self.proc,), name="ffmpeg-stderr",
                         daemon=True).start()
        log("%s: stream started (ffmpeg pid %d)" % (self.name, self.proc.pid))

    def _drain_stderr(self, proc):
        try:
            for raw in iter(proc.stderr.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip()
                if line:
                    self.err_tail = (self.err_tail + [line])[-5:]
                    if not self.stopping and not SHUTDOWN.is_set():
                        log("%s: ffmpeg: %s" % (self.name, line))
        except (OSError, ValueError):
            pass

    def stop(self):
        if self.stopping:
            return
        self.stopping = True
        if self.proc:
            kill_child(self.proc)
            log("%s: stream stopped (no clients)" % self.name)

    # -- reading
    def _read_into(self, mv):
        got, n = 0, len(mv)
        fd = self.proc.stdout
        while got < n:
            k = fd.readinto(mv[got:])
            if not k:
                raise EOFError
            got += k
        return mv

    def _read(self, n):
        b = bytearray(n)
        self._read_into(memoryview(b))
        return b

    # -- timing
    def _running_time(self):
        clock = self.src.get_clock()
        if clock is None:
            return None
        return clock.get_time() - self.src.get_base_time()

    def _flushing(self):
        return self.stopping or bool(self.pad.flags & self.Gst.PadFlags.FLUSHING)

    def _schedule(self, t):
        """Map stream time t (ns from the first frame) to pipeline running time and wait for it.
        Returns the running time, or None when the pipeline is shutting down."""
        now = self._running_time()
        if now is None:
            return t if self.offset is None else self.offset + t
        if self.offset is None:
            self.offset = now - t
        out = self.offset + t
        late = now - out
        if late > STALL_NS:              # stopped or starved: jump forward, do not burst
            self.offset += late
            out = now
            self.stalls += 1
            mono = time.monotonic()
            if late > STALL_LOG_NS and mono - self.last_stall_log > STALL_LOG_INTERVAL_S:
                log("%s: fell %.1f s behind (process stopped or CPU starved); resynced "
                    "(%d resync(s) so far)" % (self.name, late / 1e9, self.stalls))
                self.last_stall_log = mono
        while True:
            if self._flushing():
                return None
            now = self._running_time()
            if now is None:
                return out
            wait = out - now
            if wait <= 1_000_000:
                return out
            time.sleep(min(wait / 1e9, 0.02))

    # -- need-data (appsrc streaming thread)
    def on_need_data(self, src, _length):
        if self.stopping:
            return
        try:
            if self.mode == "raw":
                self._push_raw()
            elif self.mode == "annexb":
                self._push_annexb()
            else:
                self._push_copy()
        except Exception as e:          # never let an exception escape into GStreamer
            if self.stopping or SHUTDOWN.is_set() or self._flushing():
                return
            rc = self.proc.poll() if self.proc else None
            why = ("ffmpeg output ended (exit code %s)" % rc if isinstance(e, EOFError)
                   else "%s: %s" % (type(e).__name__, e))
            tail = " | ".join(self.err_tail)
            log("%s: %s%s; ending the stream" % (self.name, why, (": " + tail) if tail else ""))
            self.stopping = True
            if self.proc:
                kill_child(self.proc)
            src.emit("end-of-stream")

    def _push_raw(self):
        Gst = self.Gst
        data = self._read_into(memoryview(self.buf))
        num, den = self.fps.numerator, self.fps.denominator
        t = self.n * Gst.SECOND * den // num
        dur = (self.n + 1) * Gst.SECOND * den // num - t
        out = self._schedule(t)
        if out is None:
            return
        buf = Gst.Buffer.new_allocate(None, self.frame_bytes, None)
        buf.fill(0, bytes(data))   # bytes, not bytearray/memoryview: those are converted per byte (20 ms/frame)
        buf.pts = buf.dts = out
        buf.duration = dur
        self.n += 1
        self.src.emit("push-buffer", buf)

    def _next_access_unit(self):
        """The next H.265 access unit of the Annex B stream: from its first NAL unit up to the NAL unit that opens
        the next one (a parameter set, delimiter or prefix SEI after slices, or a picture's first slice)."""
        buf, pos = self.pending, 0
        while True:
            i = buf.find(b"\x00\x00\x01", pos)
            if i < 0 or i + 5 >= len(buf):               # need the start code, the NAL header and a byte more
                end = len(buf)
                chunk = self.proc.stdout.read(65536)
                if not chunk:
                    raise EOFError
                buf += chunk
                pos = i if i >= 0 else max(pos, end - 2)
                continue
            nal = (buf[i + 3] >> 1) & 0x3F
            if self.au_vcl and (nal in HEVC_AU_OPENERS or (nal < 32 and buf[i + 5] & 0x80)):
                cut = i - 1 if i > 0 and buf[i - 1] == 0 else i    # a four-byte start code belongs to the next
                au = bytes(buf[:cut])                               # bytes: see _push_raw
                del buf[:cut]
                self.au_vcl = False
                return au
            if nal < 32:
                self.au_vcl = True
            pos = i + 3

    def _push_annexb(self):
        """One H.265 access unit per buffer, at the file's frame rate: the pictures carry no time in Annex B, and
        the files have no B-frames, so decode order is display order."""
        Gst = self.Gst
        au = self._next_access_unit()
        num, den = self.fps.numerator, self.fps.denominator
        t = self.n * Gst.SECOND * den // num
        out = self._schedule(t)
        if out is None:
            return
        buf = Gst.Buffer.new_allocate(None, len(au), None)
        buf.fill(0, au)
        buf.pts = buf.dts = out
        buf.duration = (self.n + 1) * Gst.SECOND * den // num - t
        if not hevc_irap(au):
            buf.set_flags(Gst.BufferFlags.DELTA_UNIT)
        self.n += 1
        self.src.emit("push-buffer", buf)

    def _push_copy(self):
        Gst = self.Gst
        if self.n == 0 and self.codec_data is None:
            hdr = self._read(9)
            if bytes(hdr[:3]) != b"FLV":
                raise ValueError("unexpected ffmpeg output (not FLV)")
            self._read(int.from_bytes(hdr[5:9], "big") - 9 + 4)
        while True:
            th = self._read(11)
            ttype, size = th[0] & 0x1F, int.from_bytes(th[1:4], "big")
            ts_ms = int.from_bytes(th[4:7], "big") | (th[7] << 24)
            body = self._read(size + 4)[:size]           # tag + PreviousTagSize
            if ttype != 9 or size < 5:
                continue
            if body[0] & 0x0F != 7:
                raise ValueError("video in the file is not H.264")
            ptype = body[1]
            if ptype == 0:                               # AVCDecoderConfigurationRecord
                cd = bytes(body[5:])
                if cd != self.codec_data:
                    self.codec_data = cd
                    self.src.set_property("caps", Gst.Caps.from_string(
                        "video/x-h264,stream-format=avc,alignment=au,codec_data=(buffer)" + cd.hex()))
                continue
            if ptype != 1 or self.codec_data is None:
                continue
            cts_ms = int.from_bytes(body[2:5], "big", signed=True)
            key = (body[0] >> 4) == 1
            payload = bytes(memoryview(body)[5:])      # bytes: see _push_raw
            break
        if self.first_dts is None:
            self.first_dts = ts_ms
        t = (ts_ms - self.first_dts) * Gst.MSECOND
        out = self._schedule(max(t, 0))
        if out is None:
            return
        buf = Gst.Buffer.new_allocate(None, len(payload), None)
        buf.fill(0, payload)
        buf.dts = out
        buf.pts = out + max(cts_ms, 0) * Gst.MSECOND
        if not key:
            buf.set_flags(Gst.BufferFlags.DELTA_UNIT)
        self.n += 1
        self.src.emit("push-buffer", buf)


def hevc_irap(au):
    """True when the access unit holds a random access picture (NAL types 16-23: BLA, IDR, CRA)."""
    i = au.find(b"\x00\x00\x01")
    while 0 <= i < len(au) - 3:
        if 16 <= (au[i + 3] >> 1) & 0x3F <= 23:
            return True
        i = au.find(b"\x00\x00\x01", i + 3)
    return False


def ffmpeg_raw_cmd(f, w, h, fps):
    return ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
            "-stream_loop", "-1", "-i", f, "-map", "0:v:0", "-an", "-sn", "-dn",
            "-vf", "fps=%d/%d,scale=%d:%d,format=yuv420p" % (fps.numerator, fps.denominator, w, h),
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"]


def ffmpeg_copy_cmd(f, codec):
    head = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
            "-stream_loop", "-1", "-i", f, "-map", "0:v:0", "-an", "-sn", "-dn", "-c:v", "copy"]
    if codec == "h265":
        # Annex B, with the parameter sets before each key frame (the muxer's own hevc_mp4toannexb). No -bsf:v:
        # ffmpeg 5.1 ends an explicit filter at the first loop ("A non-NULL packet sent after an EOF").
        return head + ["-f", "hevc", "pipe:1"]
    return head + ["-f", "flv", "-flvflags", "no_duration_filesize", "pipe:1"]


def x264_bitrate_kbps(w, h, fps):
    return max(500, min(20000, int(w * h * float(fps) * 0.1 / 1000)))


def launch_raw(w, h, fps, codec):
    gop = max(1, int(fps))            # keyframe at least once a second
    if codec == "h265":
        # Half the bit rate of H.264 for the same picture, as the vendors advertise; parameter sets with every
        # key frame, so a client joining mid-stream can decode.
        encoder = ("x265enc tune=zerolatency speed-preset=ultrafast key-int-max=%d bitrate=%d "
                   "option-string=\"bframes=0:repeat-headers=1:scenecut=0\" "
                   "! video/x-h265,profile=main "
                   "! rtph265pay name=pay0 pt=96 config-interval=-1"
                   % (gop, max(250, x264_bitrate_kbps(w, h, fps) // 2)))
    else:
        encoder = ("x264enc tune=zerolatency sliced-threads=false speed-preset=ultrafast "
                   "key-int-max=%d bitrate=%d "
                   "! video/x-h264,profile=constrained-baseline "
                   "! rtph264pay name=pay0 pt=96 config-interval=-1"
                   % (gop, x264_bitrate_kbps(w, h, fps)))
    return ("( appsrc name=src is-live=true format=time do-timestamp=false block=false "
            "caps=\"video/x-raw,format=I420,width=%d,height=%d,framerate=%d/%d\" "
            "! queue max-size-buffers=3 max-size-bytes=0 max-size-time=0 "
            "! %s )"
            % (w, h, fps.numerator, fps.denominator, encoder))


def launch_copy(codec):
    if codec == "h265":
        return ("( appsrc name=src is-live=true format=time do-timestamp=false block=false "
                "caps=\"video/x-h265,stream-format=byte-stream,alignment=au\" "
                "! h265parse ! rtph265pay name=pay0 pt=96 config-interval=-1 )")
    return ("( appsrc name=src is-live=true format=time do-timestamp=false block=false "
            "caps=\"video/x-h264,stream-format=avc,alignment=au\" "
            "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )")


# --------------------------------------------------------------------------- camera clock

NTP_EPOCH_OFFSET_S = 2208988800   # seconds from 1900-01-01 (NTP) to 1970-01-01 (Unix)


def make_camera_clock(Gst, GstRtspServer, offset_s):
    """For --clock-offset: a wall clock running offset_s ahead of this machine's, counted from 1900 (NTP), and a media
    type whose rtpbin puts that clock's time in the RTCP sender reports (ntp-time-source=clock-time). None for 0, so
    the default keeps GStreamer's own behaviour (the sender reports carry this machine's wall clock).
    libfaketime cannot do this: GStreamer's waits hang under it, and with FAKETIME_DONT_FAKE_MONOTONIC clock_nanosleep
    fails (EINVAL)."""
    if offset_s == 0:
        return None
    clock = Gst.SystemClock(clock_type=Gst.ClockType.REALTIME)
    clock.set_calibration(0, int((NTP_EPOCH_OFFSET_S + offset_s) * Gst.SECOND), 1, 1)

    class OffsetClockMedia(GstRtspServer.RTSPMedia):
        def do_setup_rtpbin(self, rtpbin):
            rtpbin.set_property("ntp-time-source", "clock-time")
            return True

    return clock, OffsetClockMedia.__gtype__


# --------------------------------------------------------------------------- main

def main(argv):
    a = parse_args(argv)
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            fail("%s not found on PATH; install: apt-get install -y ffmpeg" % tool)
    for c in a.cams:
        c["codec"], c["w"], c["h"], c["rate"] = probe_file(c["file"], a.copy)
        if a.copy and a.codec and c["codec"] != a.codec:
            fail("--copy --codec %s serves the files as they are, but %s is %s; re-encode it or drop --codec"
                 % (a.codec, c["file"], c["codec"]))
    a.sub_codec = a.sub_codec or a.codec or "h264"
    a.codec = a.codec or "h264"
    h265 = a.sub_codec == "h265" or (a.codec == "h265" and not a.copy) or (a.copy and any(c["codec"] == "h265" for c in a.cams))
    GLib, Gst, GstRtsp, GstRtspServer = import_gstreamer(h265)

    server = GstRtspServer.RTSPServer()
    server.set_address(a.host)
    server.set_service(str(a.port))
    server.set_backlog(64)             # many clients connecting at once must not wait for SYN retries
    mounts = server.get_mount_points()
    camera_clock = make_camera_clock(Gst, GstRtspServer, a.clock_offset)

    def add_stream(name, mount, launch, make_feeder):
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch)
        factory.set_shared(True)
        # RTP over the RTSP TCP connection only: UDP transport would open sockets on 0.0.0.0.
        # Clients asking for UDP get 461 and fall back to TCP (ffmpeg does so automatically).
        factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP)
        if camera_clock is not None:
            clock, media_type = camera_clock
            factory.set_clock(clock)
            factory.set_media_gtype(media_type)

        def on_configure(_factory, media):
            appsrc = media.get_element().get_by_name("src")
            feeder = make_feeder(appsrc)
            appsrc.connect("need-data", feeder.on_need_data)
            media.connect("unprepared", lambda _m: feeder.stop())
            try:
                feeder.start()
            except Exception as e:       # need-data will then end the stream (clients get EOS)
                log("%s: cannot start ffmpeg: %s" % (name, e))

        factory.connect("media-configure", on_configure)
        mounts.add_factory("/" + mount, factory)

    urls = []
    for c in a.cams:
        path, f = c["path"], c["file"]
        if a.copy:
            codec = c["codec"]
            add_stream(path, path, launch_copy(codec),
                       lambda src, path=path, f=f, codec=codec, rate=c["rate"]: Feeder(
                           Gst, path, src, ffmpeg_copy_cmd(f, codec), "annexb" if codec == "h265" else "copy", rate))
            desc = "copy of %s (%s %dx%d, file's own rate)" % (f, codec.upper(), c["w"], c["h"])
        else:
            w, h = a.size or (c["w"], c["h"])
            add_stream(path, path, launch_raw(w, h, a.fps, a.codec),
                       lambda src, path=path, f=f, w=w, h=h: Feeder(
                           Gst, path, src, ffmpeg_raw_cmd(f, w, h, a.fps), "raw", a.fps, w * h * 3 // 2))
            desc = "%s re-encoded %s %dx%d@%s" % (f, a.codec.upper(), w, h, a.fps)
        urls.append(path)
        log("/%s: %s" % (path, desc))
        if not a.no_sub:
            sw, sh = a.sub_size
            sp = path + "/sub"
            add_stream(sp, sp, launch_raw(sw, sh, a.fps, a.sub_codec),
                       lambda src, sp=sp, f=f, sw=sw, sh=sh: Feeder(
                           Gst, sp, src, ffmpeg_raw_cmd(f, sw, sh, a.fps), "raw", a.fps, sw * sh * 3 // 2))
            urls.append(sp)
            log("/%s: %s re-encoded %s %dx%d@%s" % (sp, f, a.sub_codec.upper(), sw, sh, a.fps))

    # Client logging (connect / play / disconnect; nothing per frame).
    def on_client(_server, client):
        peer = "?"
        try:
            sa = client.get_connection().get_read_socket().get_remote_address()
            peer = "%s:%d" % (sa.get_address().to_string(), sa.get_port())
        except Exception:
            pass
        log("client %s connected" % peer)

        def on_play(_c, ctx):
            try:
                log("client %s PLAY %s" % (peer, ctx.uri.abspath))
            except Exception:
                pass
        client.connect("play-request", on_play)
        client.connect("closed", lambda _c: log("client %s disconnected" % peer))

    server.connect("client-connected", on_client)

    try:
        source = server.create_source(None)
    except GLib.Error as e:
        msg = e.message or str(e)
        if "in use" in msg.lower():
            fail("port %d on %s is already in use (%s)" % (a.port, a.host, msg))
        fail("cannot listen on %s port %d: %s" % (a.host, a.port, msg))
    source.attach(None)
    port = server.get_bound_port()

    # Expire sessions of vanished clients (keeps pipelines/ffmpeg from lingering).
    pool = server.get_session_pool()
    GLib.timeout_add_seconds(2, lambda: (pool.cleanup(), True)[1])

    loop = GLib.MainLoop()
    exit_reason = []

    def on_signal(signame):
        exit_reason.append(signame)
        loop.quit()
        return GLib.SOURCE_REMOVE

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, on_signal, sig.name)

    full = ["rtsp://%s:%d/%s" % (a.url_host, port, u) for u in urls]
    sys.stdout.write("READY " + " ".join(full) + "\n")
    sys.stdout.flush()
    log("listening on %s:%d (pid %d)" % (a.host, port, os.getpid()))

    try:
        loop.run()
    finally:
        Children.kill_all()
        log("stopped (%s)" % (exit_reason[0] if exit_reason else "main loop ended"))
        log.flush()
    # Skip interpreter/GStreamer teardown (pipelines may still be PLAYING in other threads).
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
