"""`make run`: the web server and the scheduler process side by side until Ctrl-C."""
import os
import signal
import subprocess
import sys


def main() -> int:
    flask = [sys.executable, "-m", "flask", "--app", "tracker"]
    host, port = os.environ.get("TRACKER_HOST", "127.0.0.1"), os.environ.get("TRACKER_PORT", "5000")
    procs = [subprocess.Popen(flask + ["scheduler"]),
             subprocess.Popen(flask + ["run", "--host", host, "--port", port, "--no-reload"])]
    print(f"serving on http://{host}:{port} (Ctrl-C stops the web server and the scheduler)", flush=True)
    try:
        while all(p.poll() is None for p in procs):
            try:
                procs[1].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    return max((p.returncode or 0) for p in procs)


if __name__ == "__main__":
    sys.exit(main())
