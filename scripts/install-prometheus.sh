#!/bin/sh
# Installs Prometheus (the server and promtool) for the OpenMetrics checks and the scrape test
# (test/e2e/prometheus.e2e.test.ts). Idempotent: does nothing when both are on PATH. Outside CI it
# never fails the caller: without apt (or root) it says so and exits 0, and those tests skip
# themselves. With CI=true a missing tool is a failure: CI must not go green on what it skipped.
set -u

# Says why it cannot install; exits 1 under CI=true (those tests would fail anyway), else 0.
cannot() {
  if [ "${CI:-}" = "true" ]; then echo "install-prometheus: FAIL (CI=true): $1"; exit 1; fi
  echo "install-prometheus: $1"
  exit 0
}

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "install-prometheus: $(prometheus --version 2>&1 | head -n 1)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  cannot "apt-get not found; install prometheus and promtool yourself (the scrape tests skip without them)"
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    cannot "not root and no passwordless sudo; skipping (the scrape tests skip without prometheus)"
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
  cannot "apt-get install prometheus failed; the scrape tests will skip"
fi
command -v promtool >/dev/null 2>&1 || cannot "the package installed no promtool on PATH"
exit 0
