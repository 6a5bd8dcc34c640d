"""Trusted launcher: joins the job's cgroups, sets rlimits, then execs the sandboxed command.

Run as ``python -I -S launch.py CONFIG_JSON -- argv...`` so no setup code runs between fork and
exec in the (multi-threaded) grader process.
"""

import json
import os
import resource
import sys


def main() -> None:
    config = json.loads(sys.argv[1])
    argv = sys.argv[sys.argv.index("--") + 1:]
    for procs in config.get("cgroup_procs", []):
        with open(procs, "w") as handle:
            handle.write(str(os.getpid()))
    for name, value in config.get("rlimits", {}).items():
        resource.setrlimit(getattr(resource, name), (value, value))
    os.execv(argv[0], argv)


if __name__ == "__main__":
    main()
