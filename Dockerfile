# Self-contained worker image for sites that can pull from a registry:
#     grader image build --dockerfile        (= docker build -t grader-worker:latest .)
# Air-gapped machines use the default `grader image build` instead, which needs no registry
# (docs/sandboxes.md explains both). Nothing of the grader is baked in: worker.py, protocol.py and
# boot.py are bound read-only at /worker for every container, and never the hidden tests.
FROM python:3.11-slim

# The same numerical stack as the judge (pin to the versions in pyproject.toml / the host).
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu "torch==2.13.*" \
 && pip install --no-cache-dir "numpy>=1.26" "scikit-image>=0.22" \
 && rm -rf /root/.cache

# The unprivileged user every container runs as, and the mount points the backend uses.
RUN groupadd --gid 65532 grader \
 && useradd --uid 65532 --gid 65532 --home-dir /job --no-create-home --shell /usr/sbin/nologin grader \
 && mkdir -p /submission /worker /control /job \
 && chown 65532:65532 /job

LABEL grader.image="worker" \
      grader.kind="self-contained" \
      grader.python="/usr/local/bin/python3.11" \
      grader.binds="[]"
USER 65532:65532
WORKDIR /job
