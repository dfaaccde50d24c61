"""`make run`: the web server and the scheduler process side by side until Ctrl-C."""
import signal
import subprocess
import sys

from tracker.settings import ConfigError, load_settings


def main() -> int:
    try:
        settings = load_settings()  # the same checks as the web app and the scheduler, before either starts
    except ConfigError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    flask = [sys.executable, "-m", "flask", "--app", "tracker"]
    host, port = settings.host, str(settings.port)
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
