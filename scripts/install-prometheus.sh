#!/bin/sh
# Installs Prometheus (the server and promtool) for the OpenMetrics checks and the scrape test
# (test/e2e/prometheus.e2e.test.ts). Idempotent: does nothing when both are on PATH. Never fails
# the caller: without apt (or root), it says so and exits 0, and those tests skip themselves.
set -u

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "install-prometheus: $(prometheus --version 2>&1 | head -n 1)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-prometheus: apt-get not found; install prometheus and promtool yourself (the scrape tests skip without them)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-prometheus: not root and no passwordless sudo; skipping (the scrape tests skip without prometheus)"
    exit 0
  fi
fi

# The Debian package ships both binaries. On a machine with systemd it also starts a server on
# :9090; the tests start their own on a free port, so the one we just installed is stopped again.
if $SUDO apt-get update -qq >/dev/null &&
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null; then
  if [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
  echo "install-prometheus: installed $(prometheus --version 2>&1 | head -n 1)"
else
  echo "install-prometheus: apt-get install prometheus failed; the scrape tests will skip"
fi
exit 0
